"""Markdown's own notes: footnote definitions `[^label]: text` and link definitions `[label]: url`.

A footnote definition is a note wherever it stands (indented lines continue it); a reference
definition is what `[text][label]` links resolve to, and one with a numeric label
(`[3]: https://...`) is an endnote written as a definition.
"""

from __future__ import annotations

import re

from citeaudit.models import CitationStyle, Span
from citeaudit.parse.inline import normalize_label
from citeaudit.parse.lines import FOOTNOTE_DEF, IGNORE, NoteBuilder
from citeaudit.parse.raw import RawNote

_LINK_DEF = re.compile(r"^[ ]{0,3}\[(?!\^)([^\]\n]{1,999})\]:[ \t]*<?([^\s>]+)>?")


def parse_footnotes(
    lines: list[str], number_after: int = 0
) -> tuple[list[RawNote], set[int], dict[str, int]]:
    """Markdown footnote definitions `[^label]: text` (indented lines continue them).

    Named labels are numbered after every numeric label and after `number_after` (the last
    number a notes section uses), so `[^src]` never takes the number of an existing note.
    """
    labels: dict[str, int] = {}
    definitions = [(i, m) for i, line in enumerate(lines) if (m := FOOTNOTE_DEF.match(line))]
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
        b = NoteBuilder(number, Span(i + 1, 1), style=CitationStyle.FOOTNOTES)
        b.add(lines[i][m.end() :], Span(i + 1, m.end() + 1))
        b.ignored = bool(IGNORE.search(lines[i]))
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


def link_definitions(
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
