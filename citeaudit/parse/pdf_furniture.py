"""Page furniture of a PDF: running headers and footers repeated across pages, page numbers."""

from __future__ import annotations

import re
from collections import Counter

from citeaudit.parse.pdf_rows import Row, prose

_FURNITURE_REPEATS = 3
_MIN_FURNITURE = 12
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$", re.I
)


def furniture(pages: list[list[Row]]) -> set[int]:
    """ids of rows that are page furniture: repeated headers/footers and page numbers."""
    counts = Counter(
        r.plain for rows in pages for r in rows if len(r.plain) >= _MIN_FURNITURE and prose(r.plain)
    )
    repeated = {text for text, n in counts.items() if n >= _FURNITURE_REPEATS}
    out: set[int] = set()
    followers: Counter[str] = Counter()
    for rows in pages:
        for i, row in enumerate(rows):
            if row.plain in repeated:
                out.add(id(row))
                if i + 1 < len(rows) and rows[i + 1].plain not in repeated:
                    followers[rows[i + 1].plain] += 1
        # The first and last rows read, and the highest and lowest on the page (with columns,
        # a centred page number can fall in either column's region).
        ends = (
            [rows[0], rows[-1], max(rows, key=lambda r: r.top), min(rows, key=lambda r: r.bottom)]
            if rows
            else []
        )
        for row in ends:
            if _PAGE_NUMBER.match(row.plain):
                out.add(id(row))
    # A running header wrapped over two rows: its short tail always follows the first row.
    tails = {
        t
        for t, n in followers.items()
        if n >= _FURNITURE_REPEATS and _all_after(pages, t, repeated)
    }
    for rows in pages:
        for i, row in enumerate(rows):
            if row.plain in tails and i and rows[i - 1].plain in repeated:
                out.add(id(row))
    return out


def _all_after(pages: list[list[Row]], text: str, repeated: set[str]) -> bool:
    """True when every row reading `text` follows a repeated (furniture) row."""
    for rows in pages:
        for i, row in enumerate(rows):
            if row.plain == text and not (i and rows[i - 1].plain in repeated):
                return False
    return True
