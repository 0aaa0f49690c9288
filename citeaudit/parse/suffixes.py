"""The public suffix list, offline: which part of a host name is its registered domain.

Why here, below the catalog: the URL finder (`parse.url_hosts`) asks whether a bare host ends in
a public suffix, the HTML reader names a page's own site, and the catalog names outlets. All
three read one list, the one bundled with tldextract, never a download.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tldextract


@cache
def suffix_extractor() -> tldextract.TLDExtract:
    """The offline public-suffix extractor, loaded once on first use."""
    # cache_dir=None and no suffix-list URLs: tldextract uses its bundled snapshot and never
    # writes or downloads anything (the tool must work offline, in CI, in a sandbox).
    # deferred: tldextract brings requests, urllib3 and filelock, a tenth of a second that
    # commands which never name an outlet (cache, report) should not pay.
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=65536)
def registered_domain(host: str) -> str:
    """The registrable domain of a host (offline public suffix list).

    >>> registered_domain("www.alaraby.co.uk")
    'alaraby.co.uk'
    >>> registered_domain("127.0.0.2")
    '127.0.0.2'
    """
    host = host.lower().rstrip(".")
    ext = suffix_extractor()(host)
    if ext.domain and ext.suffix:
        return f"{ext.domain}.{ext.suffix}"
    return host


def has_public_suffix(host: str) -> bool:
    """Whether a host ends in a public suffix after a name (offline list).

    >>> has_public_suffix("kremlin.ru"), has_public_suffix("use.notation")
    (True, False)
    """
    ext = suffix_extractor()(host.lower().rstrip("."))
    return bool(ext.domain and ext.suffix)
