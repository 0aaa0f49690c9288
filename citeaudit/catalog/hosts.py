"""Host names: whether one names a domain or one of its subdomains."""

from __future__ import annotations


def within(host: str, domain: str) -> bool:
    """Whether `host` is `domain` or one of its subdomains (not a name merely ending alike).

    >>> within("news.example.com", "example.com"), within("badexample.com", "example.com")
    (True, False)
    """
    return host == domain or host.endswith("." + domain)
