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
from citeaudit.models import Finding, FindingKind, Span
from citeaudit.parse.raw import PAGE_BREAK, RawClaim, RawDocument, RawNote
from citeaudit.parse.sentences import markers, split_sentences

_NOTES_HEADING = re.compile(
    r"^\s{0,3}(?:#{1,6}\s*)?(?:\*\*|__)?\s*"
    r"(?:end\s?notes|notes|references|sources|footnotes|citations|bibliography|works cited"
    r"|notes and references|sources and notes)"
    r"\s*(?:\*\*|__)?\s*:?\s*$",
    re.IGNORECASE,
)
_NOTE_START = re.compile(
    r"^[ \t]{0,3}(?:\[(\d{1,6})\](?!\()|\^(\d{1,6})\b|(\d{1,6})\.(?=[ \t]))[ \t]*"
)
_FOOTNOTE_DEF = re.compile(r"^[ \t]{0,3}\[\^([^\]\s]{1,40})\]:[ \t]?")
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
            return RawNote(self.number, self.anchors[0][1], stripped, (), self.ignored)
        return RawNote(self.number, self.span, stripped, tuple(self.anchors), self.ignored)


def _notes_heading(lines: list[str]) -> int | None:
    """Index of the notes heading: the last one that is followed by a note.

    A later heading with no note after it ("Sources: our methodology page") does not hide
    the real notes section above it.
    """
    heading = None
    best = None
    for i, line in enumerate(lines):
        if _NOTES_HEADING.match(line):
            heading = i
        elif heading is not None and _NOTE_START.match(line):
            best = heading
    return best


def _note_number(m: re.Match[str]) -> tuple[int, bool]:
    """(number, is_bracketed): `[N]` always starts a note; `N.`/`^N` only in sequence."""
    if m.group(1):
        return int(m.group(1)), True
    return int(m.group(2) or m.group(3)), False


def _parse_notes(
    lines: list[str], start: int, furniture: frozenset[str], definitions: set[int]
) -> list[RawNote]:
    notes: list[RawNote] = []
    current: _Builder | None = None
    pending_blank = False
    for idx in range(start, len(lines)):
        line = lines[idx]
        lineno = idx + 1
        stripped = line.strip()
        if idx in definitions:
            # A Markdown footnote definition is a note of its own: it ends the one before it.
            if current is not None:
                notes.append(current.note())
                current = None
            continue
        if stripped in furniture:
            if current is not None:
                current.add(PAGE_BREAK, None)
            pending_blank = False
            continue
        m = _NOTE_START.match(line)
        if m:
            number, bracketed = _note_number(m)
            last = current.number if current else 0
            if bracketed or number == last + 1 or current is None:
                if current is not None:
                    notes.append(current.note())
                body = line[m.end() :]
                current = _Builder(number, Span(lineno, 1))
                current.add(body, Span(lineno, m.end() + 1))
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
        notes.append(current.note())
    return notes


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
        b = _Builder(number, Span(i + 1, 1))
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


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_SENTENCE_END)


def _body_blocks(
    lines: list[str], end: int, furniture: frozenset[str], skip: set[int]
) -> list[_Builder]:
    """Paragraphs and bullets of the body, rejoined where a running header cut them."""
    blocks: list[_Builder] = []
    current: _Builder | None = None
    after_furniture = False
    for idx in range(end):
        if idx in skip:
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
            current = _Builder(0, where)
            current.add(stripped, where)
            blocks.append(current)
            if _HEADING.match(line):
                current = None
        else:
            current.add(stripped, where, sep=" ")
        after_furniture = False
    return blocks


def _claims(blocks: list[_Builder], labels: dict[str, int]) -> list[RawClaim]:
    claims: list[RawClaim] = []
    for block in blocks:
        text = block.text()
        if "[" not in text:
            continue
        note = block.note()
        for offset, sentence in split_sentences(text):
            cited = markers(sentence, labels)
            if cited:
                claims.append(RawClaim(note.position(offset), " ".join(sentence.split()), cited))
    return claims


def parse_text(
    text: str,
    path: str,
    *,
    date_override: date | None = None,
    findings: tuple[Finding, ...] = (),
    require_notes: bool = True,
) -> RawDocument:
    """Parse a plain-text or Markdown report into claims and notes."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    furniture = furniture_lines(lines)
    heading = _notes_heading(lines)
    notes: list[RawNote] = []
    body_end = len(lines)
    if heading is not None:
        definitions = {i for i, line in enumerate(lines) if _FOOTNOTE_DEF.match(line)}
        notes = _parse_notes(lines, heading + 1, furniture, definitions)
        body_end = heading
    footnotes, footnote_lines, labels = _parse_footnotes(
        lines, max((n.number for n in notes), default=0)
    )
    if footnotes:
        known = {n.number for n in notes}
        notes.extend(n for n in footnotes if n.number not in known)
    if len(notes) > MAX_NOTES:
        # a real report has hundreds; this many is a generated or hostile file, and building
        # its catalog would take minutes
        raise InputError(f"{path}: refused: {len(notes)} notes (the limit is {MAX_NOTES})")
    if not notes and require_notes:
        raise InputError(
            f"{path}: no notes section found (expected a heading such as 'Endnotes' or "
            "'References' followed by [1]-style notes, or Markdown footnotes [^1]: ...)"
        )
    blocks = _body_blocks(lines, body_end, furniture, footnote_lines)
    ignored_lines = frozenset(
        i + 1 for i in range(body_end) if i not in footnote_lines and _IGNORE.search(lines[i])
    )
    return RawDocument(
        title=find_title(lines),
        date=date_override or find_date(lines),
        claims=tuple(_claims(blocks, labels)),
        notes=tuple(notes),
        findings=findings,
        input_format="markdown" if path.endswith((".md", ".markdown")) else "text",
        ignored_lines=ignored_lines,
    )
