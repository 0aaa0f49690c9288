"""What the network said about one URL: its status, the redirects it took, what was seen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from citeaudit.models.archive import ArchiveSnapshot
from citeaudit.models.codec import iso, read_date, read_datetime


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
            "checked_at": iso(self.checked_at),
            "elapsed_ms": self.elapsed_ms,
            "from_cache": self.from_cache,
            "archive": self.archive.to_json() if self.archive else None,
            "final_outlet": self.final_outlet,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Verdict:
        """Rebuild from the JSON form."""
        archive = data.get("archive")
        return cls(
            url=data["url"],
            status=LinkStatus(data["verdict"]),
            reason=data.get("reason", ""),
            http_status=data.get("status"),
            final_url=data.get("final_url"),
            redirects=tuple(Hop(h["url"], h["status"]) for h in data.get("redirects", [])),
            title=data.get("title"),
            checked_at=read_datetime(data.get("checked_at")),
            elapsed_ms=int(data.get("elapsed_ms", 0)),
            from_cache=bool(data.get("from_cache", False)),
            archive=ArchiveSnapshot.from_json(archive) if archive else None,
            final_outlet=data.get("final_outlet"),
            first_failed=read_date(data.get("first_failed")),
            fingerprint=data.get("fingerprint"),
            evidence=tuple(data.get("evidence", ())),
            similarity=data.get("similarity"),
        )
