"""The only place that touches the network: probe URLs, ask archives, remember verdicts."""

from citeaudit.check.options import CheckOptions, parse_resolve
from citeaudit.check.prober import make_client
from citeaudit.check.runner import CheckRun, check, check_urls
from citeaudit.check.tally import ProgressEvent

__all__ = [
    "CheckOptions",
    "CheckRun",
    "ProgressEvent",
    "check",
    "check_urls",
    "make_client",
    "parse_resolve",
]
