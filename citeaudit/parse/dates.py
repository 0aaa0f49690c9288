"""The date a document was written, read from the first lines of its text.

Every reader asks the same question of its top lines (a PDF's first rows, an HTML page without
date metadata, a DOCX's first paragraphs), so the patterns live once, here.
"""

from __future__ import annotations

import re
from datetime import date

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
_DATE_SEARCH_CHARS = 4000  # one 1 MB line (a pasted blob) must not be searched three times


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
        head = line[:_DATE_SEARCH_CHARS]  # a date near the top opens its line
        for pattern, order in _DATE_PATTERNS:
            for m in pattern.finditer(head):
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
