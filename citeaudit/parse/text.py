"""Read plain-text and Markdown reports: body claims, the notes section, page furniture.

Most reports reach citeaudit as text converted from PDF or Word, and the conversion leaves
damage: the running title repeated at every page break, notes cut in two by it, sentences split
across pages. This module undoes that damage at the line level and hands the catalog clean
`RawNote` text (with `\\f` where a page break cut a note) and `RawClaim` sentences. It does not
look for URLs: that is `parse.urls`, used by the catalog for every format alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from citeaudit.errors import InputError
from citeaudit.models import Finding, FindingKind, Span
from citeaudit.parse.dates import find_date
from citeaudit.parse.headings import is_uncited_heading
from citeaudit.parse.inline import (
    UNSEEN,
    inline_note,
    mask_markdown,
    may_hold_link,
    referenced,
    unhtml_lines,
)
from citeaudit.parse.lines import (
    BULLET,
    FOOTNOTE_DEF,
    HEADING,
    IGNORE,
    NoteBuilder,
    code_lines,
    furniture_lines,
)
from citeaudit.parse.markdown_notes import link_definitions, parse_footnotes
from citeaudit.parse.notes_section import notes_heading, number_notes, parse_notes, trailing_notes
from citeaudit.parse.raw import RawClaim, RawDocument, RawNote
from citeaudit.parse.sentences import markers, split_sentences
from citeaudit.parse.urls import find_urls

_SENTENCE_END = tuple('.!?:"”’)]*')

MAX_NOTES = 100_000
"""More notes than this is refused (InputError) rather than parsed for minutes."""


def decode(data: bytes, path: str) -> tuple[str, tuple[Finding, ...]]:
    """Bytes to text: UTF-8 (a BOM is fine); invalid bytes are replaced and reported."""
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: this looks like a binary file, not a text report")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        bad = text.count("\ufffd")
        line = data[: exc.start].count(b"\n") + 1
        finding = Finding(
            FindingKind.INVALID_UTF8,
            f"{bad} invalid UTF-8 byte sequence(s) replaced, the first on line {line}",
            line=line,
        )
        return text, (finding,)


def find_title(lines: list[str]) -> str | None:
    """The first non-empty line, without Markdown heading or emphasis marks."""
    for line in lines:
        stripped = line.strip().lstrip("#").strip().strip("*_").strip()
        if stripped:
            return stripped
    return None


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_SENTENCE_END)


def _cut(line: str, seen: str | None, start: int = 0) -> tuple[str, str | None]:
    """`line[start:]` stripped, and the same characters of what a reader sees of the line."""
    rest = line[start:]
    a = start + len(rest) - len(rest.lstrip())
    b = start + len(rest.rstrip())
    return line[a:b], None if seen is None else seen[a:b]


def _body_blocks(
    lines: list[str],
    end: int,
    furniture: frozenset[str],
    skip: set[int],
    seen_lines: list[str] | None = None,
) -> list[NoteBuilder]:
    """Paragraphs and bullets of the body, rejoined where a running header cut them.

    `seen_lines` (as long as `lines`, line by line) is what a reader sees where it differs.
    """
    blocks: list[NoteBuilder] = []
    current: NoteBuilder | None = None
    after_furniture = False
    uncited = False
    for idx in range(end):
        if idx in skip:
            current = None
            continue
        line = lines[idx]
        seen_line = None if seen_lines is None else seen_lines[idx]
        stripped, seen = _cut(line, seen_line)
        if stripped in furniture:
            after_furniture = True
            current = None
            continue
        if not stripped:
            current = None
            continue
        if HEADING.match(line) or is_uncited_heading(line):
            # "Further reading", "See also": lists of links the text does not cite.
            uncited = is_uncited_heading(line)
        if uncited:
            current = None
            continue
        where = Span(idx + 1, len(line) - len(line.lstrip()) + 1)
        if (
            after_furniture
            and blocks
            and stripped[0].islower()
            and not _ends_sentence(blocks[-1].text())
        ):
            current = blocks[-1]
            current.add(stripped, where, sep=" ", seen=seen)
        elif current is None or BULLET.match(line) or HEADING.match(line):
            bullet = BULLET.match(line)
            if bullet:
                # The claim is the bullet's text, not its "- " marker.
                stripped, seen = _cut(line, seen_line, bullet.end())
                where = Span(idx + 1, bullet.end() + 1)
            current = NoteBuilder(0, where, heading=bool(HEADING.match(line)))
            if seen_lines is not None:
                current.seen = []
            current.add(stripped, where, seen=seen)
            blocks.append(current)
            if current.heading:
                current = None
        else:
            current.add(stripped, where, sep=" ", seen=seen)
        after_furniture = False
    return blocks


@dataclass
class _Citations:
    """What body sentences may cite: footnote labels, printed labels, reference definitions."""

    labels: dict[str, int]
    printed: dict[str, int]
    definitions: dict[str, tuple[str, Span]]
    next_inline: int
    inline_notes: list[RawNote] = field(default_factory=list)


def _claims(blocks: list[NoteBuilder], cite: _Citations) -> list[RawClaim]:
    claims: list[RawClaim] = []
    for block in blocks:
        text = block.text()
        shown = block.visible()
        if "[" not in text and not cite.printed and not may_hold_link(text):
            continue
        masked = mask_markdown(text)
        note = block.note()
        for offset, sentence in split_sentences(masked):
            cited = list(markers(sentence, cite.labels, cite.printed))
            end = offset + len(sentence)
            extra = referenced(sentence, cite.definitions)
            links = not block.heading and (
                extra or (may_hold_link(sentence) and find_urls(sentence))
            )
            if links:
                inline = inline_note(
                    cite.next_inline, masked, offset, end, note.position, note.anchors, extra
                )
                cite.inline_notes.append(inline)
                cited.append(cite.next_inline)
                cite.next_inline += 1
            if cited:
                original = shown[offset:end].replace(UNSEEN, "")
                claims.append(
                    RawClaim(note.position(offset), " ".join(original.split()), tuple(cited))
                )
    return claims


def _check_size(notes: int, path: str) -> None:
    if notes > MAX_NOTES:
        # a real report has hundreds; this many is a generated or hostile file, and building
        # its catalog would take minutes
        raise InputError(f"{path}: refused: {notes} notes (the limit is {MAX_NOTES})")


def parse_text(
    text: str,
    path: str,
    *,
    date_override: date | None = None,
    findings: tuple[Finding, ...] = (),
    require_notes: bool = True,
    markdown: bool | None = None,
) -> RawDocument:
    """Parse a plain-text or Markdown report into claims and notes (endnotes, footnotes, links)."""
    if markdown is None:
        markdown = path.endswith((".md", ".markdown", ".mdown", ".mkd"))
    lines = [line.rstrip("\r") for line in text.split("\n")]
    seen_lines: list[str] | None = None
    code = code_lines(lines, markdown)
    if markdown:
        seen = unhtml_lines(lines, code, links=False)
        lines = unhtml_lines(lines, code)
        # a raw HTML link is read as its URL, but a reader sees its text
        seen_lines = seen if seen != lines else None
    furniture = furniture_lines(lines)
    footnote_defs = {i for i, line in enumerate(lines) if FOOTNOTE_DEF.match(line)}
    definitions, numeric_defs, definition_lines = link_definitions(lines, code | footnote_defs)
    skip = code | footnote_defs | definition_lines
    heading = notes_heading(lines, code)
    body_end = len(lines)
    start = heading + 1 if heading is not None else trailing_notes(lines, skip)
    builders: list[NoteBuilder] = []
    if start is not None:
        builders = parse_notes(lines, start, len(lines), furniture, code | footnote_defs)
        body_end = heading if heading is not None else start
    printed = number_notes(builders, max((n for n, _ in numeric_defs.values()), default=0))
    notes = [b.note() for b in builders]
    del builders  # a builder holds its note's text in pieces: twice the notes, at the peak
    known = {n.number for n in notes}
    for i, (number, at) in numeric_defs.items():
        # Inside the notes section the same line was already read as a note.
        if number not in known and (start is None or i < start):
            notes.append(RawNote(number, Span(i + 1, at + 1), lines[i][at:].strip()))
            known.add(number)
    footnotes, footnote_lines, labels = parse_footnotes(
        lines, max((n.number for n in notes), default=0)
    )
    notes.extend(n for n in footnotes if n.number not in known)
    _check_size(len(notes), path)
    blocks = _body_blocks(lines, body_end, furniture, skip | footnote_lines, seen_lines)
    cite = _Citations(
        labels,
        printed,
        definitions,
        next_inline=max([n.number for n in notes] + list(labels.values()) + [0]) + 1,
    )
    claims = _claims(blocks, cite)
    del blocks
    notes.extend(cite.inline_notes)
    _check_size(len(notes), path)
    if not notes and require_notes:
        raise InputError(
            f"{path}: no citations found (no notes section such as 'Endnotes' or 'References' "
            "with [1]-style notes, no footnotes [^1]: ..., and no links in the text)"
        )
    ignored_lines = frozenset(
        i + 1 for i in range(body_end) if i not in footnote_lines and IGNORE.search(lines[i])
    )
    return RawDocument(
        title=find_title(lines),
        date=date_override or find_date(lines),
        claims=tuple(claims),
        notes=tuple(notes),
        findings=findings,
        input_format="markdown" if markdown else "text",
        ignored_lines=ignored_lines,
    )
