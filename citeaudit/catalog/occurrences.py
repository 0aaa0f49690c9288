"""Which notes cite each URL, and the first source seen for it: what every finding reads."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from citeaudit.models import Note, Source


class Occurrences:
    """Which notes cite each URL, and the first Source seen for it, in document order."""

    def __init__(self, notes: Sequence[Note]) -> None:
        # Built while the whole catalog is alive, so it is kept lean: most URLs are cited once,
        # and for them the value is the note's own number (no tuple, no list); a list only
        # starts at the second note. The first sources sit in a list, in document order, not in
        # a second dict keyed by URL. A note's sources come together, so comparing with the
        # last number is enough to skip repeats (a `not in` scan made a URL cited by every
        # note of a long report quadratic).
        self._numbers: dict[str, int | list[int]] = {}
        self.sources: list[Source] = []
        """The first Source of every distinct URL, in document order."""
        for note in notes:
            number = note.number
            for s in note.sources:
                seen = self._numbers.get(s.url)
                if seen is None:
                    self._numbers[s.url] = number
                    self.sources.append(s)
                elif isinstance(seen, int):
                    if seen != number:
                        self._numbers[s.url] = [seen, number]
                elif seen[-1] != number:
                    seen.append(number)

    def notes_of(self, url: str) -> Sequence[int]:
        """The notes citing `url`, in document order (empty if none)."""
        seen = self._numbers.get(url)
        if seen is None:
            return ()
        return (seen,) if isinstance(seen, int) else seen

    def first_note(self, url: str) -> int:
        """The first note citing `url` (which it must be cited by)."""
        seen = self._numbers[url]
        return seen if isinstance(seen, int) else seen[0]

    def repeated(self) -> Iterator[tuple[str, list[int]]]:
        """Each URL cited by more than one note, with those notes, in document order."""
        for url, seen in self._numbers.items():
            if not isinstance(seen, int):
                yield url, seen

    def notes(self, urls: Iterable[str]) -> tuple[int, ...]:
        """The notes citing any of `urls`."""
        return tuple(sorted({n for u in urls for n in self.notes_of(u)}))

    def checkable(self) -> Iterator[Source]:
        """The first Source of every URL that can be probed, in document order."""
        return (s for s in self.sources if s.checkable)
