"""Normalize repaired URLs: what the catalog stores and what the checker probes.

Citations are evidence, so normalization is deliberately minimal: lower-case the scheme and the
host, percent-encode raw non-ASCII (UTF-8, upper-case hex), and keep the path, query and the
existing percent-encoding exactly as written; a trailing slash is never added or dropped. A
separate dedupe key (default port and `#fragment` dropped, IDN host in punycode) lets the checker
probe each resource once without changing what the report shows.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import SplitResult, quote, urlsplit

_SAFE = string.punctuation  # keep all ASCII as written; only non-ASCII and spaces get encoded
_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}
# A URL of this shape is one httpx accepts: parsing it again only to learn that is most of the
# cost of a large catalog.
_PLAIN = re.compile(
    r"(?:https?|ftp)://(?:[A-Za-z0-9\-._~%!$&'()*+,;=:]*@)?"
    r"(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
    r"(?::[0-9]{1,5})?(?:[/?#][!-~]*)?"
)
_HOST_CHARS = set(string.ascii_letters + string.digits + "-._~[]:%")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A URL made ready for probing, with the key that dedupes it."""

    url: str
    key: str
    non_ascii: bool
    valid: bool
    host: str


def _encode(part: str) -> str:
    if part.isascii() and " " not in part:
        return part
    return quote(part, safe=_SAFE)


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a malformed port
    except ValueError:
        return None
    return parts


_FAST = re.compile(r"(?i:(https?|ftp))://([A-Za-z0-9.\-]+)(:[0-9]{1,5})?([/?][!-~]*)?")
_MAX_PORT = 65_535


def _plain(url: str) -> Normalized | None:
    """The common case without urlsplit: an ASCII URL with a plain host and no userinfo."""
    m = _FAST.fullmatch(url)
    if m is None:
        return None
    scheme, host = m[1].lower(), m[2].lower()
    port_text, rest = m[3] or "", m[4] or ""
    if port_text and int(port_text[1:]) > _MAX_PORT:
        return None  # the full path calls it malformed
    out = f"{scheme}://{host}{port_text}{rest}"
    if out == url:
        out = url  # the URL itself, not an equal copy: the catalog and the run plan share it
    if not _PLAIN.fullmatch(out):
        return None  # let the full path decide about odd hosts
    key_port = port_text if port_text and int(port_text[1:]) != _DEFAULT_PORTS[scheme] else ""
    key = f"{scheme}://{host}{key_port}{rest.split('#', 1)[0]}"
    return Normalized(out, out if key == out else key, False, True, host)


# Reports repeat URLs (a hostile input may repeat one 100,000 times in a row); a small cache
# makes a repeat cheap without keeping every URL of a large document alive.
@lru_cache(maxsize=1024)
def normalize(url: str) -> Normalized:
    """Normalize one repaired URL.

    >>> normalize("HTTPS://WWW.Example.COM:443/Path/%d8%a7/?q=A#frag").url
    'https://www.example.com:443/Path/%d8%a7/?q=A#frag'
    >>> normalize("https://www.example.com:443/a#frag").key
    'https://www.example.com/a'
    >>> normalize("https://example.com/وقفه").url
    'https://example.com/%D9%88%D9%82%D9%81%D9%87'
    """
    fast = _plain(url)
    if fast is not None:
        return fast
    parts = _split(url.strip())
    if parts is None or parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return Normalized(url, url, not url.isascii(), False, "")
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()  # urlsplit already drops userinfo here
    netloc = parts.netloc
    userinfo = ""
    if "@" in netloc:
        userinfo, _, netloc = netloc.rpartition("@")
        userinfo += "@"
    port_text = ""
    if netloc.rfind(":") > netloc.rfind("]"):
        port_text = netloc[netloc.rfind(":") :]
    shown_host = f"[{host}]" if ":" in host else host
    path, query, fragment = _encode(parts.path), _encode(parts.query), _encode(parts.fragment)
    non_ascii = not (url.isascii())
    tail = path + (f"?{query}" if query or url.split("#", 1)[0].endswith("?") else "")
    out = f"{scheme}://{_encode(userinfo)}{shown_host}{port_text}{tail}"
    if fragment or "#" in url:
        out += f"#{fragment}"
    # deferred: only URLs off the fast path need httpx's IDNA and validation, and a
    # command that never probes (a warm rerun, `parse`) should not load the HTTP stack for them
    import httpx

    valid = all(c in _HOST_CHARS for c in host) or not host.isascii()
    probe_host = shown_host
    if not host.isascii():
        try:
            probe_host = httpx.URL(f"{scheme}://{host}/").raw_host.decode("ascii")
        except (httpx.InvalidURL, UnicodeError):
            valid = False
    port = parts.port
    key_port = f":{port}" if port is not None and port != _DEFAULT_PORTS[scheme] else ""
    key = f"{scheme}://{probe_host}{key_port}{tail}"
    if key == out:
        key = out  # one string, not two equal ones: a large catalog holds many
    if valid and not _PLAIN.fullmatch(out):
        try:
            httpx.URL(out)
        except (httpx.InvalidURL, UnicodeError):
            valid = False
    return Normalized(out, key, non_ascii, valid, host)
