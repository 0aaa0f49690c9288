"""Footnote numbers that restart, made unique: per chapter or per page, as LaTeX's report and
book classes, and many word processors, number them.

The text parser keys notes by number, so two footnotes both printed `1` would be one note. When
the footnotes' numbers do not rise through the document, or a notes section (a bibliography)
already uses the low numbers, every footnote gets the next free number in page order, and each
marker in its page's body that cites it is rewritten to match. A marker cites the footnote of
its own page: that is how a reader resolves a restarted `1`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from citeaudit.parse.pdf_rows import Row

_LABEL = re.compile(r"^\[(\d{1,4})\]\s?$")
_MARKER = re.compile(r"^\[\d{1,4}(?:[,–-]\d{1,4}){0,20}\]\s?$")
_DIGITS = re.compile(r"\d{1,4}")


def _label(row: Row) -> tuple[int, int] | None:
    """(index of the cell, number) of the marker that opens a footnote row."""
    for k, cell in enumerate(row.cells):
        if cell.text.strip():
            m = _LABEL.match(cell.text) if cell.marker else None
            return (k, int(m.group(1))) if m else None
    return None


def renumber(body_pages: list[list[Row]], note_pages: list[list[Row]], base: int) -> None:
    """Give restarted footnote numbers (or numbers at or below `base`) unique ones, in place.

    `base` is the highest number a notes section of the document already uses.
    """
    printed = [n for notes in note_pages for r in notes if (label := _label(r)) for n in label[1:]]
    rising = all(b > a for a, b in zip(printed, printed[1:], strict=False))
    if not printed or (rising and printed[0] > base):
        return
    counter = base
    for body, notes in zip(body_pages, note_pages, strict=True):
        mapping: dict[int, int] = {}
        for row in notes:
            label = _label(row)
            if label is None:
                continue
            k, number = label
            counter += 1
            mapping.setdefault(number, counter)
            _set_cell(row, k, f"[{counter}] ")
        if not mapping:
            continue
        for row in body:
            for k, cell in enumerate(row.cells):
                if _MARKER.match(cell.text):
                    text = _relabel(cell.text, mapping)
                    if text != cell.text:
                        _set_cell(row, k, text)


def _set_cell(row: Row, k: int, text: str) -> None:
    row.cells[k] = replace(row.cells[k], text=text)
    row.plain = " ".join("".join(c.text for c in row.cells).split())


def _relabel(label: str, mapping: dict[int, int]) -> str:
    """A body marker (`[1]`, `[1,2]`) with each footnote number it cites mapped.

    >>> _relabel("[1,2]", {1: 5, 2: 6}), _relabel("[3]", {1: 5})
    ('[5,6]', '[3]')
    """
    return _DIGITS.sub(lambda m: str(mapping.get(int(m.group()), m.group())), label)
