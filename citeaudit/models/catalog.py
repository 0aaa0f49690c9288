"""What parsing found in one document: claims -> notes -> sources, plus findings. Offline facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from citeaudit.models.codec import iso, read_date
from citeaudit.models.flags import CitationStyle, FindingKind, Flag

CATALOG_SCHEMA = "citeaudit.catalog/1"


@dataclass(frozen=True, slots=True)
class Span:
    """Where something was written: 1-based line and column in the document."""

    line: int
    column: int = 1
    page: int | None = None
    """For paged formats (PDF): the page; `line` is then the line on that page."""

    def to_json(self) -> dict[str, int | None]:
        """The stable JSON form."""
        return {"line": self.line, "column": self.column, "page": self.page}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Span:
        """Rebuild from the JSON form (a source's or claim's line, column and page)."""
        return cls(int(data.get("line", 1)), int(data.get("column", 1)), data.get("page"))


@dataclass(frozen=True, slots=True)
class Document:
    """The report itself: where it is, its title and its date."""

    path: str
    title: str | None
    date: date | None
    sha256: str | None = None
    """Hex SHA-256 of the bytes read, so `fix` can tell whether the file changed since."""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        out: dict[str, Any] = {
            "path": self.path,
            "title": self.title,
            "date": iso(self.date),
        }
        if self.sha256 is not None:
            out["sha256"] = self.sha256
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        """Rebuild from the JSON form."""
        return cls(
            data["path"],
            data.get("title"),
            read_date(data.get("date")),
            sha256=data.get("sha256"),
        )


@dataclass(frozen=True, slots=True)
class Source:
    """One URL cited in a note, after refanging and repair."""

    url: str
    """Normalized URL: lower-case scheme and host, path and query as written."""
    as_written: str
    """The exact text in the document this source came from."""
    outlet: str
    """Registered domain, or the account for platforms (`twitter.com/DeirEzzore`)."""
    flags: tuple[Flag, ...] = ()
    span: Span = Span(1, 1)
    key: str = ""
    """Dedupe key: the resource the checker probes once (default port and fragment dropped)."""
    alternates: tuple[str, ...] = ()
    """Other plausible readings of a repaired URL (e.g. the unjoined form)."""

    @property
    def checkable(self) -> bool:
        """A truncated or invalid URL is never probed."""
        return Flag.TRUNCATED not in self.flags and Flag.INVALID not in self.flags

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {
            "url": self.url,
            "as_written": self.as_written,
            "outlet": self.outlet,
            "flags": [str(f) for f in self.flags],
            "key": self.key,
            "line": self.span.line,
            "column": self.span.column,
            "page": self.span.page,
            "alternates": list(self.alternates),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Source:
        """Rebuild from the JSON form."""
        return cls(
            url=data["url"],
            as_written=data.get("as_written", data["url"]),
            outlet=data.get("outlet", ""),
            flags=tuple(Flag(f) for f in data.get("flags", [])),
            span=Span.from_json(data),
            key=data.get("key", ""),
            alternates=tuple(data.get("alternates", [])),
        )


@dataclass(frozen=True, slots=True)
class Note:
    """One endnote: its number, line, text and the sources found in it."""

    number: int
    line: int
    text: str
    sources: tuple[Source, ...] = ()
    ignored: bool = False
    """Silenced by an inline `citeaudit: ignore`: listed, never checked or scored."""
    page: int | None = None
    """For paged formats (PDF): the page the note starts on; `line` is then the line on it."""
    style: CitationStyle = CitationStyle.ENDNOTES
    label: str | None = None
    """The label as printed when it is not the number itself (`iv`, `b`, `*`, `†`, `smith2020`)."""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {
            "number": self.number,
            "label": self.label,
            "style": str(self.style),
            "line": self.line,
            "page": self.page,
            "text": self.text,
            "sources": [s.to_json() for s in self.sources],
            "ignored": self.ignored,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Note:
        """Rebuild from the JSON form."""
        return cls(
            number=int(data["number"]),
            line=int(data["line"]),
            text=data.get("text", ""),
            sources=tuple(Source.from_json(s) for s in data.get("sources", [])),
            ignored=bool(data.get("ignored", False)),
            page=data.get("page"),
            style=CitationStyle(data.get("style", "endnotes")),
            label=data.get("label"),
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """A body sentence or bullet that carries note markers."""

    id: int
    line: int
    text: str
    notes: tuple[int, ...]
    column: int = 1
    ignored: bool = False
    """On a line silenced by an inline `citeaudit: ignore`."""
    page: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {
            "id": self.id,
            "line": self.line,
            "page": self.page,
            "column": self.column,
            "text": self.text,
            "notes": list(self.notes),
            "ignored": self.ignored,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Claim:
        """Rebuild from the JSON form (also the claim part of a ClaimScore's form)."""
        return cls(
            id=int(data["id"]),
            line=int(data["line"]),
            text=data.get("text", ""),
            notes=tuple(int(n) for n in data.get("notes", [])),
            column=int(data.get("column", 1)),
            ignored=bool(data.get("ignored", False)),
            page=data.get("page"),
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """Something about the document a reader should know (a typo, a note never cited, ...)."""

    kind: FindingKind
    message: str
    notes: tuple[int, ...] = ()
    urls: tuple[str, ...] = ()
    line: int | None = None
    confidence: str | None = None
    """high / medium / low, for heuristic findings such as possible_typo."""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        out: dict[str, Any] = {
            "kind": str(self.kind),
            "notes": list(self.notes),
            "urls": list(self.urls),
            "message": self.message,
            "line": self.line,
        }
        if self.confidence is not None:
            out["confidence"] = self.confidence
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        """Rebuild from the JSON form."""
        return cls(
            kind=FindingKind(data["kind"]),
            message=data.get("message", ""),
            notes=tuple(int(n) for n in data.get("notes", [])),
            urls=tuple(data.get("urls", [])),
            line=data.get("line"),
            confidence=data.get("confidence"),
        )


@dataclass(frozen=True, slots=True)
class Catalog:
    """A parsed report: claims -> notes -> sources, plus findings. The parser's output."""

    document: Document
    notes: tuple[Note, ...]
    claims: tuple[Claim, ...]
    findings: tuple[Finding, ...] = ()
    _by_number: dict[int, Note] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Looked up once per claim marker: a scan per lookup made scoring quadratic.
        by_number: dict[int, Note] = {}
        for n in self.notes:
            by_number.setdefault(n.number, n)
        object.__setattr__(self, "_by_number", by_number)

    def note(self, number: int) -> Note | None:
        """The note with this number, if any."""
        return self._by_number.get(number)

    @property
    def citation_styles(self) -> tuple[CitationStyle, ...]:
        """The citation styles the document uses, in order of first appearance."""
        return tuple(dict.fromkeys(n.style for n in self.notes))

    def sources(self) -> list[tuple[Note, Source]]:
        """Every (note, source) occurrence in document order."""
        return [(n, s) for n in self.notes for s in n.sources]

    def unique_urls(self) -> list[str]:
        """Distinct normalized URLs in first-seen order."""
        seen: dict[str, None] = {}
        for _, s in self.sources():
            seen.setdefault(s.url, None)
        return list(seen)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {
            "schema": CATALOG_SCHEMA,
            "document": self.document.to_json(),
            "citation_styles": [str(s) for s in self.citation_styles],
            "notes": [n.to_json() for n in self.notes],
            "claims": [c.to_json() for c in self.claims],
            "findings": [f.to_json() for f in self.findings],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Catalog:
        """Rebuild from the JSON form (`citation_styles` follows from the notes)."""
        return cls(
            document=Document.from_json(data["document"]),
            notes=tuple(Note.from_json(n) for n in data.get("notes", [])),
            claims=tuple(Claim.from_json(c) for c in data.get("claims", [])),
            findings=tuple(Finding.from_json(f) for f in data.get("findings", [])),
        )
