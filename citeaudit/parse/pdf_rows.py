"""A PDF page as rows of characters in reading order, each character with the link covering it.

pdfminer lays a page out into text lines; this module cuts them where a column gutter falls,
groups them into rows region by region (`pdf_layout.regions`: two columns are read left before
right), turns raised smaller digits into `[N]` markers, spells out ligature glyphs, and puts each
link annotation's URI on the characters inside its `/Rect` (unlinking prose a URI's box covers
by mistake while the URI is visible elsewhere on the page).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from pdfminer.layout import LTAnno, LTChar, LTContainer, LTLine, LTRect, LTTextLine
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1

from citeaudit.parse.pdf_layout import Box, regions, separator

_SUPERSCRIPT_SIZE = 0.8
_SUPERSCRIPT_RISE = 0.2
_URLISH = re.compile(r"://|www\.|%[0-9A-Fa-f]{2}|/|^\s*\[\d")
_LO_ESCAPE = re.compile(r"<([0-9A-Fa-f]{2})>")
_MARKER_CHARS = frozenset("0123456789,–-")
_LIGATURES = frozenset("\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06")
_GAP = 0.75
"""Characters further apart than this share of their size belong to different columns."""
_FULL_ROW = 0.06
"""A row ending this close to its column's right edge (a share of the width) was broken there."""


@dataclass
class Cell:
    """One character of a row: its text and, when a link annotation covers it, the URI."""

    text: str
    uri: str | None = None
    marker: bool = False


@dataclass
class Row:
    """One row of a page: its cells, box, font size and where it stands."""

    cells: list[Cell]
    top: float
    bottom: float
    page: int
    line: int = 0
    plain: str = field(default="")
    size: float = 0.0
    """The row's most common font size."""
    note_start: bool = False
    """The row opens with a superscript number (a footnote's own marker)."""
    region: int = 0
    """Which region of its page (a column, or a band across the columns) holds the row."""
    foot: bool = False
    """The row lies below its region's footnote separator rule."""
    full: bool = False
    """The row runs to its region's right edge (a line the layout had to break)."""

    @property
    def height(self) -> float:
        """The box's height (at least 1 point)."""
        return max(self.top - self.bottom, 1.0)


@dataclass
class _Piece:
    """A run of a text line's characters with no wide gap inside (pdfminer joins the lines of
    two columns when the gutter is narrower than its character margin)."""

    items: list[LTChar | LTAnno]
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        """The box's height."""
        return self.y1 - self.y0

    def __iter__(self) -> Iterator[LTChar | LTAnno]:
        return iter(self.items)


def _pieces(line: LTTextLine) -> Iterator[_Piece]:
    """A text line cut where two characters stand more than `_GAP` of their size apart."""
    items: list[LTChar | LTAnno] = []
    last: LTChar | None = None
    for c in line:
        if isinstance(c, LTChar):
            if last is not None and c.x0 - last.x1 > _GAP * max(c.size, last.size):
                yield _piece(items)
                items = []
            last = c
        if isinstance(c, LTChar | LTAnno) and (items or isinstance(c, LTChar)):
            items.append(c)
    if any(isinstance(c, LTChar) for c in items):
        yield _piece(items)


def _piece(items: list[LTChar | LTAnno]) -> _Piece:
    chars = [c for c in items if isinstance(c, LTChar)]
    return _Piece(
        items,
        min(c.x0 for c in chars),
        min(c.y0 for c in chars),
        max(c.x1 for c in chars),
        max(c.y1 for c in chars),
    )


def walk(item: Any) -> Iterator[Any]:
    """Text lines and drawn lines/rectangles of a laid-out page, iteratively (figures nest)."""
    stack = [item]
    while stack:
        node = stack.pop()
        if isinstance(node, LTTextLine | LTLine | LTRect):
            yield node
        elif isinstance(node, LTContainer):
            stack.extend(reversed(list(node)))


def link_rects(page: PDFPage) -> list[tuple[tuple[float, float, float, float], str]]:
    """The page's link annotations: (box in layout coordinates, URI)."""
    out = []
    x_shift, y_shift = page.mediabox[0], page.mediabox[1]
    for ref in resolve1(page.annots) or []:
        annot = resolve1(ref)
        if not isinstance(annot, dict):
            continue
        action = resolve1(annot.get("A"))
        rect = resolve1(annot.get("Rect"))
        if not isinstance(action, dict) or not isinstance(rect, list | tuple) or len(rect) != 4:
            continue
        uri = resolve1(action.get("URI"))
        if isinstance(uri, bytes):
            uri = uri.decode("utf-8", errors="replace")
        if not isinstance(uri, str) or not uri:
            continue
        # LibreOffice writes the bytes of an IRI it cannot parse as "<D8>": percent-encode them.
        uri = _LO_ESCAPE.sub(r"%\1", uri)
        try:
            x0, y0, x1, y1 = (float(resolve1(v)) for v in rect)
        except (TypeError, ValueError):
            continue
        box = (
            min(x0, x1) - x_shift,
            min(y0, y1) - y_shift,
            max(x0, x1) - x_shift,
            max(y0, y1) - y_shift,
        )
        out.append((box, uri.strip()))
    return out


def _uri_at(
    x: float, y: float, links: list[tuple[tuple[float, float, float, float], str]]
) -> str | None:
    for (x0, y0, x1, y1), uri in links:
        # pdfTeX pads link boxes by a point (\pdflinkmargin): the ";" after a URL is not its.
        pad = 1.0 if x1 - x0 > 6 else -0.5
        if x0 + pad <= x <= x1 - pad and y0 - 0.5 <= y <= y1 + 0.5:
            return uri
    return None


def _group_rows(lines: list[_Piece]) -> list[list[_Piece]]:
    """Lines whose boxes overlap vertically by half form one row (a bullet and its text)."""
    rows: list[list[_Piece]] = []
    for line in sorted(lines, key=lambda ln: (-ln.y1, ln.x0)):
        if rows:
            last = rows[-1]
            top = min(ln.y1 for ln in last)
            bottom = max(ln.y0 for ln in last)
            overlap = min(top, line.y1) - max(bottom, line.y0)
            if overlap >= 0.5 * min(line.height, top - bottom or line.height):
                last.append(line)
                continue
        rows.append([line])
    return [sorted(row, key=lambda ln: ln.x0) for row in rows]


def _row_cells(row: list[_Piece], links: list[Any]) -> tuple[list[Cell], float]:
    chars: list[LTChar | LTAnno] = []
    for i, line in enumerate(row):
        if i:
            chars.append(LTAnno(" "))
        chars.extend(c for c in line if isinstance(c, LTChar | LTAnno))
    sizes = [round(c.size, 1) for c in chars if isinstance(c, LTChar) and c.get_text().strip()]
    body = Counter(sizes).most_common(1)[0][0] if sizes else 0.0
    base = [c.y0 for c in chars if isinstance(c, LTChar) and abs(c.size - body) < 0.5]
    baseline = median(base) if base else 0.0
    cells: list[Cell] = []
    marker: list[str] = []

    def flush_marker() -> None:
        if marker:
            at_start = not "".join(c.text for c in cells).strip()
            label = f"[{''.join(marker).strip(',–-')}]" + (" " if at_start else "")
            cells.append(Cell(label, marker=at_start))
            marker.clear()

    for c in chars:
        if isinstance(c, LTAnno):
            flush_marker()
            cells.append(Cell(c.get_text().replace("\n", "")))
            continue
        text = c.get_text()
        if text in _LIGATURES:
            # Chromium and LibreOffice map "fi" glyphs to U+FB01: a URL needs the letters.
            text = unicodedata.normalize("NFKC", text)
        raised = (
            body
            and c.size < _SUPERSCRIPT_SIZE * body
            and c.y0 > baseline + _SUPERSCRIPT_RISE * body
        )
        if raised and text in _MARKER_CHARS and (marker or text.isdigit()):
            marker.append(text)
            continue
        flush_marker()
        uri = _uri_at((c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2, links) if links else None
        cells.append(Cell(text, uri))
    flush_marker()
    # A space between two characters of the same link belongs to the link.
    for i in range(1, len(cells) - 1):
        gap = cells[i].uri is None and not cells[i].text.strip()
        if gap and cells[i - 1].uri is not None and cells[i - 1].uri == cells[i + 1].uri:
            cells[i].uri = cells[i - 1].uri
    return cells, body


def page_rows(layout: Any, links: list[Any], number: int) -> list[Row]:
    """A page's rows in reading order, region by region, each flagged below its separator."""
    lines: list[_Piece] = []
    rules: list[Box] = []
    for node in walk(layout):
        if isinstance(node, LTTextLine):
            lines.extend(_pieces(node))
        elif node.height <= 2.0 and node.width >= 10.0:
            rules.append((node.x0, node.y0, node.x1, node.y1))
    rows: list[Row] = []
    index = 0
    for k, region in enumerate(regions([(ln.x0, ln.y0, ln.x1, ln.y1) for ln in lines])):
        width = region.x1 - region.x0
        part: list[Row] = []
        for group in _group_rows([lines[i] for i in region.lines]):
            index += 1
            top = max(ln.y1 for ln in group)
            bottom = min(ln.y0 for ln in group)
            # Only the annotations level with this row can cover its characters.
            near = [lk for lk in links if lk[0][1] <= top + 1 and lk[0][3] >= bottom - 1]
            cells, size = _row_cells(group, near)
            plain = "".join(c.text for c in cells).strip()
            if not plain:
                continue
            row = Row(cells, top, bottom, number, index, " ".join(plain.split()), size, region=k)
            row.note_start = next((c.marker for c in cells if c.text.strip()), False)
            row.full = max(ln.x1 for ln in group) >= region.x1 - _FULL_ROW * width
            part.append(row)
        spans = [(r.top, r.bottom) for r in part]
        rule = separator(rules, region, spans, getattr(layout, "width", 0.0)) if rules else None
        for row in part:
            row.foot = rule is not None and row.top <= rule
        rows.extend(part)
    _drop_stray_links(rows)
    return rows


def _drop_stray_links(rows: list[Row]) -> None:
    """Unlink text a link annotation covers by mistake: when a URI's visible text is on the page,
    its other runs over unrelated words are stray (pdfTeX, breaking a linked URL inside a
    footnote over a page, boxes every body line of the next page with that link)."""
    runs: list[tuple[str, list[Cell]]] = []
    for row in rows:
        uri: str | None = None
        for cell in row.cells:
            if cell.uri is not None and cell.uri == uri:
                runs[-1][1].append(cell)
            elif cell.uri is not None:
                runs.append((cell.uri, [cell]))
            uri = cell.uri
    shown = {uri for uri, cells in runs if _shows(uri, cells)}
    for uri, cells in runs:
        if uri in shown and prose("".join(c.text for c in cells)) and not _shows(uri, cells):
            for cell in cells:
                cell.uri = None


def _shows(uri: str, cells: list[Cell]) -> bool:
    """True when the run's text is a piece of the URI itself (a visible URL)."""
    text = "".join(c.text for c in cells).strip().rstrip("-")
    return len(text) >= 4 and text in uri


def prose(text: str) -> bool:
    """Running headers are words, never a URL or a piece of one (long URLs repeat across notes)."""
    return " " in text.strip() or text.isalpha() if not _URLISH.search(text) else False
