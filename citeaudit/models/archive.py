"""What a web archive said about one URL: a capture, its word that it has none, or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from citeaudit.models.codec import iso, read_datetime


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
            "timestamp": iso(self.timestamp),
            "archive": self.archive,
            "days_from_document": self.days_from_document,
            "reason": self.reason,
            "outcome": str(self.outcome),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArchiveSnapshot:
        """Rebuild from the JSON form."""
        reason = data.get("reason")
        outcome = data.get("outcome")
        if outcome is None and (reason or "").lower().startswith(_LEGACY_NO_CAPTURE):
            outcome = ArchiveOutcome.NONE
        return cls(
            available=bool(data["available"]),
            url=data.get("url"),
            timestamp=read_datetime(data.get("timestamp")),
            archive=data.get("archive"),
            days_from_document=data.get("days_from_document"),
            reason=reason,
            outcome=ArchiveOutcome(outcome) if outcome else None,
        )
