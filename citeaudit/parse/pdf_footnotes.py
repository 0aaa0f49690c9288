"""Footnotes at the foot of each PDF page, told from the body by the evidence a reader uses.

A region's footnotes are the rows below its separator rule (whatever their size), else the rows
at its foot set smaller than the body, else, in the body's size, the rows from a superscript
number the rows above cite, set off by a gap wider than the line spacing. A note opens with a
superscript number, a number alone on its row (joined to the next), or a plain leading number
the page's body cites; rows above the first number continue the previous page's last footnote.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import replace
from statistics import median

from citeaudit.parse.headings import is_notes_heading
from citeaudit.parse.pdf_renumber import renumber
from citeaudit.parse.pdf_rows import Cell, Row

_LONE_NUMBER = re.compile(r"^\d{1,4}$")
_LEADING_NUMBER = re.compile(r"^(\d{1,4})(?:\.)?\s+\S")
_BODY_MARKER = re.compile(r"\[(\d{1,6})\]")
_SECTION_ENTRY = re.compile(r"^\[(\d{1,4})\]\s")
_MAX_NUMBERED_ROWS = 60  # footnotes fill at most a page's foot: bounded work per region


def split_footnotes(
    pages: list[list[Row]], skip: set[int]
) -> tuple[list[list[Row]], list[list[Row]]]:
    """Body rows and footnote rows of each page, when notes sit at page feet without a heading.

    A region's footnotes are the rows below its separator rule (a short rule above the notes,
    whatever their size), else the rows at its foot set smaller than the body text. The zone
    counts when a row in it opens a note: a superscript number, a number alone on its row, or a
    number that matches a marker in the page's body; or, right after a page with footnotes, when
    a rule sets off rows continuing the last footnote.
    """
    kept = [[r for r in rows if id(r) not in skip] for rows in pages]
    # Beside a notes section (a bibliography), only footnotes under a separator rule count:
    # smaller or numbered rows at a page's foot could be that section's own entries.
    headed = any(is_notes_heading(r.plain) for rows in kept for r in rows)
    sizes: Counter[float] = Counter()
    for rows in kept:
        for r in rows:
            sizes[round(r.size, 1)] += len(r.plain)
    if not sizes:
        return pages, [[] for _ in pages]
    body_size = sizes.most_common(1)[0][0]
    body_pages: list[list[Row]] = []
    note_pages: list[list[Row]] = []
    before = False
    for rows in pages:
        parts: dict[int, list[Row]] = {}
        for row in rows:
            parts.setdefault(row.region, []).append(row)
        zones = [_foot_zone(part, skip, body_size, headed) for part in parts.values()]
        in_zones = {id(r) for zone in zones for r in zone}
        markers = {
            int(m) for r in rows if id(r) not in in_zones for m in _BODY_MARKER.findall(r.plain)
        }
        notes: list[Row] = []
        for zone in zones:
            opened = _open_notes([r for r in zone if id(r) not in skip], markers)
            ruled = any(r.foot for r in zone)
            if any(r.note_start for r in opened) or (ruled and before and opened):
                notes.extend(opened)
            else:
                in_zones -= {id(r) for r in zone}
        body = [r for r in rows if id(r) not in in_zones]
        before = bool(notes)
        body_pages.append(body)
        note_pages.append(notes)
    renumber(body_pages, note_pages, section_numbers(kept) if headed else 0)
    return body_pages, note_pages


def section_numbers(pages: list[list[Row]]) -> int:
    """The highest `[N]` that opens a row after the notes heading (0 without one)."""
    highest = 0
    after = False
    for rows in pages:
        for row in rows:
            if is_notes_heading(row.plain):
                after = True
            elif after and (m := _SECTION_ENTRY.match(row.plain)):
                highest = max(highest, int(m.group(1)))
    return highest


def _foot_zone(rows: list[Row], skip: set[int], body_size: float, ruled_only: bool) -> list[Row]:
    """The rows of a region below its separator, else (unless `ruled_only`) its smaller rows at
    the foot, else the rows from the first footnote set off by a gap (see `_gap_zone`)."""
    ruled = [r for r in rows if r.foot]
    if ruled or ruled_only:
        return ruled

    start = i = len(rows)
    while i:
        row = rows[i - 1]
        if id(row) not in skip:
            if row.size >= 0.95 * body_size:
                break
            start = i - 1
        i -= 1
    if start < len(rows):
        return rows[start:]
    return _gap_zone(rows, skip) or _numbered_zone(rows, skip)


def _gap_zone(rows: list[Row], skip: set[int]) -> list[Row]:
    """Footnotes in the body's size with no rule: the rows from the first row, below a gap wider
    than the region's line spacing, that opens with a superscript number the rows above cite."""
    kept = [r for r in rows if id(r) not in skip]
    gaps = [a.bottom - b.top for a, b in zip(kept, kept[1:], strict=False)]
    if len(gaps) < 2:
        return []
    usual = median(gaps)
    cited: set[int] = set()
    for i, row in enumerate(kept):
        opener = _BODY_MARKER.match(row.plain) if row.note_start else None
        cited_above = i and opener and int(opener.group(1)) in cited
        if cited_above and gaps[i - 1] > usual + 0.5 * row.height:
            return rows[rows.index(row) :]
        cited.update(int(m) for m in _BODY_MARKER.findall(row.plain))
    return []


def _numbered_zone(rows: list[Row], skip: set[int]) -> list[Row]:
    """Footnotes with no rule, gap or size of their own, told by their numbers alone: the last
    rows of the region from a row opening with a number, when the rows opening with a number
    from there down are exactly the markers the rows above cite, in order (`1 2` under a text
    citing `[1]` and `[2]`). A year or a numbered list the text does not cite stays text."""
    kept = [r for r in rows if id(r) not in skip]
    first: dict[int, int] = {}
    for i, row in enumerate(kept):
        for m in _BODY_MARKER.findall(row.plain):
            first.setdefault(int(m), i)
    if not first:
        return []
    order = sorted(first, key=first.__getitem__)
    firsts = [first[m] for m in order]
    numbers: list[int] = []
    for s in range(len(kept) - 1, max(0, len(kept) - _MAX_NUMBERED_ROWS) - 1, -1):
        lead = _lead_number(kept[s])
        if lead is None:
            continue
        numbers.append(lead)
        # the markers cited above row s are a prefix of `order`: no rescan of them per row
        cited = bisect_left(firsts, s)
        if cited == len(numbers) and numbers[::-1] == order[:cited] == sorted(order[:cited]):
            return rows[rows.index(kept[s]) :]
    return []


def _lead_number(row: Row) -> int | None:
    """The number a row opens with: its superscript label, a plain `3` or `3.`, or `3` alone."""
    m = _SECTION_ENTRY.match(row.plain) if row.note_start else None
    m = m or _LEADING_NUMBER.match(row.plain) or _LONE_NUMBER.match(row.plain)
    return int(m.group(1) if m.groups() else m.group()) if m else None


def _open_notes(zone: list[Row], markers: set[int]) -> list[Row]:
    """Footnote rows with each note's number as a note start: a number alone on its row joins
    the row after it, and a plain leading number the page's body cites becomes a marker."""
    out: list[Row] = []
    i = 0
    while i < len(zone):
        row = zone[i]
        lone = _LONE_NUMBER.match(row.plain)
        if lone and i + 1 < len(zone) and not zone[i + 1].note_start:
            nxt = zone[i + 1]
            label = Cell(f"[{row.plain}] ", marker=True)
            out.append(replace(nxt, cells=[label, *nxt.cells], line=row.line, note_start=True))
            i += 2
            continue
        lead = _LEADING_NUMBER.match(row.plain)
        if not row.note_start and lead and int(lead.group(1)) in markers:
            out.append(_numbered(row, lead.group(1)))
        else:
            out.append(row)
        i += 1
    return out


def _numbered(row: Row, number: str) -> Row:
    """The row with its leading plain number (and a dot after it) written as a note marker."""
    cells = list(row.cells)
    while cells and not cells[0].text.strip():
        cells.pop(0)
    taken = 0
    while cells and taken < len(number):
        taken += len(cells.pop(0).text.strip())
    if cells and cells[0].text == ".":
        cells.pop(0)
    while cells and not cells[0].text.strip():
        cells.pop(0)
    return replace(row, cells=[Cell(f"[{number}] ", marker=True), *cells], note_start=True)
