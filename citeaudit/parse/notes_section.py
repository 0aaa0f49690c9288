"""Find a report's notes section and read its notes: by heading, or by shape at the end.

A notes section opens under a heading ("Endnotes", "Notes and sources", "Примечания") that a
note follows, or, without a heading, as a numbered run at the end of the text that the body
cites. Its notes are read line by line: a printed label opens one (`parse.labels` decides which
labels continue the sequence), running headers inside it become page breaks, and unnumbered
bullets each become an entry numbered after the numbered notes.
"""

from __future__ import annotations

from citeaudit.models import Span
from citeaudit.parse.headings import is_notes_heading
from citeaudit.parse.inline import mask_markdown
from citeaudit.parse.labels import SYMBOLS, Sequence, note_label
from citeaudit.parse.lines import BULLET, HEADING, IGNORE, NOTE_START, NoteBuilder
from citeaudit.parse.raw import PAGE_BREAK
from citeaudit.parse.sentences import markers


def notes_heading(lines: list[str], skip: set[int]) -> int | None:
    """Index of the notes heading: the last one that is followed by a note.

    A later heading with no note after it ("Sources: our methodology page") does not hide
    the real notes section above it.
    """
    heading = None
    best = None
    for i, line in enumerate(lines):
        if i in skip:
            continue
        if is_notes_heading(line):
            heading = i
        elif heading is not None and best != heading and note_label(line, True):
            best = heading
    return best


def parse_notes(
    lines: list[str], start: int, end: int, furniture: frozenset[str], skip: set[int]
) -> list[NoteBuilder]:
    """The notes of `lines[start:end]`: a printed label that continues the sequence opens one."""
    notes: list[NoteBuilder] = []
    current: NoteBuilder | None = None
    sequence = Sequence()
    pending_blank = False
    # "* text" is a footnote labelled * only where daggers follow; otherwise it is a bullet.
    symbols_are_labels = any(
        lines[i].lstrip().startswith(tuple(SYMBOLS[1:])) for i in range(start, end)
    )
    for idx in range(start, end):
        line = lines[idx]
        lineno = idx + 1
        stripped = line.strip()
        if idx in skip:
            # A Markdown footnote definition, a code block: it ends the note before it.
            if current is not None:
                notes.append(current)
                current = None
            continue
        if stripped in furniture:
            if current is not None:
                current.add(PAGE_BREAK, None)
            pending_blank = False
            continue
        bullet = BULLET.match(line)
        body_start = 0
        if bullet and note_label(line[bullet.end() :], symbols_are_labels):
            body_start = bullet.end()  # "* [3] text": a bulleted list of numbered notes
        found = note_label(line[body_start:], symbols_are_labels)
        reading = found and sequence.accepts(found[1], found[2])
        if found and reading:
            m, label, _ = found
            sequence.scheme, sequence.ordinal = reading
            if current is not None:
                notes.append(current)
            at = body_start + m.end()
            numeric = label.isdigit()
            current = NoteBuilder(int(label) if numeric else 0, Span(lineno, 1))
            current.label = None if numeric else label
            current.renumber = not numeric
            current.add(line[at:], Span(lineno, at + 1))
            current.ignored = bool(IGNORE.search(line))
            pending_blank = False
            continue
        if (
            bullet
            and not line.startswith(("  ", "\t"))
            and (current is None or sequence.scheme is None)
        ):
            # An unnumbered reference list: each bullet is an entry of its own.
            if current is not None:
                notes.append(current)
            current = NoteBuilder(0, Span(lineno, 1), renumber=True)
            current.add(line[bullet.end() :], Span(lineno, bullet.end() + 1))
            current.ignored = bool(IGNORE.search(line))
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
        if IGNORE.search(line):
            current.ignored = True
    if current is not None:
        notes.append(current)
    return notes


def number_notes(notes: list[NoteBuilder], after: int) -> dict[str, int]:
    """Give printed labels (`iv`, `*`) and unlabelled entries numbers after every numbered note."""
    printed: dict[str, int] = {}
    next_number = max([after, *(n.number for n in notes)]) + 1
    for n in notes:
        if not n.renumber:
            continue
        n.number = next_number
        next_number += 1
        if n.label is not None:
            printed.setdefault(n.label, n.number)
    return printed


def trailing_notes(lines: list[str], skip: set[int]) -> int | None:
    """Where a notes section without a heading starts: a numbered run at the end that is cited.

    Real documents end with "[1] ..." or "1. ..." lines and no heading; a run counts when its
    numbers start at 1, follow each other to the end of the text, and the body cites them.
    """
    candidate: int | None = None
    expected = 0
    gap = 0
    for i, line in enumerate(lines):
        if i in skip:
            continue
        m = NOTE_START.match(line)
        number = int(m.group(1) or m.group(2) or m.group(3)) if m else None
        if number == 1:
            candidate, expected, gap = i, 2, 0
        elif candidate is not None and number == expected:
            expected += 1
            gap = 0
        elif line.strip():
            gap += 1
            if HEADING.match(line) or gap > 6:
                candidate = None
    if candidate is None or expected < 3:
        return None
    numbers = set(range(1, expected))
    cited = cited_numbers(lines, skip)
    return candidate if len(numbers & cited) * 2 >= len(numbers) else None


def cited_numbers(lines: list[str], skip: set[int]) -> set[int]:
    """Note numbers the text cites with `[N]` markers (for notes found by shape alone)."""
    cited: set[int] = set()
    for i, line in enumerate(lines):
        if i not in skip and "[" in line and not NOTE_START.match(line):
            cited.update(markers(mask_markdown(line)))
    return cited
