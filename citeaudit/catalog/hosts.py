"""Host names of URLs, and whether one host lies within a domain. No dependencies, no I/O."""

from __future__ import annotations

from urllib.parse import urlsplit


def within(host: str, domain: str) -> bool:
    """Whether `host` is `domain` or one of its subdomains (not a name merely ending alike).

    >>> within("news.example.com", "example.com"), within("example.com", "example.com")
    (True, True)
    >>> within("badexample.com", "example.com")
    False
    """
    return host == domain or host.endswith("." + domain)


def host_of(url: str) -> str:
    """The lower-case host name of a URL; "" when it has none or cannot be split.

    >>> host_of("https://News.Example.com:8443/a"), host_of("http://[broken/"), host_of("x")
    ('news.example.com', '', '')
    """
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
