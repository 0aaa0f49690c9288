"""The labels real notes sections print, and the numbering they follow.

Notes are labelled with numbers, Roman numerals (`iv`, `IV`), letters (`a`, `B`) and symbols
(`*`, `†`, `‡`). A label is read in every scheme it fits (`c` is letter 3 or Roman 100), and a
notes section accepts the reading that continues its sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# In a notes section: any indentation (reference lists indented as a block are notes), and the
# labels real documents print: numbers, Roman numerals, letters, symbols.
SYMBOLS = "*†‡§¶‖"
_LABEL = r"\d{1,6}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7}|[a-zA-Z]"
_NOTE_LINE = re.compile(
    rf"^[ \t]*(?:\[(?P<bracketed>{_LABEL}|[{SYMBOLS}]{{1,3}})\](?!\()[ \t]*:?"
    rf"|\^(?P<caret>\d{{1,6}})\b|(?P<dotted>{_LABEL})[.)](?=[ \t])"
    rf"|(?P<symbol>[{SYMBOLS}]{{1,3}})(?=[ \t]))[ \t]*"
)


def _label_ordinals(label: str) -> list[tuple[str, int]]:
    """The (scheme, ordinal) readings of a printed label: `ii` is roman 2, `c` letter 3 or 100."""
    if label.isdigit():
        return [("number", int(label))]
    if label[0] in SYMBOLS and label == label[0] * len(label):
        rank = SYMBOLS.index(label[0]) + 1
        out = [("symbol", rank + len(SYMBOLS) * (len(label) - 1))]
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
class Sequence:
    """Where the numbering of a notes section stands: which scheme, which ordinal."""

    scheme: str | None = None
    ordinal: int = 0

    def accepts(self, label: str, bracketed: bool) -> tuple[str, int] | None:
        """The reading of `label` that continues the sequence, or None."""
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


def note_label(line: str, symbols_are_labels: bool) -> tuple[re.Match[str], str, bool] | None:
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
