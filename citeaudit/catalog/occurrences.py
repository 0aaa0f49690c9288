"""Which notes cite each URL, and the first source seen for it: what every finding reads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from citeaudit.models import Note, Source


class Occurrences:
    """Which notes cite each URL, and the first Source seen for it, in document order."""

    def __init__(self, notes: Sequence[Note]) -> None:
        # Most URLs are cited once: a one-number tuple is half the size of a list, and a list
        # only starts at the second note. A note's sources come together, so comparing with
        # the last number is enough to skip repeats (a `not in` scan made a URL cited by
        # every note of a long report quadratic).
        self.notes_of: dict[str, tuple[int] | list[int]] = {}
        self.source_of: dict[str, Source] = {}
        for note in notes:
            for s in note.sources:
                numbers = self.notes_of.get(s.url)
                if numbers is None:
                    self.notes_of[s.url] = (note.number,)
                    self.source_of[s.url] = s
                elif numbers[-1] != note.number:
                    if isinstance(numbers, tuple):
                        self.notes_of[s.url] = [numbers[0], note.number]
                    else:
                        numbers.append(note.number)

    def notes(self, urls: Iterable[str]) -> tuple[int, ...]:
        """The notes citing any of `urls`."""
        return tuple(sorted({n for u in urls for n in self.notes_of.get(u, ())}))

    def checkable(self) -> list[str]:
        """The URLs that can be probed."""
        return [u for u, s in self.source_of.items() if s.checkable]
