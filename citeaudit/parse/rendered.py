"""The bridge from rendered text to the text parser, for the readers that render documents.

Readers of HTML, DOCX and PDF meet documents that number their notes by hand ("[1] ..." under an
"Endnotes" heading); rather than copying the text parser's rules (notes across pages, running
headers, markers after full stops), they render the document to lines of text, with explicit
hyperlinks written as Markdown links (`parse.links`), remember where each line came from, and
hand the lines to `parse.text.parse_text`. `parse_rendered` then maps every position back to the
original (HTML source line, DOCX paragraph, PDF page and line) and marks page breaks inside notes
with `\\f`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from citeaudit.models import Finding, Span
from citeaudit.parse.raw import PAGE_BREAK, RawClaim, RawDocument, RawNote
from citeaudit.parse.text import parse_text


def _where(where: Sequence[Span], line: int, column: int) -> Span:
    if 1 <= line <= len(where):
        w = where[line - 1]
        return Span(w.line, column if w.page is None else w.column, w.page)
    return Span(line, column)


def _remap_note(note: RawNote, where: Sequence[Span], breaks: frozenset[int]) -> RawNote:
    text = note.text
    anchors: list[tuple[int, Span]] = []
    shift = 0
    for i, (offset, span) in enumerate(note.anchors):
        if i and span.line - 1 in breaks and PAGE_BREAK not in text[: offset + shift][-4:]:
            # A page break (or removed running header) cut this note here.
            at = offset + shift
            text = text[:at] + PAGE_BREAK + "\n" + text[at:]
            shift += 2
        anchors.append((offset + shift, _where(where, span.line, span.column)))
    return RawNote(
        number=note.number,
        span=_where(where, note.span.line, note.span.column),
        text=text,
        anchors=tuple(anchors),
        ignored=note.ignored,
        style=note.style,
        label=note.label,
    )


def parse_rendered(
    lines: Sequence[str],
    where: Sequence[Span],
    path: str,
    input_format: str,
    *,
    title: str | None = None,
    doc_date: date | None = None,
    breaks: frozenset[int] = frozenset(),
    findings: tuple[Finding, ...] = (),
) -> RawDocument:
    """Parse rendered lines with the text parser; map positions back through `where`.

    `where[i]` is the original position of `lines[i]`; `breaks` holds the indexes of lines that
    follow a page break or a removed running header (a note continuing there gets `\\f`).
    """
    raw = parse_text("\n".join(lines), path, findings=findings)
    notes = tuple(_remap_note(n, where, breaks) for n in raw.notes)
    claims = tuple(
        RawClaim(_where(where, c.span.line, c.span.column), c.text, c.markers) for c in raw.claims
    )
    ignored = frozenset(_where(where, n, 1).line for n in raw.ignored_lines)
    return dataclasses.replace(
        raw,
        title=title or raw.title,
        date=doc_date or raw.date,
        claims=claims,
        notes=notes,
        input_format=input_format,
        ignored_lines=ignored,
    )
