"""The shapes of lines in a text report, and the builder that turns lines into notes and blocks.

Shared by the notes-section finder (`notes_section`), the Markdown definitions (`markdown_notes`)
and the body reader (`text`): where a note starts, what a bullet, heading or code line is, which
lines are running headers, and how text keeps the position of every piece it was made from.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from citeaudit.models import CitationStyle, Span
from citeaudit.parse.raw import RawNote

NOTE_START = re.compile(
    r"^[ \t]{0,3}(?:\[(\d{1,6})\](?!\()|\^(\d{1,6})\b|(\d{1,6})\.(?=[ \t]))[ \t]*"
)
FOOTNOTE_DEF = re.compile(r"^[ \t]{0,3}\[\^([^\]\s]{1,40})\]:[ \t]?")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
IGNORE = re.compile(r"citeaudit:\s*ignore", re.IGNORECASE)
_MIN_FURNITURE_LENGTH = 12
_FURNITURE_REPEATS = 3


@dataclass(slots=True)  # one per note and body block: a 10 MB report makes 100,000
class NoteBuilder:
    """Accumulates text with anchors mapping text offsets back to document positions."""

    number: int
    span: Span
    parts: list[str] = field(default_factory=list)
    anchors: list[tuple[int, Span]] = field(default_factory=list)
    length: int = 0
    ignored: bool = False
    style: CitationStyle = CitationStyle.ENDNOTES
    label: str | None = None
    renumber: bool = False
    """Numbered after the numeric notes: a printed label (`iv`, `*`) or an unnumbered entry."""
    heading: bool = False
    seen: list[str] | None = None
    """What a reader sees of each part, as long as the part, when it differs from the text read
    for citations (a raw HTML link in Markdown is read as its URL, seen as its text)."""

    def add(self, text: str, where: Span | None, sep: str = "\n", seen: str | None = None) -> None:
        """Append `text` (after `sep`), anchored at `where` when it is known."""
        if self.parts:
            self.parts.append(sep)
            self.length += len(sep)
            if self.seen is not None:
                self.seen.append(sep)
        if where is not None:
            self.anchors.append((self.length, where))
        self.parts.append(text)
        self.length += len(text)
        if self.seen is not None:
            self.seen.append(text if seen is None else seen)

    def visible(self) -> str:
        """The text as a reader sees it (the same length as `text()`)."""
        return self.text() if self.seen is None else "".join(self.seen)

    def text(self) -> str:
        """The text gathered so far."""
        return "".join(self.parts)

    def note(self) -> RawNote:
        """The gathered text as a note, trailing space removed."""
        text = self.text()
        stripped = text.rstrip()
        if len(self.anchors) == 1 and self.anchors[0][0] == 0:
            # A one-line note: its start position says it all (position() counts from it), and
            # 50,000 notes need not each carry an anchor table.
            return RawNote(
                self.number, self.anchors[0][1], stripped, (), self.ignored, self.style, self.label
            )
        return RawNote(
            self.number, self.span, stripped, tuple(self.anchors), self.ignored, self.style,
            self.label,
        )  # fmt: skip


def code_lines(lines: list[str], markdown: bool) -> set[int]:
    """Indexes of lines inside fenced code blocks, and in Markdown indented code blocks."""
    code: set[int] = set()
    fence: str | None = None
    previous_blank = True
    in_list = False
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is not None:
            code.add(i)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            code.add(i)
            continue
        stripped = line.strip()
        if not stripped:
            previous_blank = True
            continue
        indented = line.startswith(("    ", "\t"))
        if markdown and indented and not in_list and (previous_blank or i - 1 in code):
            code.add(i)
        elif not indented:
            in_list = bool(BULLET.match(line))
        previous_blank = False
    return code


def furniture_lines(lines: list[str]) -> frozenset[str]:
    """Lines repeated verbatim 3+ times: running headers and footers (stripped text)."""
    counts = Counter(
        s
        for s in (line.strip() for line in lines)
        if len(s) >= _MIN_FURNITURE_LENGTH
        and not NOTE_START.match(s)
        and not BULLET.match(s)
        and not HEADING.match(s)
        and not FOOTNOTE_DEF.match(s)
    )
    return frozenset(s for s, n in counts.items() if n >= _FURNITURE_REPEATS)
