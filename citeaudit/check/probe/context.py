"""What one probe carries: the client, the settings, the limiter, and what the run has learnt.

Also the answers a probe's requests end in (`Answer`, `Failure`) and the rule for which URLs
open with HEAD (`head_first`): decided per request, since the host may have taught something
while a probe waited for its slot.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urlsplit

import httpx

from citeaudit.check.options import CheckOptions
from citeaudit.check.pages import PageKeeper
from citeaudit.check.probe.location import check_location
from citeaudit.check.ratelimit import HostLimiter, default_rand
from citeaudit.check.softnotfound import PageShape
from citeaudit.models import Hop, LinkStatus

GET_AFTER_HEAD = frozenset({400, 403, 404, 405, 406, 429, 501})
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True, slots=True)
class Answer:
    """The last response of a redirect chain (body only for GET, capped)."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes | None
    hops: tuple[Hop, ...]
    cut: int | None = None
    """When the body broke off before its end: how many decoded bytes had been read."""


@dataclass(frozen=True, slots=True)
class Failure:
    """A chain that ended without a usable response."""

    status: LinkStatus
    reason: str
    hops: tuple[Hop, ...] = ()
    url: str | None = None


HostShape = Callable[[str], Awaitable[PageShape | None]]
"""Given an origin (scheme://host[:port]), the host's answer for a random path, or None."""


@dataclass
class ProbeContext:
    """What probing needs besides the URL: client, settings, limiter and run-wide state."""

    client: httpx.AsyncClient
    options: CheckOptions
    limiter: HostLimiter
    host_shape: HostShape | None = None
    network_down: str | None = None
    """When set, "no such domain" is reported as this network-unavailable reason, never dead."""
    rand: Callable[[], float] = default_rand
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep
    requests: int = 0
    retries_done: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    get_hosts: set[str] = field(default_factory=set)
    """Hosts where a HEAD had to be followed by a GET: their later pages start with GET."""
    scouts: dict[str, asyncio.Future[None]] = field(default_factory=dict)
    """Per host, the first page's probe, which the host's other pages wait for (auto mode)."""
    keep_pages: PageKeeper | None = None
    """Where the pages read are kept for `--include-fragments` (None: nothing is kept)."""

    def __post_init__(self) -> None:
        hooks = self.client.event_hooks
        if check_location not in hooks.get("response", []):
            hooks["response"] = [*hooks.get("response", []), check_location]
            self.client.event_hooks = hooks


@functools.lru_cache(maxsize=8192)
def split_url(url: str) -> SplitResult:
    """`urlsplit(url)`, remembered for the URLs of the probes in flight.

    Why: a probe asks about its URL's parts in several places, and `urlsplit`'s own cache
    (128 entries) is too small for a run's hundreds of URLs in flight.
    """
    return urlsplit(url)


@functools.lru_cache(maxsize=4096)
def host_key(url: str) -> str:
    """The limiter's key for a URL: host and port, lower case, no user info."""
    # the limiter counts per host name and port: that is what a server (or a farm IP) sees;
    # cached, since each request asks about its URL several times
    parts = split_url(url)
    return (parts.netloc.rsplit("@", 1)[-1]).lower()


def is_html(headers: dict[str, str]) -> bool:
    """Whether a response (headers lower-cased) is a page whose body is worth reading."""
    ctype = headers.get("content-type", "").lower()
    return not ctype or any(t in ctype for t in _HTML_TYPES)


_FILE_SUFFIXES = frozenset(
    "pdf doc docx xls xlsx ppt pptx odt ods odp rtf epub csv zip gz tgz bz2 xz 7z rar tar iso "
    "exe dmg apk msi jpg jpeg png gif webp tif tiff bmp svg mp3 m4a wav ogg flac mp4 m4v mov "
    "avi mkv webm wmv flv".split()
)


def looks_like_file(url: str) -> bool:
    """Whether a URL names a download (judged by its status alone) rather than a web page.

    >>> looks_like_file("https://a.example/report.PDF?dl=1"), looks_like_file("https://a.example/x")
    (True, False)
    """
    last = split_url(url).path.rsplit("/", 1)[-1]
    return "." in last and last.rsplit(".", 1)[1].lower() in _FILE_SUFFIXES


def head_first(ctx: ProbeContext, url: str) -> bool:
    """Whether `url` opens with HEAD, given --first-request and what its host has shown."""
    mode = ctx.options.first_request
    if mode != "auto":
        return mode == "head"
    # a page on a host whose pages needed the GET anyway gains nothing from a HEAD
    return looks_like_file(url) or host_key(url) not in ctx.get_hosts
