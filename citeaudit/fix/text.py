"""Place proposals in plain text and Markdown: at the exact spans the catalog recorded.

Each source carries its line and column (characters, 1-based) and the text written there; the
edit is made only where the document holds exactly that text, so a stale or wrong position is
skipped with its reason rather than guessed. The file is read as UTF-8 with undecodable bytes
kept as they are (surrogateescape) and a byte-order mark left in place, so every byte outside
the edited ranges stays identical.

A repeated URL in one note is catalogued once (`duplicate_in_note`); its other occurrences in
that note's lines are found with the same URL scanner and fixed alike.

Deliberately not rewritten: a URL cut by a page break and continued on the next page
(`joined_fragment`), whose two written pieces no single edit can join.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from citeaudit.catalog.normalize import normalize
from citeaudit.fix.diff import show
from citeaudit.fix.edits import drop_overlaps, encoded, rewrite
from citeaudit.fix.model import Edit, Placed, Proposal, Skipped
from citeaudit.models import Catalog, Flag, Note, Source
from citeaudit.parse.urls import find_urls

_BOM = b"\xef\xbb\xbf"
_NEEDS_BRACKETS = frozenset(" ()<>")


@dataclass(frozen=True, slots=True)
class _Lines:
    """A document's lines, with where each starts in characters and in bytes."""

    lines: tuple[str, ...]
    byte_starts: tuple[int, ...]

    @classmethod
    def of(cls, data: bytes) -> _Lines:
        offset = len(_BOM) if data.startswith(_BOM) else 0
        lines = tuple(data[offset:].decode("utf-8", "surrogateescape").split("\n"))
        starts = []
        for line in lines:
            starts.append(offset)
            offset += len(encoded(line)) + 1
        return cls(lines, tuple(starts))

    def byte_at(self, index: int, column: int) -> int:
        """The byte offset of character `column` (0-based) of line `index` (0-based)."""
        return self.byte_starts[index] + len(encoded(self.lines[index][:column]))


def archive_link(capture: str) -> str:
    """The Markdown link that adds a capture after a dead link.

    >>> archive_link("https://web.archive.org/web/2023/https://a.example/x")
    '[archived](https://web.archive.org/web/2023/https://a.example/x)'
    >>> archive_link("https://web.archive.org/web/2023/https://a.example/x_(y)")
    '[archived](<https://web.archive.org/web/2023/https://a.example/x_(y)>)'
    """
    if any(c in _NEEDS_BRACKETS for c in capture):
        return f"[archived](<{capture}>)"
    return f"[archived]({capture})"


def _escape_label(url: str) -> str:
    return url.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def rewritten(as_written: str, flags: Sequence[Flag], new_url: str) -> str:
    """What a source's written text becomes: the new URL, in the link form it was written in.

    >>> rewritten("[http://a\\\\[dot\\\\]example/x](http://a[dot]example/x)",
    ...           (Flag.MARKDOWN_LINK,), "https://a.example/x")
    '[https://a.example/x](https://a.example/x)'
    >>> rewritten("hxxp://a[.]example/x", (Flag.DEFANGED,), "http://a.example/x")
    'http://a.example/x'
    """
    if Flag.MARKDOWN_LINK in flags and as_written.startswith("[") and as_written.endswith(")"):
        return f"[{_escape_label(new_url)}]({new_url})"
    return new_url


def _closing_paren(line: str, open_at: int) -> int | None:
    """Index of the `)` matching the `(` at `open_at` on one line, if any."""
    depth = 0
    i = open_at
    while i < len(line):
        ch = line[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def append_point(line: str, start: int, end: int) -> int | None:
    """Where text added after the link written at `line[start:end]` goes: past its markup.

    >>> append_point("see <https://a.example/x>; and", 5, 24)
    25
    >>> append_point("[page](https://a.example/x) next", 7, 26)
    27
    >>> append_point("[https://a.example/x](https://b.example/y) next", 1, 20)
    42
    """
    if start > 0 and line[start - 1] == "<" and line.startswith(">", end):
        if line.startswith("](", start - 3) and line.startswith(">)", end):
            return end + 2  # [label](<href>)
        return end + 1
    if line.startswith("](", end):  # the link's label: the link ends after its href
        close = _closing_paren(line, end + 1)
        return None if close is None else close + 1
    if line.startswith("](", start - 2):
        close = _closing_paren(line, start - 1)
        return None if close is None else close + 1
    return end


def _duplicates(
    lines: _Lines, note: Note, ends: dict[int, int], source: Source, first: tuple[int, int]
) -> list[tuple[int, int]]:
    """Other places in the note's lines where the same URL is written the same way."""
    found: list[tuple[int, int]] = []
    for index in range(max(0, note.line - 1), min(len(lines.lines), ends[note.number] - 1)):
        for ref in find_urls(lines.lines[index]):
            where = (index, ref.start)
            if (
                where != first
                and ref.as_written == source.as_written
                and normalize(ref.url).url == source.url
            ):
                found.append(where)
    return found


def _note_ends(catalog: Catalog) -> dict[int, int]:
    """For each note, the line (1-based) before which its text ends: where the next one starts."""
    starts = sorted({n.line for n in catalog.notes})
    ends = {}
    for note in catalog.notes:
        after = bisect_right(starts, note.line)
        own = note.line + note.text.count("\n") + 1
        ends[note.number] = min(own, starts[after]) if after < len(starts) else own
    return ends


def place(data: bytes, catalog: Catalog, proposals: Sequence[Proposal]) -> Placed:
    """The edits that make `proposals` in a text or Markdown document's bytes."""
    lines = _Lines.of(data)
    notes = {n.number: n for n in catalog.notes}
    ends = _note_ends(catalog)
    edits: list[Edit] = []
    skipped: list[Skipped] = []
    for proposal in proposals:
        source = proposal.source
        where = _verified(lines, source.span.line, source.span.column, source.as_written)
        if isinstance(where, str):
            skipped.append(proposal.skipped(where))
            continue
        if Flag.JOINED_FRAGMENT in source.flags:
            skipped.append(
                proposal.skipped("the URL continues after a page break; fix both pieces by hand")
            )
            continue
        places = [where]
        note = notes.get(proposal.note)
        if Flag.DUPLICATE_IN_NOTE in source.flags and note is not None:
            places += _duplicates(lines, note, ends, source, where)
        for index, column in places:
            edit = _edit(lines, index, column, proposal)
            if isinstance(edit, str):
                skipped.append(proposal.skipped(edit))
            else:
                edits.append(edit)
    kept, overlapping = drop_overlaps(edits)
    return Placed(tuple(kept), (*skipped, *overlapping))


def _verified(lines: _Lines, line: int, column: int, as_written: str) -> tuple[int, int] | str:
    """(line index, column index) of the source when the document holds it there, else why not."""
    if not 1 <= line <= len(lines.lines) or column < 1:
        return f"line {line} column {column} is outside the document"
    if not lines.lines[line - 1].startswith(as_written, column - 1):
        return (
            f"the document does not hold {as_written!r} at line {line} column {column} "
            "(changed since it was checked?)"
        )
    return line - 1, column - 1


def _edit(lines: _Lines, index: int, column: int, proposal: Proposal) -> Edit | str:
    text = lines.lines[index]
    source = proposal.source
    end = column + len(source.as_written)
    if proposal.append:
        point = append_point(text, column, end)
        if point is None:
            return "cannot tell where the link written there ends"
        start = stop = lines.byte_at(index, point)
        old, new = "", " " + archive_link(proposal.new_url)
        at = point
    else:
        start, stop = lines.byte_at(index, column), lines.byte_at(index, end)
        old, new = source.as_written, rewritten(source.as_written, source.flags, proposal.new_url)
        at = column
        if old == new:
            return "the document already says so"
    return Edit(
        kind=proposal.kind,
        start=start,
        end=stop,
        old=old,
        new=new,
        reason=proposal.reason,
        line=index + 1,
        column=at + 1,
        note=proposal.note,
        url=source.url,
    )


__all__ = ["place", "rewrite", "show"]
