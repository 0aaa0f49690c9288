"""Render an audit as one self-contained HTML file a fact-checker can work from, offline.

Why one file: reports travel by e-mail and CI artifacts, and are opened offline. So nothing is
fetched: the CSS and the script are inline, the charts are inline SVG, and a Content-Security-Policy
forbids every load (`default-src 'none'`); the style and the script are allowed by their SHA-256
hashes, so even markup that slipped past escaping could neither run script nor restyle the page.

The page is a Jinja template with autoescaping on (and undefined names an error), filled from
the view model of `citeaudit.report.html_view` (rows in `html_rows`, charts in `html_charts`),
which takes every count and list from `citeaudit.report.common`. Long lists are all in the
markup, rows past the first 100 hidden so a 5,000-link page lays out one page while it loads;
the script pages, filters and sorts them and keeps its view in the URL fragment
(`#sort=score&dir=desc&risk=unsupported&q=text`, other lists prefixed: `#sources.state=lost`).
Without script a <noscript> style shows every row.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

import jinja2
from markupsafe import Markup

from citeaudit import __version__
from citeaudit.models import AuditResult
from citeaudit.report.html_view import page_view

__all__ = ["NOSCRIPT_STYLE", "csp", "render"]


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("citeaudit.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    return env.get_template("report.html.j2")


@cache
def _assets() -> tuple[str, str]:
    folder = files("citeaudit.report") / "templates"
    return (folder / "report.css").read_text("utf-8"), (folder / "report.js").read_text("utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


NOSCRIPT_STYLE = "tbody tr[hidden] { display: table-row !important; }"
"""Without script, rows past a list's first page show too (nothing would page them)."""


def csp(style: str, script: str) -> str:
    """The page's Content-Security-Policy: nothing loads; only these styles and script apply."""
    styles = f"'{_sha256(style)}' '{_sha256(NOSCRIPT_STYLE)}'"
    return (
        f"default-src 'none'; style-src {styles}; script-src '{_sha256(script)}'; "
        "base-uri 'none'; form-action 'none'"
    )


def render(results: Sequence[AuditResult]) -> str:
    """One self-contained HTML page with a section per document (ids suffixed -1, -2, ...)."""
    style, script = _assets()
    return _template().render(
        page=page_view(results),
        style=Markup(style),
        noscript_style=Markup(NOSCRIPT_STYLE),
        script=Markup(script),
        csp=csp(style, script),
        version=__version__,
    )
