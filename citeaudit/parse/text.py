"""Read plain-text and Markdown reports: body claims, the notes section, page furniture.

Most reports reach citeaudit as text converted from PDF or Word, and the conversion leaves
damage: the running title repeated at every page break, notes cut in two by it, sentences split
across pages. This module undoes that damage at the line level and hands the catalog clean
`RawNote` text (with `\\f` where a page break cut a note) and `RawClaim` sentences. It does not
look for URLs: that is `parse.urls`, used by the catalog for every format alike.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from citeaudit.errors import InputError
from citeaudit.models import CitationStyle, Finding, FindingKind, Span
from citeaudit.parse.headings import is_notes_heading, is_uncited_heading
from citeaudit.parse.inline import (
    inline_note,
    mask_markdown,
    may_hold_link,
    normalize_label,
    referenced,
    unhtml_lines,
)
from citeaudit.parse.raw import PAGE_BREAK, RawClaim, RawDocument, RawNote
from citeaudit.parse.sentences import markers, split_sentences
from citeaudit.parse.urls import find_urls

_NOTE_START = re.compile(
    r"^[ \t]{0,3}(?:\[(\d{1,6})\](?!\()|\^(\d{1,6})\b|(\d{1,6})\.(?=[ \t]))[ \t]*"
)
# In a notes section: any indentation (reference lists indented as a block are notes), and the
# labels real documents print: numbers, Roman numerals, letters, symbols.
_SYMBOLS = "*†‡§¶‖"
_LABEL = r"\d{1,6}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7}|[a-zA-Z]"
_NOTE_LINE = re.compile(
    rf"^[ \t]*(?:\[(?P<bracketed>{_LABEL}|[{_SYMBOLS}]{{1,3}})\](?!\()[ \t]*:?"
    rf"|\^(?P<caret>\d{{1,6}})\b|(?P<dotted>{_LABEL})[.)](?=[ \t])"
    rf"|(?P<symbol>[{_SYMBOLS}]{{1,3}})(?=[ \t]))[ \t]*"
)
_FOOTNOTE_DEF = re.compile(r"^[ \t]{0,3}\[\^([^\]\s]{1,40})\]:[ \t]?")
_LINK_DEF = re.compile(r"^[ ]{0,3}\[(?!\^)([^\]\n]{1,999})\]:[ \t]*<?([^\s>]+)>?")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_IGNORE = re.compile(r"citeaudit:\s*ignore", re.IGNORECASE)
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}  # fmt: skip
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), "mdy"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I), "dmy"),
    # "(?!\d)", not "\b": an ISO timestamp ("2023-08-03T10:00Z") carries the date too.
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?!\d)"), "iso"),
)
_DATE_SEARCH_LINES = 40
_MIN_FURNITURE_LENGTH = 12
_FURNITURE_REPEATS = 3
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


def find_date(lines: list[str]) -> date | None:
    """The first date near the top ("August 3, 2023", "3 August 2023", "2023-08-03")."""
    seen = 0
    for line in lines:
        if not line.strip():
            continue
        seen += 1
        if seen > _DATE_SEARCH_LINES:
            break
        best: tuple[int, date] | None = None
        for pattern, order in _DATE_PATTERNS:
            for m in pattern.finditer(line):
                found = _to_date(m.groups(), order)
                if found and (best is None or m.start() < best[0]):
                    best = (m.start(), found)
                    break
        if best:
            return best[1]
    return None


def _to_date(groups: tuple[str, ...], order: str) -> date | None:
    try:
        if order == "mdy":
            return date(int(groups[2]), _MONTHS[groups[0].lower()], int(groups[1]))
        if order == "dmy":
            return date(int(groups[2]), _MONTHS[groups[1].lower()], int(groups[0]))
        return date(int(groups[0]), int(groups[1]), int(groups[2]))
    except (ValueError, KeyError):
        return None


def furniture_lines(lines: list[str]) -> frozenset[str]:
    """Lines repeated verbatim 3+ times: running headers and footers (stripped text)."""
    counts = Counter(
        s
        for s in (line.strip() for line in lines)
        if len(s) >= _MIN_FURNITURE_LENGTH
        and not _NOTE_START.match(s)
        and not _BULLET.match(s)
        and not _HEADING.match(s)
        and not _FOOTNOTE_DEF.match(s)
    )
    return frozenset(s for s, n in counts.items() if n >= _FURNITURE_REPEATS)


@dataclass
class _Builder:
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

    def add(self, text: str, where: Span | None, sep: str = "\n") -> None:
        if self.parts:
            self.parts.append(sep)
            self.length += len(sep)
        if where is not None:
            self.anchors.append((self.length, where))
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)

    def note(self) -> RawNote:
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


def _code_lines(lines: list[str], markdown: bool) -> set[int]:
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
            in_list = bool(_BULLET.match(line))
        previous_blank = False
    return code


def _label_ordinals(label: str) -> list[tuple[str, int]]:
    """The (scheme, ordinal) readings of a printed label: `ii` is roman 2, `c` letter 3 or 100."""
    if label.isdigit():
        return [("number", int(label))]
    if label[0] in _SYMBOLS and label == label[0] * len(label):
        rank = _SYMBOLS.index(label[0]) + 1
        out = [("symbol", rank + len(_SYMBOLS) * (len(label) - 1))]
        if label[0] == "*":
            out.append(("stars", len(label)))
        return out
    scheme = "upper" if label.isupper() else "lower"
    out = []
    value = roman_value(label)
    if value is not None:
        out.append(("roman-" + scheme, value))
    if len(label) == 1:
        out.append(("alpha-" + scheme, ord(label.lower()) - ord("a") + 1))
    return out


def roman_value(label: str) -> int | None:
    """The value of a well-formed Roman numeral, else None.

    >>> roman_value("xiv"), roman_value("IIII"), roman_value("ic")
    (14, None, None)
    """
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    text = label.lower()
    if not text or any(c not in values for c in text):
        return None
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=True):
        v = values[a]
        total += -v if b in values and values[b] > v else v
    return total if 0 < total < 4000 and _to_roman(total) == text else None


def _to_roman(value: int) -> str:
    out = []
    for n, s in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
        (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while value >= n:
            out.append(s)
            value -= n
    return "".join(out)


@dataclass
class _Sequence:
    """Where the numbering of a notes section stands: which scheme, which ordinal."""

    scheme: str | None = None
    ordinal: int = 0

    def accepts(self, label: str, bracketed: bool) -> tuple[str, int] | None:
        readings = _label_ordinals(label)
        for scheme, ordinal in readings:
            if scheme == self.scheme and ordinal == self.ordinal + 1:
                return scheme, ordinal
        if not bracketed and self.scheme is not None:
            return None
        # A bracketed label, or the first of a section: any number, or the start of a scheme.
        for scheme, ordinal in readings:
            if scheme == "number" or ordinal == 1:
                return scheme, ordinal
        return None


def _note_label(line: str, symbols_are_labels: bool) -> tuple[re.Match[str], str, bool] | None:
    """(match, label, bracketed) when `line` opens a note with a printed label."""
    m = _NOTE_LINE.match(line)
    if m is None:
        return None
    if m.group("bracketed"):
        return m, m.group("bracketed"), True
    label = m.group("caret") or m.group("dotted") or m.group("symbol")
    if m.group("symbol") and label[0] == "*" and not symbols_are_labels:
        return None
    return m, label, False


def _notes_heading(lines: list[str], skip: set[int]) -> int | None:
    """Index of the notes heading: the last one that is followed by a note.

    A later heading with no note after it ("Sources: our methodology page") does not hide
    the real notes section above it.
    """
    heading = None
    best = None
    for i, line in enumerate(lines):
        if i in skip:
            continue
        if is_notes_heading(line):
            heading = i
        elif heading is not None and best != heading and _note_label(line, True):
            best = heading
    return best


def _parse_notes(
    lines: list[str], start: int, end: int, furniture: frozenset[str], skip: set[int]
) -> list[_Builder]:
    notes: list[_Builder] = []
    current: _Builder | None = None
    sequence = _Sequence()
    pending_blank = False
    # "* text" is a footnote labelled * only where daggers follow; otherwise it is a bullet.
    symbols_are_labels = any(
        lines[i].lstrip().startswith(tuple(_SYMBOLS[1:])) for i in range(start, end)
    )
    for idx in range(start, end):
        line = lines[idx]
        lineno = idx + 1
        stripped = line.strip()
        if idx in skip:
            # A Markdown footnote definition, a code block: it ends the note before it.
            if current is not None:
                notes.append(current)
                current = None
            continue
        if stripped in furniture:
            if current is not None:
                current.add(PAGE_BREAK, None)
            pending_blank = False
            continue
        bullet = _BULLET.match(line)
        body_start = 0
        if bullet and _note_label(line[bullet.end() :], symbols_are_labels):
            body_start = bullet.end()  # "* [3] text": a bulleted list of numbered notes
        found = _note_label(line[body_start:], symbols_are_labels)
        reading = found and sequence.accepts(found[1], found[2])
        if found and reading:
            m, label, _ = found
            sequence.scheme, sequence.ordinal = reading
            if current is not None:
                notes.append(current)
            at = body_start + m.end()
            numeric = label.isdigit()
            current = _Builder(int(label) if numeric else 0, Span(lineno, 1))
            current.label = None if numeric else label
            current.renumber = not numeric
            current.add(line[at:], Span(lineno, at + 1))
            current.ignored = bool(_IGNORE.search(line))
            pending_blank = False
            continue
        if (
            bullet
            and not line.startswith(("  ", "\t"))
            and (current is None or sequence.scheme is None)
        ):
            # An unnumbered reference list: each bullet is an entry of its own.
            if current is not None:
                notes.append(current)
            current = _Builder(0, Span(lineno, 1), renumber=True)
            current.add(line[bullet.end() :], Span(lineno, bullet.end() + 1))
            current.ignored = bool(_IGNORE.search(line))
            pending_blank = False
            continue
        if current is None:
            continue
        if not stripped:
            pending_blank = True
            continue
        if pending_blank:
            current.add("", None)
            pending_blank = False
        current.add(line, Span(lineno, 1))
        if _IGNORE.search(line):
            current.ignored = True
    if current is not None:
        notes.append(current)
    return notes


def _number_notes(notes: list[_Builder], after: int) -> dict[str, int]:
    """Give printed labels (`iv`, `*`) and unlabelled entries numbers after every numbered note."""
    printed: dict[str, int] = {}
    next_number = max([after, *(n.number for n in notes)]) + 1
    for n in notes:
        if not n.renumber:
            continue
        n.number = next_number
        next_number += 1
        if n.label is not None:
            printed.setdefault(n.label, n.number)
    return printed


def _trailing_notes(lines: list[str], skip: set[int]) -> int | None:
    """Where a notes section without a heading starts: a numbered run at the end that is cited.

    Real documents end with "[1] ..." or "1. ..." lines and no heading; a run counts when its
    numbers start at 1, follow each other to the end of the text, and the body cites them.
    """
    candidate: int | None = None
    expected = 0
    gap = 0
    for i, line in enumerate(lines):
        if i in skip:
            continue
        m = _NOTE_START.match(line)
        number = int(m.group(1) or m.group(2) or m.group(3)) if m else None
        if number == 1:
            candidate, expected, gap = i, 2, 0
        elif candidate is not None and number == expected:
            expected += 1
            gap = 0
        elif line.strip():
            gap += 1
            if _HEADING.match(line) or gap > 6:
                candidate = None
    if candidate is None or expected < 3:
        return None
    numbers = set(range(1, expected))
    cited = _cited_numbers(lines, skip)
    return candidate if len(numbers & cited) * 2 >= len(numbers) else None


def _parse_footnotes(
    lines: list[str], number_after: int = 0
) -> tuple[list[RawNote], set[int], dict[str, int]]:
    """Markdown footnote definitions `[^label]: text` (indented lines continue them).

    Named labels are numbered after every numeric label and after `number_after` (the last
    number a notes section uses), so `[^src]` never takes the number of an existing note.
    """
    labels: dict[str, int] = {}
    definitions = [(i, m) for i, line in enumerate(lines) if (m := _FOOTNOTE_DEF.match(line))]
    numeric = [int(m.group(1)) for _, m in definitions if m.group(1).isdigit()]
    next_number = max(max(numeric, default=0), number_after) + 1
    for _, m in definitions:
        label = m.group(1)
        if not label.isdigit() and label not in labels:
            labels[label] = next_number
            next_number += 1
    notes: list[RawNote] = []
    used: set[int] = set()
    for i, m in definitions:
        label = m.group(1)
        number = int(label) if label.isdigit() else labels[label]
        b = _Builder(number, Span(i + 1, 1), style=CitationStyle.FOOTNOTES)
        b.add(lines[i][m.end() :], Span(i + 1, m.end() + 1))
        b.ignored = bool(_IGNORE.search(lines[i]))
        used.add(i)
        j = i + 1
        while j < len(lines):
            line = lines[j]
            if line.startswith(("    ", "\t", "  ")) and line.strip():
                b.add(line.strip(), Span(j + 1, len(line) - len(line.lstrip()) + 1))
                used.add(j)
                j += 1
            elif not line.strip() and j + 1 < len(lines) and lines[j + 1].startswith("    "):
                used.add(j)
                j += 1
            else:
                break
        notes.append(b.note())
    return notes, used, labels


def _link_definitions(
    lines: list[str], skip: set[int]
) -> tuple[dict[str, tuple[str, Span]], dict[int, tuple[int, int]], set[int]]:
    """Markdown link reference definitions `[label]: url`: by label, and which lines hold them.

    Returns (definitions by normalized label, {line index: (numeric label, where its text
    starts)}, definition lines); a numeric label (`[3]: https://...`) is an endnote written as a
    reference definition.
    """
    definitions: dict[str, tuple[str, Span]] = {}
    numeric: dict[int, tuple[int, int]] = {}
    where: set[int] = set()
    for i, line in enumerate(lines):
        if i in skip or "]:" not in line:
            continue
        m = _LINK_DEF.match(line)
        if m is None:
            continue
        label = normalize_label(m.group(1))
        where.add(i)
        if label.isdigit() and len(label) <= 6:
            numeric[i] = (int(label), m.start(2))
        definitions.setdefault(label, (m.group(2), Span(i + 1, m.start(2) + 1)))
    return definitions, numeric, where


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_SENTENCE_END)


def _body_blocks(
    lines: list[str], end: int, furniture: frozenset[str], skip: set[int]
) -> list[_Builder]:
    """Paragraphs and bullets of the body, rejoined where a running header cut them."""
    blocks: list[_Builder] = []
    current: _Builder | None = None
    after_furniture = False
    uncited = False
    for idx in range(end):
        if idx in skip:
            current = None
            continue
        line = lines[idx]
        stripped = line.strip()
        if stripped in furniture:
            after_furniture = True
            current = None
            continue
        if not stripped:
            current = None
            continue
        if _HEADING.match(line) or is_uncited_heading(line):
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
            current.add(stripped, where, sep=" ")
        elif current is None or _BULLET.match(line) or _HEADING.match(line):
            bullet = _BULLET.match(line)
            if bullet:
                # The claim is the bullet's text, not its "- " marker.
                stripped = line[bullet.end() :].strip()
                where = Span(idx + 1, bullet.end() + 1)
            current = _Builder(0, where, heading=bool(_HEADING.match(line)))
            current.add(stripped, where)
            blocks.append(current)
            if current.heading:
                current = None
        else:
            current.add(stripped, where, sep=" ")
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


def _claims(blocks: list[_Builder], cite: _Citations) -> list[RawClaim]:
    claims: list[RawClaim] = []
    for block in blocks:
        text = block.text()
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
                original = text[offset:end]
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
    code = _code_lines(lines, markdown)
    if markdown:
        lines = unhtml_lines(lines, code)
    furniture = furniture_lines(lines)
    footnote_defs = {i for i, line in enumerate(lines) if _FOOTNOTE_DEF.match(line)}
    definitions, numeric_defs, definition_lines = _link_definitions(lines, code | footnote_defs)
    skip = code | footnote_defs | definition_lines
    heading = _notes_heading(lines, code)
    body_end = len(lines)
    start = heading + 1 if heading is not None else _trailing_notes(lines, skip)
    builders: list[_Builder] = []
    if start is not None:
        builders = _parse_notes(lines, start, len(lines), furniture, code | footnote_defs)
        body_end = heading if heading is not None else start
    printed = _number_notes(builders, max((n for n, _ in numeric_defs.values()), default=0))
    notes = [b.note() for b in builders]
    known = {n.number for n in notes}
    for i, (number, at) in numeric_defs.items():
        # Inside the notes section the same line was already read as a note.
        if number not in known and (start is None or i < start):
            notes.append(RawNote(number, Span(i + 1, at + 1), lines[i][at:].strip()))
            known.add(number)
    footnotes, footnote_lines, labels = _parse_footnotes(
        lines, max((n.number for n in notes), default=0)
    )
    notes.extend(n for n in footnotes if n.number not in known)
    _check_size(len(notes), path)
    blocks = _body_blocks(lines, body_end, furniture, skip | footnote_lines)
    cite = _Citations(
        labels,
        printed,
        definitions,
        next_inline=max([n.number for n in notes] + list(labels.values()) + [0]) + 1,
    )
    claims = _claims(blocks, cite)
    notes.extend(cite.inline_notes)
    _check_size(len(notes), path)
    if not notes and require_notes:
        raise InputError(
            f"{path}: no citations found (no notes section such as 'Endnotes' or 'References' "
            "with [1]-style notes, no footnotes [^1]: ..., and no links in the text)"
        )
    ignored_lines = frozenset(
        i + 1 for i in range(body_end) if i not in footnote_lines and _IGNORE.search(lines[i])
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


def _cited_numbers(lines: list[str], skip: set[int]) -> set[int]:
    """Note numbers the text cites with `[N]` markers (for notes found by shape alone)."""
    cited: set[int] = set()
    for i, line in enumerate(lines):
        if i not in skip and "[" in line and not _NOTE_START.match(line):
            cited.update(markers(mask_markdown(line)))
    return cited
