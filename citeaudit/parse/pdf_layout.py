"""Page geometry for the PDF reader: columns in reading order and footnote separator rules.

Pure functions over boxes `(x0, y0, x1, y1)` in PDF points (y grows upwards), so the evidence a
reader uses to find the notes of a printed page (a short rule above them, two columns side by
side) is decided apart from pdfminer. Every function is linear or `n log n` in the boxes it gets.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

Box = tuple[float, float, float, float]
T = TypeVar("T")

_GUTTER_FROM = 0.3
_GUTTER_TO = 0.7
_MIN_COLUMN_LINES = 4
_MIN_COLUMN_SHARE = 0.25
_MAX_CROSSING_SHARE = 0.2
_SPAN_SHARE = 0.3
_MAX_SPLITS = 2  # a gutter within a side of a gutter: up to four columns
_RULE_THICKNESS = 2.0
_UNDERLINE_DROP = 0.25
_MAX_RULES = 200
_RULE_MIN_WIDTH = 0.08
_RULE_MAX_WIDTH = 0.75
_RULE_PAGE_SHARE = 0.3  # LaTeX's rule is 0.4 of the text width, Word's 2 inches of 6 or more


@dataclass(frozen=True)
class Region:
    """One column (or a band spanning the columns) of a page: its lines in reading order."""

    lines: tuple[int, ...]
    """Indexes into the page's line boxes."""
    x0: float
    x1: float


def gutter(boxes: Sequence[Box]) -> float | None:
    """The x of the gap between two columns of text, or None for a one-column page.

    Two columns need enough lines wholly on each side of one vertical line that few lines cross
    (a title or a page number may span both columns).
    """
    if len(boxes) < 2 * _MIN_COLUMN_LINES:
        return None
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    width = right - left
    if width <= 0:
        return None
    # The gap lies where a left column's lines end: try each right edge in the middle band.
    candidates = sorted(
        {round(b[2], 1) for b in boxes if _GUTTER_FROM <= (b[2] - left) / width <= _GUTTER_TO}
    )
    best: tuple[int, float] | None = None
    starts = sorted(b[0] for b in boxes)
    ends = sorted(b[2] for b in boxes)
    for x in candidates:
        on_left = bisect_right(ends, x + 0.5)
        on_right = len(starts) - bisect_right(starts, x + 0.5)
        crossing = len(boxes) - on_left - on_right
        if min(on_left, on_right) < max(_MIN_COLUMN_LINES, _MIN_COLUMN_SHARE * len(boxes)):
            continue
        if crossing > _MAX_CROSSING_SHARE * len(boxes):
            continue
        if best is None or crossing < best[0]:
            best = (crossing, x)
    return None if best is None else best[1]


def regions(boxes: Sequence[Box], depth: int = 0) -> list[Region]:
    """The page's lines split into regions in reading order: bands down the page, each band's
    left column before its right one; lines that cross the gutter form bands of their own.

    Each side of a gutter is split again the same way, so three or four columns are read one
    by one, left to right (a side needs its own lines on both sides of a gap of its own).
    """
    order = sorted(range(len(boxes)), key=lambda i: (-boxes[i][3], boxes[i][0]))
    if not boxes:
        return []
    x = gutter(boxes)
    if x is None:
        return [_region(order, boxes)]
    # A line spans the columns when it reaches well into both; an overfull line of the left
    # column that sticks out into the gutter is still the left column's.
    far_left = min(b[0] for b in boxes)
    far_right = max(b[2] for b in boxes)
    reach = _SPAN_SHARE * min(x - far_left, far_right - x)
    out: list[Region] = []
    left: list[int] = []
    right: list[int] = []
    span: list[int] = []

    def close_columns() -> None:
        for part in (left, right):
            if part and depth < _MAX_SPLITS:
                inner = regions([boxes[i] for i in part], depth + 1)
                out.extend(Region(tuple(part[j] for j in r.lines), r.x0, r.x1) for r in inner)
            elif part:
                out.append(_region(part, boxes))
            part.clear()

    for i in order:
        x0, _, x1, _ = boxes[i]
        crosses = x0 < x - reach and x1 > x + reach
        if crosses:
            if left or right:
                close_columns()
            span.append(i)
            continue
        if span:
            out.append(_region(span, boxes))
            span = []
        (left if (x0 + x1) / 2 <= x else right).append(i)
    if span:
        out.append(_region(span, boxes))
    close_columns()
    return out


def _region(indexes: list[int], boxes: Sequence[Box]) -> Region:
    return Region(
        tuple(indexes), min(boxes[i][0] for i in indexes), max(boxes[i][2] for i in indexes)
    )


def separator(
    rules: Sequence[Box],
    region: Region,
    rows: Sequence[tuple[float, float]],
    page_width: float = 0.0,
) -> float:
    """The y of the footnote separator of a region, or -inf when it has none.

    A separator is a thin horizontal rule starting at the region's left edge, shorter than the
    region is wide (a full-width rule is a table's or a header's), with text rows both above and
    below it and none across it (an underline runs through its row's box). `rows` are the
    region's (top, bottom) pairs.
    """
    width = region.x1 - region.x0
    best = float("-inf")
    if width <= 0:
        return best
    candidates = [
        (x0, y0, x1, y1)
        for x0, y0, x1, y1 in rules
        if y1 - y0 <= _RULE_THICKNESS
        and (x1 - x0) / width >= _RULE_MIN_WIDTH
        # a page of short lines is a narrow region: its rule is still short for the page
        and ((x1 - x0) / width <= _RULE_MAX_WIDTH or x1 - x0 <= _RULE_PAGE_SHARE * page_width)
        and abs(x0 - region.x0) <= 0.1 * width + 2
    ]
    # A page drawn with thousands of short rules is a chart or a table, not a page of notes.
    if len(candidates) > _MAX_RULES:
        return best
    for _, y0, _, y1 in candidates:
        y = (y0 + y1) / 2
        # An underline sits just below its row's box (in the descent): keep clear of rows.
        if any(bottom - _UNDERLINE_DROP * (top - bottom) <= y <= top for top, bottom in rows):
            continue
        above = any(bottom >= y for _, bottom in rows)
        below = any(top <= y for top, _ in rows)
        # The lowest qualifying rule: footnotes are the last thing in a column.
        if above and below and (best == float("-inf") or y < best):
            best = y
    return best
