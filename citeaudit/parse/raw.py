"""What every input-format reader produces: a document's claims and notes, not yet URLs.

Readers (text/Markdown, HTML, DOCX, PDF) differ in how they find notes and markers; they all
hand `catalog.build()` the same `RawDocument`, so extraction, refanging, repair, outlets and
findings happen once, in one place, for every format.

Conventions a reader follows so the shared extraction works:
- An explicit hyperlink inside a note (HTML `<a>`, DOCX hyperlink, PDF link annotation) is
  written into the note text as a Markdown link `[visible text](href)`; the catalog then applies
  the Markdown rules (same URL: one source; different URL: both, `link_text_differs`).
- A page break that cut a note (furniture removed) is written as a form feed `\\f`; a scheme-less
  fragment right after it continues the last URL before it (`joined_fragment`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from citeaudit.models import CitationStyle, Finding, Span

PAGE_BREAK = "\f"


@dataclass(frozen=True, slots=True)
class RawNote:
    """One endnote as found: its number, text, and where each piece of the text came from."""

    number: int
    span: Span
    text: str
    anchors: tuple[tuple[int, Span], ...] = ()
    """(offset in `text`, position in the document) pairs, sorted by offset: the text from that
    offset on starts at that position. Empty means the whole text starts at `span`."""
    ignored: bool = False
    """An inline `citeaudit: ignore` silenced this note."""
    style: CitationStyle = CitationStyle.ENDNOTES
    label: str | None = None
    """The label as printed when it is not the number (`iv`, `*`); None for plain numbers."""
    _offsets: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Listed once: a note of thousands of lines with a URL on each must not cost lines x URLs.
        object.__setattr__(self, "_offsets", tuple(a[0] for a in self.anchors))

    def position(self, offset: int) -> Span:
        """The document position of the character at `offset` in `text`."""
        if not self.anchors:
            return Span(self.span.line, self.span.column + offset, self.span.page)
        i = bisect_right(self._offsets, offset) - 1
        if i < 0:
            return self.span
        start, where = self.anchors[i]
        if where.page is not None:
            return where
        return Span(where.line, where.column + offset - start, where.page)


@dataclass(frozen=True, slots=True)
class RawClaim:
    """A body sentence or bullet carrying note markers."""

    span: Span
    text: str
    markers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What a reader (text, HTML, DOCX, PDF) hands to the catalog builder."""

    title: str | None
    date: date | None
    claims: tuple[RawClaim, ...]
    notes: tuple[RawNote, ...]
    findings: tuple[Finding, ...] = ()
    """Problems the reader itself noticed (invalid UTF-8, ...)."""
    input_format: str = "text"
    ignored_lines: frozenset[int] = frozenset()
    """Lines an inline ignore comment silenced."""
