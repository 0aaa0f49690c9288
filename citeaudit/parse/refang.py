"""Undo the "defanging" that threat-intel and OSINT writers apply to URLs.

Writers break links on purpose (`hxxp://`, `kremlin[dot]ru`, `npasyria dot com`, `[.]`) so that a
document never links to hostile sites by accident. To check a source we need the real URL, but
the report must still show what was written: `refang()` returns the repaired text together with
a map back to the original offsets, so every URL keeps its exact `as_written` span, and the kind
of every repair, so every URL says which defangs it carried (`Flag`).

The vocabulary (each with its flags; every repair also carries `defanged`):

- scheme disguises in any case, optionally bracketed: `hxxp`, `HXXPS`, `hXXp`, `h**p`,
  `h\\*\\*p`, `fxp`/`ftx` for ftp, `[http]` -> `defanged_scheme`;
- broken separators: `http__`, `http:__`, `http:\\\\`, `http ://`, `http: //`, `http:///`,
  `[:]//`, `[://]`, `https:\\/\\/` -> `mangled_separator`;
- dots in brackets, balanced (`[.]`, `(.)`, `{.}`, `<.>`, `[dot]`, `(dot)`, `<DOT>`, `\\[dot\\]`,
  `[[.]]`) or not (`[.)`, `(.]`, `{.]`, `[dot)`, `example[.com`, `example.]com`) ->
  `unbalanced_brackets` for the latter; ` dot ` / ` DOT ` between labels;
- `[@]`, `[at]` -> `defanged_at`; backslash escapes `\\.`, `\\/` -> `escaped`;
- spaces around dots and slashes, or after `://` (`example .com /x`, `example [.] com`) ->
  `spaced`; zero-width characters between URL characters -> `zero_width`.

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
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from citeaudit.models import Flag

# One pass, one alternation; every alternative is fixed-width or tightly bounded (no nested
# quantifiers, fixed-width lookbehinds), so the scan is linear on any input.
_DEFANG = re.compile(
    r"""
    (?P<scheme>
        (?P<sopen>\\?[\[\(\{])?
        (?P<sword>[hH](?:[tT]{2}|[xX]{2}|[xX]\*|\*[xX]|\*\*|\\\*\\\*)[pP](?P<tls>[sS])?
            |[fF][tTxX][pP]|[fF][tT][xX])
        (?(sopen)(?P<sclose>\\?[\]\)\}]))
        (?P<sep>://(?!/)|:/{3,8}(?!/)|:\\{2}|:\\/\\/|:?__(?=[A-Za-z0-9])|[ \t]{1,3}:[ \t]{0,3}//
            |:[ \t]{1,3}//|\\?\[:\\?\]//|\(:\)//|\{:\}//|\\?\[://\\?\]|\(://\)|\{://\})
        (?P<sspace>[ \t]{1,3}(?=[A-Za-z0-9-]{1,63}[ \t]{0,2}(?:\\{0,2}\.|[\[\(\{<])))?
    )
  | (?P<dot>
        (?:(?<=[A-Za-z0-9])[ \t]{1,2}(?=(?:\\?[\[\(\{<]){1,3}(?:[ \t]{0,2}\.
            |[dD][oO][tT](?:\\?[\]\)\}>]){1,3}[A-Za-z0-9])))?
        (?<![\[\(\{<])(?P<dopen>(?:\\?[\[\(\{<]){1,3})
        (?:[ \t]{0,2}\.[ \t]{0,2}(?P<dclose>(?:\\?[\]\)\}>]){1,3})(?:[ \t]{1,2}(?=[A-Za-z0-9]))?
            |[dD][oO][tT](?P<dclose2>(?:\\?[\]\)\}>]){1,3}))
        (?![\]\)\}>])
    )
  | (?P<half>(?<=[A-Za-z0-9])(?:\\?[\[\(](?:\.|dot|DOT)|(?:\.|dot|DOT)\\?[\]\)])(?=[A-Za-z0-9]))
  | (?P<hslash>(?<=[A-Za-z0-9])\\?\[/(?=[A-Za-z0-9]))
  | (?P<wdot>(?<=[A-Za-z0-9])[ \t]{1,3}(?:dot|DOT)[ \t]{1,3}(?=[A-Za-z0-9]))
  | (?P<sep2>(?<![\[\(\{/])(?:\\?\[(?P<s2>[:/])\\?\]|\((?P<s3>[:/])\)|\{(?P<s4>[:/])\})(?![\]\)\}]))
  | (?P<at>[ \t]?(?:\\?\[(?:@|at|AT)\\?\]|\((?:@|at|AT)\)|\{(?:@|at|AT)\})[ \t]?)
  | (?P<esc>(?<!\\)\\{1,8}(?=[./]))
  | (?P<spdot>(?<=[A-Za-z0-9])[ \t]{1,2}(?P<spch>\\{0,2}[./])(?:(?<=\.)[ \t]{1,2})?
        (?=[A-Za-z0-9])(?!(?i:h[tx]{2}ps?:|ftp:|www\.)))
  | (?P<zw>(?<=[!-~])[\u200b\u200c\u200d\u2060\ufeff]{1,8}(?=[!-~]))
    """,
    re.VERBOSE,
)

# Every marker holds one of these within its first four characters; most text holds few, so the
# full pattern is tried only next to them (sre scans for this simple pattern much faster). No
# marker starts with a closing bracket, and a run of (at most three) opening ones opens a
# marker only before a dot, a space, `:`, `/`, `@`, `at`, `dot` or a scheme's first letter: so
# `[1]`, `[a](`, `f(x)` and 1 MB of `[` wake nothing.
_TRIGGER = re.compile(
    r"[\\\u200b\u200c\u200d\u2060\ufeff]"
    r"|[\[\(\{<](?:\\?[\[\(\{<]){0,2}\\?(?:[ \t.dD:/@hHfF]|[aA][tT])"
    r"|dot|DOT|[ \t][./]|\.[\]\)]|[hH][xX*]"
    # a scheme wakes it only when something follows that may be mangled: a plain `https://x`
    # (most URLs) is nothing to repair
    r"|(?:[hH][tT][tT][pP][sS]?|[fF][tT][pP])(?:[ \t_\\\[\]\(\)\{\}]|:(?!//[^/ \t]))"
    r"|[fF][tT][xX][ \t:_\\\[\]\(\)\{\}]|[fF][xX][pP]"
)
# What a marker may start with (the first character of every alternative of `_DEFANG`).
_STARTS = frozenset(" \t\\[({<hHfF.dD\u200b\u200c\u200d\u2060\ufeff")
_REACH = 3  # how far before its trigger a marker may start (`   dot`, `  [.]`)

_PAIRS = {"[": "]", "(": ")", "{": "}", "<": ">"}
_SOURCE_SCHEMES = ("http", "https", "ftp")
# The classic forms (`hxxp`, `h**p`, `[:]//`, `[://]`) carry `defanged` alone; the rarer ones
# name what was repaired.
_CLASSIC_SCHEME = re.compile(r"h(?:[xX]{2}|\*\*|\\\*\\\*|[xX]\*|\*[xX])p[sS]?")
_CLASSIC_SEPARATORS = frozenset(
    {"://", "[:]//", "\\[:\\]//", "[://]", "\\[://\\]", "(:)//", "{:}//", "(://)", "{://}"}
)
_BASE = (Flag.DEFANGED,)


def _scheme(m: re.Match[str]) -> tuple[str, tuple[Flag, ...]] | None:
    written = m.group("sword")
    word = written.lower().replace("\\", "")
    name = "ftp" if word[0] == "f" else ("https" if m.group("tls") else "http")
    sep = m.group("sep")
    if word in _SOURCE_SCHEMES and sep == "://" and not m.group("sopen") and not m.group("sspace"):
        return None  # a plain scheme in any case: nothing to repair
    flags: list[Flag] = [Flag.DEFANGED]
    if m.group("sopen") or (word not in _SOURCE_SCHEMES and not _CLASSIC_SCHEME.fullmatch(written)):
        flags.append(Flag.DEFANGED_SCHEME)
    if sep not in _CLASSIC_SEPARATORS:
        flags.append(Flag.MANGLED_SEPARATOR)
    if m.group("sspace"):
        flags.append(Flag.SPACED)
    return name + "://", tuple(flags)


@lru_cache(maxsize=256)  # a handful of distinct bracket runs, met once per marker
def _brackets_match(opens: str, closes: str) -> bool:
    opens, closes = opens.replace("\\", ""), closes.replace("\\", "")
    return len(opens) == len(closes) and all(
        _PAIRS[o] == c for o, c in zip(opens, reversed(closes), strict=True)
    )


def _replacement(m: re.Match[str]) -> tuple[str, tuple[Flag, ...], bool] | None:
    """What a marker stands for, its flags, and whether it is a dot that shows a host."""
    kind = m.lastgroup
    text = m.group()
    if kind == "scheme":
        got = _scheme(m)
        return None if got is None else (got[0], got[1], False)
    if kind == "dot":
        flags = [Flag.DEFANGED]
        if not _brackets_match(m.group("dopen"), m.group("dclose") or m.group("dclose2")):
            flags.append(Flag.UNBALANCED_BRACKETS)
        if " " in text or "\t" in text:
            flags.append(Flag.SPACED)
        return ".", tuple(flags), True
    if kind == "half":
        return ".", (Flag.DEFANGED, Flag.UNBALANCED_BRACKETS), True
    if kind == "hslash":
        return "/", (Flag.DEFANGED, Flag.UNBALANCED_BRACKETS), False
    if kind == "wdot":
        return ".", _BASE, False
    if kind == "sep2":
        return m.group("s2") or m.group("s3") or m.group("s4"), _BASE, False
    if kind == "at":
        return "@", (Flag.DEFANGED, Flag.DEFANGED_AT), False
    if kind == "esc":
        return "", (Flag.DEFANGED, Flag.ESCAPED), text.endswith(".") or m.string[m.end()] == "."
    if kind == "spdot":
        ch = m.group("spch")
        spaced = (Flag.DEFANGED, Flag.SPACED, *((Flag.ESCAPED,) if "\\" in ch else ()))
        return ch[-1], spaced, ch[-1] == "." and "\\" in ch
    return "", (Flag.DEFANGED, Flag.ZERO_WIDTH), False


@dataclass(frozen=True, slots=True)
class _Pass:
    """The edits of one substitution pass: spans in its input and output, and their flags."""

    new_starts: tuple[int, ...]
    new_ends: tuple[int, ...]
    orig_starts: tuple[int, ...]
    orig_ends: tuple[int, ...]
    kinds: tuple[tuple[Flag, ...], ...]

    def to_original(self, i: int) -> int:
        """The offset in this pass's input of offset `i` in its output."""
        k = bisect_right(self.new_starts, i) - 1
        if k < 0:
            return i
        if i == self.new_starts[k]:
            return self.orig_starts[k]
        if i < self.new_ends[k]:
            return self.orig_ends[k]
        return self.orig_ends[k] + (i - self.new_ends[k])

    def to_new(self, i: int) -> int:
        """The offset in this pass's output of offset `i` in its input."""
        k = bisect_right(self.orig_starts, i) - 1
        if k < 0:
            return i
        if i < self.orig_ends[k]:
            return self.new_starts[k]
        return self.new_ends[k] + (i - self.orig_ends[k])

    def flags_in(self, start: int, end: int, found: set[Flag]) -> None:
        """Add the flags of every edit inside the output span [start, end) to `found`."""
        k = bisect_left(self.new_ends, start)
        while k < len(self.new_starts) and self.new_starts[k] <= end:
            s, e = self.new_starts[k], self.new_ends[k]
            if (s < end and e > start) or (s == e and start < s < end):
                found.update(self.kinds[k])
            k += 1


@dataclass(frozen=True, slots=True)
class Refanged:
    """Refanged text plus what is needed to map its offsets back to the original."""

    original: str
    text: str
    passes: tuple[_Pass, ...] = field(default=())
    anchors: tuple[int, ...] = field(default=())
    """Refanged offsets of dots written defanged in a host way (`[.]`, `\\.`): where a URL
    without a scheme may stand."""

    def to_original(self, i: int) -> int:
        """Offset in the original text of offset `i` in the refanged text."""
        for p in reversed(self.passes):
            i = p.to_original(i)
        return i

    def as_written(self, start: int, end: int) -> str:
        """The original text behind the refanged span [start, end)."""
        return self.original[self.to_original(start) : self.to_original(end)]

    def flags_in(self, start: int, end: int) -> tuple[Flag, ...]:
        """The flags of every repair inside the refanged span [start, end), in flag order."""
        found: set[Flag] = set()
        for p in reversed(self.passes):
            p.flags_in(start, end, found)
            start, end = p.to_original(start), p.to_original(end)
        if not found:
            return ()
        return tuple(f for f in Flag if f in found)

    def was_defanged(self, start: int, end: int) -> bool:
        """Whether the refanged span [start, end) covers any defang marker."""
        return bool(self.flags_in(start, end))


def _one_pass(text: str) -> tuple[str, _Pass | None, list[int]]:
    pieces: list[str] = []
    ns: list[int] = []
    ne: list[int] = []
    os_: list[int] = []
    oe: list[int] = []
    kinds: list[tuple[Flag, ...]] = []
    anchors: list[int] = []
    last = 0
    out_len = 0
    for m in _markers(text):
        got = _replacement(m)
        if got is None:
            continue
        rep, flags, anchor = got
        pieces.append(text[last : m.start()])
        out_len += m.start() - last
        ns.append(out_len)
        os_.append(m.start())
        oe.append(m.end())
        if anchor:
            anchors.append(out_len)
        pieces.append(rep)
        out_len += len(rep)
        ne.append(out_len)
        kinds.append(flags)
        last = m.end()
    if not ns:
        return text, None, []
    pieces.append(text[last:])
    edits = _Pass(tuple(ns), tuple(ne), tuple(os_), tuple(oe), tuple(kinds))
    return "".join(pieces), edits, anchors


_MAX_PASSES = 4


def _markers(text: str) -> Iterator[re.Match[str]]:
    """What `_DEFANG.finditer(text)` yields, trying the pattern only next to a trigger."""
    pos = 0  # no marker may start before this
    tried = 0  # every start before this was tried already
    trigger = _TRIGGER.search(text)
    while trigger is not None:
        t0 = trigger.start()
        found = None
        for start in range(max(pos, tried, t0 - _REACH), t0 + 1):
            if text[start] in _STARTS:
                found = _DEFANG.match(text, start)
                if found is not None:
                    break
        tried = t0 + 1
        if found is not None:
            yield found
            pos = tried = found.end()
        trigger = _TRIGGER.search(text, max(tried, pos))


def refang(text: str) -> Refanged:
    """Replace every defang marker with what it stands for, keeping an offset map.

    One pass repairs almost everything; a repair can reveal another (`HTTP://[/]` becomes
    `HTTP:///`), so passes repeat until nothing changes (at most a few, each linear).
    """
    current = text
    passes: list[_Pass] = []
    anchors: list[int] = []
    for _ in range(_MAX_PASSES):
        new, p, found = _one_pass(current)
        if p is None:
            break
        anchors = [p.to_new(a) for a in anchors]
        anchors.extend(found)
        passes.append(p)
        current = new
    return Refanged(text, current, tuple(passes), tuple(sorted(set(anchors))))


def has_defang(text: str) -> bool:
    """Whether `text` holds any defang marker (a cheap test before a full refang).

    >>> has_defang("www(dot)example(dot)com"), has_defang("the dotted line")
    (True, False)
    """
    return bool(refang(text).passes)


def refang_text(text: str) -> str:
    """Just the refanged text.

    >>> refang_text("hXXp://evil(.)example{dot}com[/]path")
    'http://evil.example.com/path'
    """
    return refang(text).text
