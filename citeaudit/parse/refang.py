"""Undo the "defanging" that threat-intel and OSINT writers apply to URLs.

Writers break links on purpose (`hxxp://`, `kremlin[dot]ru`, `npasyria dot com`, `[.]`) so that a
document never links to hostile sites by accident. To check a source we need the real URL, but
the report must still show what was written: `refang()` returns the repaired text together with
a map back to the original offsets, so every URL keeps its exact `as_written` span.

Refanging only prepares text for URL detection; it never decides that something is a URL. Prose
such as "the dot com era" refangs to "the.com era", which has no scheme and is never extracted.

>>> refang("hxxps://kremlin[dot]ru/events").text
'https://kremlin.ru/events'
>>> refang(r"https://ria\\[dot\\]ru/x").text
'https://ria.ru/x'
>>> refang("npasyria dot com/en").text
'npasyria.com/en'
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# Every alternative is a fixed-width or tightly bounded pattern: no nested quantifiers, so the
# scan is linear on any input.
_DEFANG = re.compile(
    r"""
    (?P<scheme>(?<![A-Za-z0-9])h(?:[xX]{2}|\*\*|\\\*\\\*|[xX]\*|\*[xX]|XX)p(?P<tls>[sS]?)
        (?=(?:\\?[\[\(\{])?:))
  | (?P<sep>\\?\[://\\?\]|\\?\[:\\?\]|\(:\)|\{:\}|\\?\[/\\?\]|\(/\)|\{/\})
  | (?P<dot>\\?\[(?:\.|[dD][oO][tT])\\?\]|\((?:\.|[dD][oO][tT])\)|\{(?:\.|[dD][oO][tT])\})
  | (?P<wdot>(?<=[A-Za-z0-9])[ \t]{1,3}(?:dot|DOT)[ \t]{1,3}(?=[A-Za-z0-9]))
    """,
    re.VERBOSE,
)

_MAX_PASSES = 8


def _replacement(m: re.Match[str]) -> str:
    if m.group("scheme") is not None:
        return "http" + m.group("tls").lower()
    if m.group("sep") is not None:
        inner = m.group("sep").replace("\\", "")[1:-1]
        return inner
    return "."


@dataclass(frozen=True, slots=True)
class _Pass:
    """The edits of one substitution pass, in new-text coordinates."""

    new_starts: tuple[int, ...]
    new_ends: tuple[int, ...]
    orig_starts: tuple[int, ...]
    orig_ends: tuple[int, ...]

    def to_original(self, i: int) -> int:
        """The offset in the original text of offset `i` in the refanged text."""
        k = bisect_right(self.new_starts, i) - 1
        if k < 0:
            return i
        if i == self.new_starts[k]:
            return self.orig_starts[k]
        if i < self.new_ends[k]:
            return self.orig_ends[k]
        return self.orig_ends[k] + (i - self.new_ends[k])


@dataclass(frozen=True, slots=True)
class Refanged:
    """Refanged text plus what is needed to map its offsets back to the original."""

    original: str
    text: str
    passes: tuple[_Pass, ...] = field(default=())
    defanged_spans: tuple[tuple[int, int], ...] = field(default=())
    """Original-text spans that were defang markers, sorted by start."""
    span_starts: tuple[int, ...] = field(default=())

    def to_original(self, i: int) -> int:
        """Offset in the original text of offset `i` in the refanged text."""
        for p in reversed(self.passes):
            i = p.to_original(i)
        return i

    def as_written(self, start: int, end: int) -> str:
        """The original text behind the refanged span [start, end)."""
        return self.original[self.to_original(start) : self.to_original(end)]

    def was_defanged(self, start: int, end: int) -> bool:
        """Whether the refanged span [start, end) covers any defang marker."""
        lo, hi = self.to_original(start), self.to_original(end)
        k = bisect_right(self.span_starts, hi) - 1
        while k >= 0:
            s, e = self.defanged_spans[k]
            if e <= lo:
                return False
            if s < hi:
                return True
            k -= 1
        return False


def _one_pass(text: str) -> tuple[str, _Pass | None, list[tuple[int, int]]]:
    pieces: list[str] = []
    ns: list[int] = []
    ne: list[int] = []
    os_: list[int] = []
    oe: list[int] = []
    spans: list[tuple[int, int]] = []
    last = 0
    out_len = 0
    for m in _DEFANG.finditer(text):
        pieces.append(text[last : m.start()])
        out_len += m.start() - last
        rep = _replacement(m)
        ns.append(out_len)
        os_.append(m.start())
        oe.append(m.end())
        pieces.append(rep)
        out_len += len(rep)
        ne.append(out_len)
        spans.append((m.start(), m.end()))
        last = m.end()
    if not spans:
        return text, None, []
    pieces.append(text[last:])
    return "".join(pieces), _Pass(tuple(ns), tuple(ne), tuple(os_), tuple(oe)), spans


def refang(text: str) -> Refanged:
    """Replace every defang marker with what it stands for, keeping an offset map."""
    current = text
    passes: list[_Pass] = []
    orig_spans: list[tuple[int, int]] = []
    for _ in range(_MAX_PASSES):
        new, p, spans = _one_pass(current)
        if p is None:
            break
        # Express this pass's spans in original coordinates through the earlier passes.
        for s, e in spans:
            for earlier in reversed(passes):
                s, e = earlier.to_original(s), earlier.to_original(e)
            orig_spans.append((s, e))
        passes.append(p)
        current = new
    orig_spans.sort()
    return Refanged(
        text, current, tuple(passes), tuple(orig_spans), tuple(s for s, _ in orig_spans)
    )


def has_defang(text: str) -> bool:
    """Whether `text` holds any defang marker (a cheap test before a full refang).

    >>> has_defang("www(dot)example(dot)com"), has_defang("the dotted line")
    (True, False)
    """
    return _DEFANG.search(text) is not None


def refang_text(text: str) -> str:
    """Just the refanged text.

    >>> refang_text("hXXp://evil(.)example{dot}com[/]path")
    'http://evil.example.com/path'
    """
    return refang(text).text
