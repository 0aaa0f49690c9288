"""The core types every stage shares: frozen, hashable, with a stable JSON form.

The catalog types (Document, Span, Source, Note, Claim, Finding, Catalog) come out of parsing
and are offline facts about a document. The checking types (LinkStatus, Hop, ArchiveSnapshot,
Verdict) describe what the network said about one URL. Scores (SourceState, Risk, ClaimScore,
OutletScore) are pure functions of both. Nothing here does I/O.

`to_json()` methods return plain dicts whose keys are a public contract (`citeaudit.catalog/1`,
`citeaudit.report/1`): add fields, never rename or drop them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

CATALOG_SCHEMA = "citeaudit.catalog/1"
REPORT_SCHEMA = "citeaudit.report/1"


class Flag(StrEnum):
    """What the parser noticed or repaired about one source."""

    MARKDOWN_LINK = "markdown_link"
    LINK_TEXT_DIFFERS = "link_text_differs"
    DEFANGED = "defanged"
    GLUED = "glued"
    TRUNCATED = "truncated"
    JOINED_FRAGMENT = "joined_fragment"
    DUPLICATE_IN_NOTE = "duplicate_in_note"
    NON_ASCII = "non_ascii"
    SCHEME_ADDED = "scheme_added"
    SHORTLINK = "shortlink"
    INVALID = "invalid"
    RELATIVE = "relative"
    """A link relative to the document (`./other.md`, `/about`): a local file, or a page under
    `--base-url`; its `url` is the link as written."""
    DEFANGED_SCHEME = "defanged_scheme"
    """A disguised scheme: `hxxp`, `HXXPS`, `h**p`, `fxp`, `[http]`."""
    MANGLED_SEPARATOR = "mangled_separator"
    """A broken `://`: `http__`, `http:\\\\`, `http ://`, `http:///`, `[:]//`, `[://]`."""
    UNBALANCED_BRACKETS = "unbalanced_brackets"
    """A dot in mismatched or half brackets: `[.)`, `{.]`, `[dot)`, `example[.com`."""
    ESCAPED = "escaped"
    """Backslash-escaped dots or slashes: `example\\.com`, `https:\\/\\/`."""
    DEFANGED_AT = "defanged_at"
    """An at sign in brackets: `[@]`, `[at]`."""
    SPACED = "spaced"
    """Spaces around dots or slashes, or after `://`, inside one URL."""
    ZERO_WIDTH = "zero_width"
    """Zero-width characters (U+200B, U+2060, U+FEFF...) removed from inside the URL."""


class CitationStyle(StrEnum):
    """How a note is tied to the text that cites it."""

    ENDNOTES = "endnotes"
    """A notes section at the end, cited by markers (`[3]`, superscripts, Word endnotes)."""
    FOOTNOTES = "footnotes"
    """Notes at the foot of a page or written beside their marker (`[^3]:`, Word footnotes)."""
    INLINE = "inline"
    """A hyperlink in the running text: the sentence holding it is the claim."""
    BIBLIOGRAPHY = "bibliography"
    """A citation key resolved through a bibliography (`\\cite{key}` with a `.bib` file)."""


class FindingKind(StrEnum):
    """Kinds of document-level observations the catalog reports."""

    POSSIBLE_TYPO = "possible_typo"
    SAME_RESOURCE_VARIANT = "same_resource_variant"
    CITED_IN_MANY = "cited_in_many"
    NOTE_NEVER_CITED = "note_never_cited"
    MARKER_WITHOUT_NOTE = "marker_without_note"
    EMPTY_NOTE = "empty_note"
    TRUNCATED = "truncated"
    LINK_TEXT_DIFFERS = "link_text_differs"
    INVALID_UTF8 = "invalid_utf8"
    HTTPS_AVAILABLE = "https_available"
    """An `http://` link whose site answers on https (`--require-https`)."""
    INPUT_NOT_READ = "input_not_read"
    """A file the document includes (LaTeX `\\input`) that could not be read, so was skipped."""


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
            "date": self.date.isoformat() if self.date else None,
        }
        if self.sha256 is not None:
            out["sha256"] = self.sha256
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        """Rebuild from the JSON form."""
        day = data.get("date")
        return cls(
            data["path"],
            data.get("title"),
            date.fromisoformat(day) if day else None,
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

    @property
    def display(self) -> str:
        """How a reader names this note: its printed label, else its number."""
        return self.label if self.label is not None else str(self.number)

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


class LinkStatus(StrEnum):
    """The closed set of verdicts for one URL. A dead link is a value, not an exception."""

    ALIVE = "alive"
    REDIRECTED = "redirected"
    DEAD = "dead"
    SOFT_DEAD = "soft_dead"
    BLOCKED = "blocked"
    ERROR = "error"
    INVALID = "invalid"
    SKIPPED = "skipped"
    FAILING = "failing"
    """Seen dead, but not yet often or long enough for `--confirm N:DAYS`: unverified."""
    FRAGMENT_MISSING = "fragment_missing"
    """The page answered, but the `#fragment` it is cited with names nothing on it
    (`--include-fragments`): the source stands, the place in it is gone."""

    @property
    def is_live(self) -> bool:
        """Whether the source answered (alive or redirected)."""
        return self in (LinkStatus.ALIVE, LinkStatus.REDIRECTED)

    @property
    def is_lost(self) -> bool:
        """Confirmed gone (before archives are considered)."""
        return self in (LinkStatus.DEAD, LinkStatus.SOFT_DEAD)

    @property
    def is_unverified(self) -> bool:
        """Whether the check could not tell (blocked, error, failing, invalid)."""
        return self in (LinkStatus.BLOCKED, LinkStatus.ERROR, LinkStatus.FAILING)


PERMANENT_REDIRECTS = frozenset({301, 308})
"""Redirect statuses that say the resource moved for good: the citation should follow."""


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a redirect chain: the URL asked and the status it answered."""

    url: str
    status: int

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {"url": self.url, "status": self.status}


class ArchiveMode(StrEnum):
    """Which web archive a run asks."""

    WAYBACK = "wayback"
    """The Internet Archive's Wayback Machine (or another pywb/Wayback instance)."""
    MEMENTO = "memento"
    """A Memento aggregator's TimeGate (RFC 7089)."""


class ArchiveOutcome(StrEnum):
    """What asking an archive gave: a capture, the archive's word that it has none, or nothing."""

    FOUND = "found"
    NONE = "none"
    """The archive answered and holds no usable capture: a fact, kept and reused."""
    FAILED = "failed"
    """The lookup itself failed (error, rate limit, unreachable): history, never an answer."""


_LEGACY_NO_CAPTURE = "no capture"
"""How reports and stores written before `outcome` existed said `none` (read-back only)."""


@dataclass(frozen=True, slots=True)
class ArchiveSnapshot:
    """The web-archive capture closest to the document date (or its absence)."""

    available: bool
    url: str | None = None
    timestamp: datetime | None = None
    archive: str | None = None
    days_from_document: int | None = None
    reason: str | None = None
    """Why no capture is known (not found, rate limited, network unavailable)."""
    outcome: ArchiveOutcome | None = None
    """Set from `available` when not given: found, else failed. `none` must be said."""

    def __post_init__(self) -> None:
        if self.available:
            object.__setattr__(self, "outcome", ArchiveOutcome.FOUND)
        elif self.outcome is None or self.outcome is ArchiveOutcome.FOUND:
            object.__setattr__(self, "outcome", ArchiveOutcome.FAILED)

    @classmethod
    def none(cls, reason: str, **kw: Any) -> ArchiveSnapshot:
        """The archive's answer that it holds no usable capture."""
        return cls(False, reason=reason, outcome=ArchiveOutcome.NONE, **kw)

    @property
    def failed(self) -> bool:
        """Whether the lookup failed, so nothing is known about captures."""
        return self.outcome is ArchiveOutcome.FAILED

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {
            "available": self.available,
            "url": self.url,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "archive": self.archive,
            "days_from_document": self.days_from_document,
            "reason": self.reason,
            "outcome": str(self.outcome),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArchiveSnapshot:
        """Rebuild from the JSON form."""
        ts = data.get("timestamp")
        reason = data.get("reason")
        outcome = data.get("outcome")
        if outcome is None and (reason or "").lower().startswith(_LEGACY_NO_CAPTURE):
            outcome = ArchiveOutcome.NONE
        return cls(
            available=bool(data["available"]),
            url=data.get("url"),
            timestamp=datetime.fromisoformat(ts) if ts else None,
            archive=data.get("archive"),
            days_from_document=data.get("days_from_document"),
            reason=reason,
            outcome=ArchiveOutcome(outcome) if outcome else None,
        )


@dataclass(frozen=True, slots=True)
class Verdict:
    """What probing one unique URL found."""

    url: str
    status: LinkStatus
    reason: str
    http_status: int | None = None
    final_url: str | None = None
    redirects: tuple[Hop, ...] = ()
    title: str | None = None
    checked_at: datetime | None = None
    elapsed_ms: int = 0
    """Time its requests took once they had a slot (waits for one not counted)."""
    from_cache: bool = False
    archive: ArchiveSnapshot | None = None
    final_outlet: str | None = None
    """For shortlinks: the outlet of the URL they lead to."""
    first_failed: date | None = None
    """For `failing`: the day this URL was first seen failing (see `--confirm`)."""
    fingerprint: str | None = None
    """A hash of the words of the page's visible text when it was probed (content history)."""
    evidence: tuple[str, ...] = ()
    """Content annotations: `drifted`, `quote_found_live`, `quote_found_archived`,
    `quote_missing` (see citeaudit.evidence.drift)."""
    similarity: float | None = None
    """Main-text similarity of the live page and its capture (0..1), when compared."""

    @property
    def moved_permanently(self) -> bool:
        """Whether the page is live at another address and every hop there was permanent."""
        return (
            self.status.is_live
            and bool(self.redirects)
            and self.final_url is not None
            and all(h.status in PERMANENT_REDIRECTS for h in self.redirects)
        )

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        out = self._base_json()
        # Optional keys only when set, so reports of runs without these features do not change.
        if self.first_failed is not None:
            out["first_failed"] = self.first_failed.isoformat()
        if self.fingerprint is not None:
            out["fingerprint"] = self.fingerprint
        if self.evidence:
            out["evidence"] = list(self.evidence)
        if self.similarity is not None:
            out["similarity"] = self.similarity
        return out

    def _base_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "verdict": str(self.status),
            "reason": self.reason,
            "status": self.http_status,
            "final_url": self.final_url,
            "redirects": [h.to_json() for h in self.redirects],
            "title": self.title,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "elapsed_ms": self.elapsed_ms,
            "from_cache": self.from_cache,
            "archive": self.archive.to_json() if self.archive else None,
            "final_outlet": self.final_outlet,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Verdict:
        """Rebuild from the JSON form."""
        checked = data.get("checked_at")
        archive = data.get("archive")
        return cls(
            url=data["url"],
            status=LinkStatus(data["verdict"]),
            reason=data.get("reason", ""),
            http_status=data.get("status"),
            final_url=data.get("final_url"),
            redirects=tuple(Hop(h["url"], h["status"]) for h in data.get("redirects", [])),
            title=data.get("title"),
            checked_at=datetime.fromisoformat(checked) if checked else None,
            elapsed_ms=int(data.get("elapsed_ms", 0)),
            from_cache=bool(data.get("from_cache", False)),
            archive=ArchiveSnapshot.from_json(archive) if archive else None,
            final_outlet=data.get("final_outlet"),
            first_failed=date.fromisoformat(data["first_failed"])
            if data.get("first_failed")
            else None,
            fingerprint=data.get("fingerprint"),
            evidence=tuple(data.get("evidence", ())),
            similarity=data.get("similarity"),
        )


class SourceState(StrEnum):
    """How a source stands once its verdict and archive are both known."""

    LIVE = "live"
    ARCHIVED = "archived"
    UNVERIFIED = "unverified"
    LOST = "lost"
    UNCHECKED = "unchecked"


class OutletKind(StrEnum):
    """What kind of voice an outlet is, when it is one a fact-checker weighs differently."""

    STATE_MEDIA = "state_media"
    GOVERNMENT = "government"
    SOCIAL = "social"
    """An account on a platform (twitter.com/..., t.me/...): one person or group speaking."""


class Risk(StrEnum):
    """Claim risk labels, worst first (declaration order is severity order)."""

    UNSUPPORTED = "unsupported"
    SINGLE_SOURCE = "single_source"
    SINGLE_OUTLET = "single_outlet"
    DEGRADED = "degraded"
    OK = "ok"

    @property
    def severity(self) -> int:
        """Rank, 0 for the worst."""
        return list(Risk).index(self)


_CLAIM_COUNTS = (
    "sources", "live", "archived", "recoverable", "lost", "unverified", "outlets", "live_outlets",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ClaimScore:
    """How well one claim is backed: counts over its distinct URLs, score and risk."""

    claim: Claim
    sources: int
    live: int
    archived: int
    recoverable: int
    lost: int
    unverified: int
    outlets: int
    live_outlets: int
    score: float | None
    """Share of the sources that are live or archived; None when nothing could be checked."""
    risk: Risk
    urls: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        out = self.claim.to_json()
        out.update(
            {
                "sources": self.sources,
                "live": self.live,
                "archived": self.archived,
                "recoverable": self.recoverable,
                "lost": self.lost,
                "unverified": self.unverified,
                "outlets": self.outlets,
                "live_outlets": self.live_outlets,
                "score": self.score,
                "risk": str(self.risk),
                "urls": list(self.urls),
            }
        )
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClaimScore:
        """Rebuild from the JSON form."""
        counts = {name: int(data[name]) for name in _CLAIM_COUNTS}
        return cls(
            claim=Claim.from_json(data),
            score=None if data["score"] is None else float(data["score"]),
            risk=Risk(data["risk"]),
            urls=tuple(data.get("urls", [])),
            **counts,
        )


@dataclass(frozen=True, slots=True)
class OutletScore:
    """One outlet's URLs and how many claims lean on it."""

    outlet: str
    urls: int
    live: int
    lost: int
    archived: int
    unverified: int
    claims: int
    kind: OutletKind | None = None
    """State media, government or a social account; None for every other outlet."""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {
            "outlet": self.outlet,
            "urls": self.urls,
            "live": self.live,
            "lost": self.lost,
            "archived": self.archived,
            "unverified": self.unverified,
            "claims": self.claims,
            "kind": None if self.kind is None else str(self.kind),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OutletScore:
        """Rebuild from the JSON form (reports older than outlet kinds have no `kind`)."""
        kind = data.get("kind")
        counts = {name: int(data[name]) for name in ("urls", "live", "lost", "archived")}
        return cls(
            outlet=data["outlet"],
            unverified=int(data["unverified"]),
            claims=int(data["claims"]),
            kind=OutletKind(kind) if kind else None,
            **counts,
        )


@dataclass(frozen=True, slots=True)
class AppliedRule:
    """A run setting that changed what became of one URL: excluded, or remapped to another."""

    url: str
    action: str
    """`excluded` or `remapped`."""
    rule: str
    """The setting and the pattern that applied, e.g. `exclude *.example.com`."""
    target: str | None = None
    """For `remapped`: the URL probed instead."""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {"url": self.url, "action": self.action, "rule": self.rule, "target": self.target}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AppliedRule:
        """Rebuild from the JSON form."""
        return cls(str(data["url"]), str(data["action"]), str(data["rule"]), data.get("target"))


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What the run behind a result did: how many URLs, how many reused, archives asked or not."""

    urls: int = 0
    """Distinct URLs the run looked at (over every document of the run)."""
    from_cache: int = 0
    requests: int = 0
    seconds: float = 0.0
    """Wall time of the whole run, shared by every document of it (each URL is checked once for
    all of them): per-URL times overlap under concurrency and never add up to it."""
    hostname: str | None = field(default=None, compare=False)
    """The machine that ran the checks (JUnit's `hostname`); JSON reports leave it out, so it
    plays no part in comparing results."""
    archive: str | None = None
    """The archive asked (`wayback`, `memento`); None when archives were not asked."""
    archive_failed: int = 0
    """Archive lookups that failed (error, rate limit, unreachable) rather than answered."""
    settings: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """The run's settings, JSON-ready, each under its one name (flag, config key, echo)."""
    rules: tuple[AppliedRule, ...] = ()
    """The document's URLs that an exclude, include or remap rule changed."""
    network_available: bool = True
    """False when the run found no working network (its canaries did not resolve)."""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {
            "urls": self.urls,
            "from_cache": self.from_cache,
            "requests": self.requests,
            "seconds": self.seconds,
            "archive": self.archive,
            "archive_failed": self.archive_failed,
            "settings": dict(self.settings),
            "rules": [r.to_json() for r in self.rules],
            "network_available": self.network_available,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunFacts:
        """Rebuild from the JSON form."""
        return cls(
            urls=int(data.get("urls", 0)),
            from_cache=int(data.get("from_cache", 0)),
            requests=int(data.get("requests", 0)),
            seconds=float(data.get("seconds", 0.0)),
            archive=data.get("archive"),
            archive_failed=int(data.get("archive_failed", 0)),
            settings=dict(data.get("settings") or {}),
            rules=tuple(AppliedRule.from_json(r) for r in data.get("rules") or ()),
            network_available=bool(data.get("network_available", True)),
        )


@dataclass(frozen=True, slots=True)
class AuditResult:
    """Everything one run found about one document: what reporters render."""

    catalog: Catalog
    verdicts: dict[str, Verdict]
    """Keyed by normalized source URL (`Source.url`)."""
    claims: tuple[ClaimScore, ...] = ()
    outlets: tuple[OutletScore, ...] = ()
    generated_at: datetime | None = None
    notices: tuple[str, ...] = ()
    """Run-wide messages shown once at the top (e.g. network unavailable)."""
    hints: tuple[str, ...] = ()
    ignored: int = 0
    """How many sources or notes inline ignores silenced."""
    baseline: frozenset[str] | None = None
    """Keys of the problems a baseline already knew (citeaudit.evidence.baseline); None: none."""
    run: RunFacts | None = None
    """What the run did; None for results not made by a check run (e.g. `claims`)."""
