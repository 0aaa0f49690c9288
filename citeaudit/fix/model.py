"""The types of a fix: what may be changed, each planned change, and what was left alone.

A fix is planned as data before anything is written: `Proposal`s say, per source, what its URL
becomes and why (format-independent); each format's module turns them into `Edit`s, exact byte
ranges of one file (or of one member of a DOCX zip) with the text expected there and the text
that replaces it. Whatever cannot be placed safely becomes a `Skipped` with its reason, never a
guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from citeaudit.models import Source

FIX_SCHEMA = "citeaudit.fix/1"


class FixKind(StrEnum):
    """What a fix does to one source."""

    ARCHIVE = "archive"
    """A lost source gets its archive capture (appended, or in place of the link)."""
    REDIRECT = "redirect"
    """A URL whose every redirect hop is permanent becomes its final URL."""
    TYPO = "typo"
    """A possible typo becomes the spelling that answers, when the written one does not."""
    REFANG = "refang"
    """A defanged URL is written live again (off by default: defanging is often deliberate)."""
    TRUNCATED = "truncated"
    """A URL cut with '...' gets its full form from another note."""


SAFE_KINDS: frozenset[FixKind] = frozenset(
    {FixKind.ARCHIVE, FixKind.REDIRECT, FixKind.TYPO, FixKind.TRUNCATED}
)
"""What `fix` applies unless told otherwise."""


class ArchiveStyle(StrEnum):
    """How an archive capture enters the document."""

    APPEND = "append"
    """`[archived](capture)` after the original link, which stays."""
    REPLACE = "replace"
    """The capture takes the place of the dead URL."""


@dataclass(frozen=True, slots=True)
class Proposal:
    """One source to change, before it is placed in a file: what its URL becomes, and why."""

    kind: FixKind
    note: int
    source: Source
    new_url: str
    reason: str
    append: bool = False
    """Add `new_url` after the link instead of rewriting it (archive, append style)."""

    def skipped(self, reason: str) -> Skipped:
        """This proposal left undone, and why."""
        source = self.source
        return Skipped(self.kind, source.url, self.note, source.span.line, reason)


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to a file: bytes `start:end` (which hold `old`) become `new`."""

    kind: FixKind
    start: int
    end: int
    old: str
    new: str
    reason: str
    line: int
    column: int
    note: int | None
    url: str
    """The source's normalized URL, as the report names it."""
    part: str | None = None
    """The zip member edited (DOCX); None for the file itself."""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {
            "kind": str(self.kind),
            "note": self.note,
            "url": self.url,
            "line": self.line,
            "column": self.column,
            "part": self.part,
            "start": self.start,
            "end": self.end,
            "old": self.old,
            "new": self.new,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """A fix that would apply to a source but was not made, and why."""

    kind: FixKind
    url: str
    note: int | None
    line: int | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {
            "kind": str(self.kind),
            "note": self.note,
            "url": self.url,
            "line": self.line,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Placed:
    """What a format's module made of the proposals: edits to apply, and the rest skipped."""

    edits: tuple[Edit, ...]
    skipped: tuple[Skipped, ...] = ()
    encoding: str = "utf-8"
    """How the edits' text is written as bytes (an HTML page may declare another charset)."""


@dataclass(frozen=True, slots=True)
class FixResult:
    """A planned fix of one document: its bytes before and after, every edit and every skip."""

    path: str
    input_format: str
    before: bytes
    after: bytes
    edits: tuple[Edit, ...]
    skipped: tuple[Skipped, ...]
    encoding: str = "utf-8"
    stale: bool = False
    """The report was made from other bytes than the file now holds (its sha256 differs)."""
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether anything would change."""
        return self.after != self.before

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (`--format json`)."""
        return {
            "schema": FIX_SCHEMA,
            "document": self.path,
            "format": self.input_format,
            "stale": self.stale,
            "changes": [e.to_json() for e in self.edits],
            "skipped": [s.to_json() for s in self.skipped],
            "warnings": list(self.warnings),
        }
