"""Make untrusted text (page titles, URLs, document text) inert in every output.

Titles come from pages citeaudit does not control: they may carry ANSI escapes, terminal control
sequences, Markdown or HTML. Every renderer passes such text through these helpers.

>>> inert("a\\x1b[31mred\\x07")
'a[31mred'
>>> md_cell("a|b\\n<c>")
'a\\\\|b &lt;c&gt;'
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """Drop control characters (ANSI escapes, bidi overrides) and fold newlines to spaces."""
    return _CONTROL.sub("", text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def md_cell(text: str) -> str:
    """Text safe inside a Markdown table cell or paragraph (no HTML, no pipes, one line)."""
    text = inert(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("`", "\\`")
