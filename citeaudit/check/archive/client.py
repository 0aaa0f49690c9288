"""The archive client a run holds: one lookup per URL, never an exception for what the network does.

It picks the archive kind (`wayback.py`, `memento.py`), counts what each lookup gave, and turns
network failures into snapshots that say why: a name that does not resolve or a refused
endpoint gives up on the archive for the rest of the run.
"""

from __future__ import annotations

import socket
from datetime import date
from functools import cached_property

import httpx

from citeaudit.check.archive.memento import Memento
from citeaudit.check.archive.session import ArchiveSession, GaveUp, RateLimited
from citeaudit.check.archive.wayback import Wayback
from citeaudit.check.network import NETWORK_UNAVAILABLE, AddressRefused, NameNotResolved
from citeaudit.models import ArchiveMode, ArchiveOutcome, ArchiveSnapshot

_CONNECT_FAILURES_BEFORE_GIVING_UP = 3


def _dns_failure(exc: BaseException) -> BaseException | None:
    """The name-resolution failure at the root of an httpx error, if that is what it is."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror | NameNotResolved):
            return current
        current = current.__cause__ or current.__context__
    # anyio and httpcore sometimes keep only the message of the gaierror
    text = str(exc).lower()
    if "name or service not known" in text or "name resolution" in text:
        return exc
    if "nodename nor servname" in text or "getaddrinfo failed" in text:
        return exc
    return None


class ArchiveClient(ArchiveSession):
    """Finds the capture closest to a date; never raises for what the network does."""

    _connect_failures = 0

    @cached_property
    def _archive(self) -> Wayback | Memento:
        if self.options.mode is ArchiveMode.MEMENTO:
            return Memento(self)
        return Wayback(self)

    @property
    def unavailable(self) -> str | None:
        """Why the archive is no longer asked in this run (None while it is)."""
        return self.down

    async def replay_turn(self) -> None:
        """Wait for the replay limiter's next slot, for callers that download captures."""
        self.add(waited_seconds=await self.replay.acquire())

    async def closest(self, url: str, as_of: date) -> ArchiveSnapshot:
        """The capture of `url` closest to `as_of`, or why there is none."""
        self.add(lookups=1)
        url = url.split("#", 1)[0]
        if self.down is not None:
            return self._count(ArchiveSnapshot(available=False, reason=self.down))
        try:
            snapshot = await self._archive.closest(url, as_of)
        except RateLimited as exc:
            snapshot = ArchiveSnapshot(available=False, reason=str(exc))
        except GaveUp:
            snapshot = ArchiveSnapshot(available=False, reason=self.down)
        except httpx.HTTPError as exc:
            snapshot = self._failure(exc)
        except NameNotResolved as exc:
            snapshot = self._failure(exc)
        except AddressRefused as exc:
            # the endpoint itself is refused by the address-safety rule: true for every URL
            self.give_up(f"archive endpoint refused: {exc} (map it with --resolve)")
            snapshot = ArchiveSnapshot(available=False, reason=self.down)
        except (httpx.InvalidURL, ValueError) as exc:
            snapshot = ArchiveSnapshot(available=False, reason=f"archive error: bad URL ({exc})")
        else:
            self._connect_failures = 0
        return self._count(snapshot)

    def _count(self, snapshot: ArchiveSnapshot) -> ArchiveSnapshot:
        if snapshot.available:
            self.add(found=1)
        elif snapshot.outcome is ArchiveOutcome.NONE:
            self.add(not_found=1)
        else:
            self.add(errors=1)
        return snapshot

    def _failure(self, exc: Exception) -> ArchiveSnapshot:
        dns = _dns_failure(exc)
        if dns is not None:
            self.give_up(f"{NETWORK_UNAVAILABLE}: the archive host cannot be resolved ({dns})")
            return ArchiveSnapshot(available=False, reason=self.down)
        reason = f"archive error: {type(exc).__name__}: {exc}".rstrip(": ")
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            self._connect_failures += 1
            if self._connect_failures >= _CONNECT_FAILURES_BEFORE_GIVING_UP:
                self.give_up(f"archive unreachable: {exc}")
        return ArchiveSnapshot(available=False, reason=reason)
