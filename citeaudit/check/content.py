"""A page's words and their fingerprint: how the history tells that a page's text changed.

The checker fingerprints every HTML page it reads (the visible text of the capped body), so
each probe in the store says whether the page changed since the last one, with or without
`--drift`. Words, not bytes: markup, whitespace, case and punctuation changes do not count.
"""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-case words, punctuation and quote styles dropped.

    >>> words("It’s “over”, he said.")
    ['it', 's', 'over', 'he', 'said']
    """
    return [w.lower() for w in _WORD.findall(text)]


def fingerprint(text: str) -> str:
    """A short stable hash of a text's words.

    >>> fingerprint("The dam broke.") == fingerprint("the  DAM, broke")
    True
    """
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()[:16]
