"""Where and how fast to ask web archives, and what one client did."""

from __future__ import annotations

from dataclasses import dataclass

from citeaudit.errors import CheckError
from citeaudit.models import ArchiveMode


@dataclass(frozen=True)
class ArchiveOptions:
    """Where and how fast to ask web archives."""

    mode: ArchiveMode = ArchiveMode.WAYBACK
    wayback_endpoint: str = "https://web.archive.org"
    memento_endpoint: str | None = None
    """A MemGator-style aggregator base: TimeGate at `<endpoint>/timegate/<url>`."""
    replay_per_minute: float = 480.0
    """Replay and TimeGate requests a minute (80 % of the Internet Archive's 600)."""
    cdx_per_minute: float = 24.0
    """CDX requests a minute (80 % of the Internet Archive's 30)."""
    wait_after_429: float = 60.0
    """Pause after a 429 that carries no `Retry-After`."""
    wayback_name: str = "Internet Archive"
    """The archive named in results of `mode="wayback"` (another pywb/Wayback can be named)."""
    confirm_with_cdx: bool = True
    """Check that the closest capture is a real page (replay, then CDX when needed)."""
    timeout: float = 30.0
    """Seconds per archive request."""

    def __post_init__(self) -> None:
        # The one place an archive choice is checked: options that cannot work never exist.
        try:
            object.__setattr__(self, "mode", ArchiveMode(self.mode))
        except ValueError:
            choices = ", ".join(m.value for m in ArchiveMode)
            raise CheckError(f"unknown archive {self.mode!r} (choose from {choices})") from None
        if self.mode is ArchiveMode.MEMENTO and not self.memento_endpoint:
            raise CheckError("--archive memento needs --memento-endpoint URL (a TimeGate)")


@dataclass(frozen=True, slots=True)
class ArchiveStats:
    """Counters of one client's work, for the run summary."""

    lookups: int = 0
    found: int = 0
    not_found: int = 0
    rate_limited: int = 0
    """429 answers received."""
    waited_seconds: float = 0.0
    """Time spent waiting on the limiters (spacing and 429 pauses)."""
    errors: int = 0
