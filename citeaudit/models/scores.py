"""How sources, claims and outlets stand once verdicts are known: pure functions fill these."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from citeaudit.models.catalog import Claim


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
    ARCHIVE = "archive"
    """A web archive (web.archive.org, archive.today, perma.cc, ...): a copy of another page."""


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
