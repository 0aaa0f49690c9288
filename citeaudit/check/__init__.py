"""The only place that touches the network: probe URLs, ask archives, remember verdicts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from citeaudit.check.lazy import lazy_exports

if TYPE_CHECKING:
    from citeaudit.check.options import CheckOptions, parse_resolve
    from citeaudit.check.prober import make_client
    from citeaudit.check.runner import CheckRun, check, check_urls
    from citeaudit.check.tally import ProgressEvent

# Each name is imported from its module on first use. Every `citeaudit.check.x` import runs this
# file first, and a run whose verdicts all come from the cache never probes: importing the
# prober here made it load httpx, httpcore and h11 (a sixth of a warm rerun) for nothing.
_HOME = {
    "CheckOptions": "citeaudit.check.options",
    "parse_resolve": "citeaudit.check.options",
    "make_client": "citeaudit.check.prober",
    "CheckRun": "citeaudit.check.runner",
    "check": "citeaudit.check.runner",
    "check_urls": "citeaudit.check.runner",
    "ProgressEvent": "citeaudit.check.tally",
}

__all__ = [
    "CheckOptions",
    "CheckRun",
    "ProgressEvent",
    "check",
    "check_urls",
    "make_client",
    "parse_resolve",
]


__getattr__ = lazy_exports(__name__, _HOME)
