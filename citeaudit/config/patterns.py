"""URL patterns (`exclude`, `include`, `.citeauditignore`): which rule keeps a URL unprobed.

- `re:REGEX`: a Python regular expression searched anywhere in the normalized URL.
- a glob without `/` and `:` (`x.com`, `*.gov.sy`): matched against the URL's host, so
  `*.example.com` matches every subdomain (not the bare domain).
- any other glob (`https://example.com/private/*`, `*://*/login*`): matched against the whole URL.

Globs use `fnmatch` (`*`, `?`, `[...]`), case-insensitively. Each pattern is compiled once.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from functools import lru_cache

from citeaudit.catalog.hosts import host_of
from citeaudit.errors import ConfigError


def check_pattern(pattern: str, where: str) -> None:
    """Raise ConfigError, prefixed by `where`, when a `re:` pattern does not compile."""
    if pattern.startswith("re:"):
        try:
            _regex(pattern[3:])
        except re.error as exc:
            raise ConfigError(f"{where}: invalid regular expression {pattern!r}: {exc}") from exc


@lru_cache(maxsize=1024)
def _regex(source: str) -> re.Pattern[str]:
    return re.compile(source)


@lru_cache(maxsize=1024)
def _glob(pattern: str) -> re.Pattern[str]:
    # fnmatch.translate emulates atomic groups for `*`, so these never backtrack badly.
    return re.compile(fnmatch.translate(pattern.lower()))


def matching_pattern(url: str, patterns: Iterable[str]) -> str | None:
    """The first pattern (see the module docstring for the forms) a URL matches, if any.

    >>> matching_pattern("https://sub.example.com/x", ["*.example.com"])
    '*.example.com'
    >>> matching_pattern("https://example.org/a/b", ["re:^ftp:", "https://example.org/a/*"])
    'https://example.org/a/*'
    >>> matching_pattern("https://example.org/b", ["re:/a/"]) is None
    True
    """
    lowered = url.lower()
    host: str | None = None
    for pattern in patterns:
        if pattern.startswith("re:"):
            if _regex(pattern[3:]).search(url):
                return pattern
        elif "/" not in pattern and ":" not in pattern:
            if host is None:
                host = host_of(url)
            if host and _glob(pattern).match(host):
                return pattern
        elif _glob(pattern).match(lowered):
            return pattern
    return None


def url_rule(url: str, exclude: Iterable[str], include: Iterable[str] = ()) -> str | None:
    """The rule that keeps a URL from being probed, or None to probe it.

    With `include` patterns only a URL matching one is probed, whatever `exclude` says.

    >>> url_rule("https://a.example/x", ["a.example"])
    'exclude a.example'
    >>> url_rule("https://a.example/x", ["a.example"], ["re:/x$"]) is None
    True
    >>> url_rule("https://b.example/", [], ["a.example"])
    'include: no pattern matches'
    """
    include = tuple(include)
    if include:
        return None if matching_pattern(url, include) else "include: no pattern matches"
    hit = matching_pattern(url, exclude)
    return None if hit is None else f"exclude {hit}"
