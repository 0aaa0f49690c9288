"""Footnote and citation numbers in reStructuredText, assigned the way docutils assigns them.

Auto-numbered footnotes (`[#]`, `[#label]`) take, in the order they are defined, the smallest
numbers no hand-numbered footnote uses; `[#]_` markers take the anonymous ones in order.
Citations and symbol footnotes (`[*]`) are numbered after every numbered footnote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from citeaudit.models import CitationStyle
from citeaudit.parse.sentences import footnote_label_number

_SPACES = re.compile(r"\s+")
SYMBOLS = (
    "*",
    "\u2020",
    "\u2021",
    "\u00a7",
    "\u00b6",
    "#",
    "\u2660",
    "\u2665",
    "\u2666",
    "\u2663",
)


@dataclass
class Block:
    """Lines of one paragraph, bullet, title or note: (line index, column of its text, text)."""

    kind: str
    lines: list[tuple[int, int, str]] = field(default_factory=list)
    label: str = ""


def ref_name(text: str) -> str:
    """A reference name as docutils compares them: case-folded, whitespace collapsed."""
    return _SPACES.sub(" ", text.strip().strip("`")).casefold()


@dataclass
class Numbers:
    """Footnote and citation numbers, assigned the way docutils assigns them."""

    manual: dict[str, int] = field(default_factory=dict)
    named: dict[str, int] = field(default_factory=dict)
    anonymous: list[int] = field(default_factory=list)
    symbols: list[tuple[int, str]] = field(default_factory=list)
    citations: dict[str, int] = field(default_factory=dict)
    of_block: dict[int, tuple[int, str | None, CitationStyle]] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)
    next_anonymous: int = 0
    next_symbol: int = 0

    def resolve(self, label: str) -> int:
        """The number a marker `[label]_` cites (consuming auto-numbered ones in order)."""
        if label.isdigit():
            return int(label)
        if label == "#":
            self.next_anonymous += 1
            if self.next_anonymous <= len(self.anonymous):
                return self.anonymous[self.next_anonymous - 1]
        elif label == "*":
            self.next_symbol += 1
            if self.next_symbol <= len(self.symbols):
                return self.symbols[self.next_symbol - 1][0]
        elif label.startswith("#") and label[1:] in self.named:
            return self.named[label[1:]]
        elif ref_name(label) in self.citations:
            return self.citations[ref_name(label)]
        return footnote_label_number(self.unknown, label)


def number_notes(blocks: Sequence[Block]) -> Numbers:
    """Number every note block: hand numbers, auto numbers, then symbols and citations."""
    numbers = Numbers()
    notes = [(k, b) for k, b in enumerate(blocks) if b.kind == "note"]
    used = {int(b.label) for _, b in notes if b.label.isdigit()}
    auto = 0
    for k, b in notes:
        label = b.label
        if label.isdigit():
            numbers.of_block[k] = (int(label), None, CitationStyle.FOOTNOTES)
        elif label.startswith("#"):
            auto += 1
            while auto in used:
                auto += 1
            numbers.of_block[k] = (auto, None, CitationStyle.FOOTNOTES)
            if label == "#":
                numbers.anonymous.append(auto)
            else:
                numbers.named.setdefault(label[1:], auto)
    after = max([n for n, _, _ in numbers.of_block.values()] + [0])
    for k, b in notes:
        if k in numbers.of_block:
            continue
        after += 1
        if b.label == "*":
            n = len(numbers.symbols)
            symbol = SYMBOLS[n % len(SYMBOLS)] * (n // len(SYMBOLS) + 1)
            numbers.symbols.append((after, symbol))
            numbers.of_block[k] = (after, symbol, CitationStyle.FOOTNOTES)
        else:
            numbers.citations.setdefault(ref_name(b.label), after)
            numbers.of_block[k] = (after, b.label, CitationStyle.BIBLIOGRAPHY)
    return numbers
