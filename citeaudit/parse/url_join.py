"""A URL cut by a page break: the scheme-less fragment after the break continues the URL before.

The two pieces often overlap (the layout repeated `com/` on the next page), so the fragment is
joined after the longest plausible overlap.
"""

from __future__ import annotations

import re

from citeaudit.parse.url_bounds import URL_START

FRAGMENT = re.compile(r"[A-Za-z0-9%._~/\-?=&#:+@!$'*,;()]+")
_MAX_OVERLAP = 256


def longest_overlap(left: str, right: str) -> int:
    """Length of the longest suffix of `left` that is a prefix of `right` (a plausible one).

    A single shared character is coincidence unless it is a slash.

    >>> longest_overlap("https://eyeofeufrates.com/", "com/ar/news")
    4
    >>> longest_overlap("https://a.example/x", "yz")
    0
    """
    limit = min(len(left), len(right), _MAX_OVERLAP)
    for k in range(limit, 0, -1):
        if left.endswith(right[:k]) and (k >= 3 or set(right[:k]) == {"/"}):
            return k
    return 0


def is_fragment(text: str) -> bool:
    """A scheme-less piece of a URL (not prose, not a new URL)."""
    if len(text) < 3 or URL_START.match(text) or text.startswith("<"):
        return False
    if not FRAGMENT.fullmatch(text):
        return False
    return "/" in text or "%" in text
