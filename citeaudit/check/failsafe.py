"""The one place a broken store is handled: warn once, then go on without it.

Why: a store only saves time (or shares evidence); a disk that fills up or a database that goes
away half-way through a run must slow the run down, never stop it, and must be said once, not
once per URL. The stores themselves only raise (`CacheError`); this wrapper turns the first
failure into one warning and answers every later call as `NullCache` does: nothing stored,
nothing found. Without a wrapper (the store commands, the ledger) a failure raises.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, Unpack

from citeaudit.check.closing import ClosedOnExit
from citeaudit.check.sqlite_schema import SCHEMA_VERSION
from citeaudit.check.storebase import StoreBase
from citeaudit.check.storerules import Freshness
from citeaudit.errors import CacheError
from citeaudit.models import ArchiveSnapshot, Verdict

_T = TypeVar("_T")


def failure_message(exc: Exception) -> str:
    """The one-line warning for a store failure (the stores' own errors already say it all)."""
    if isinstance(exc, CacheError):
        return str(exc)
    return f"cache disabled for this run: {exc}"


class FailSafeStore(ClosedOnExit):
    """A store (or anything shaped like one) whose first failure is warned and then ignored."""

    def __init__(self, inner: Any, warn: Callable[[str], None]) -> None:
        self.inner = inner
        """The store wrapped, kept to be closed at the end even once it failed."""
        self._live: Any = inner
        self._warn = warn
        self._lock = threading.Lock()

    @classmethod
    def around(cls, store: Any, warn: Callable[[str], None]) -> FailSafeStore:
        """`store` made fail-safe, unless it already is (its own warning then stands)."""
        return store if isinstance(store, FailSafeStore) else cls(store, warn)

    def _do(self, action: Callable[[Any], _T]) -> _T:
        try:
            return action(self._live)
        except Exception as exc:  # whatever the store raised, the run goes on without it
            with self._lock:
                first, self._live = self._live is not NULL, NULL
            if first:
                self._warn(failure_message(exc))
            return action(NULL)

    @property
    def usable(self) -> bool:
        """False once a failure was warned (or the store closed)."""
        return self._live is not NULL and bool(getattr(self.inner, "usable", True))

    def __getattr__(self, name: str) -> Any:
        # what is not a store method (path, url, commits) is the wrapped store's own
        return getattr(self.inner, name)

    def get(self, url: str, **ages: Unpack[Freshness]) -> Verdict | None:
        """The latest reusable verdict for `url` if still fresh, else None."""
        return self._do(lambda s: s.get(url, **ages))

    def get_many(self, urls: Iterable[str], **ages: Unpack[Freshness]) -> dict[str, Verdict]:
        """`get` for many URLs at once: the fresh answers found, keyed by URL."""
        keys = list(urls)  # read once: a failure falls back to NULL with the same keys
        return self._do(lambda s: s.get_many(keys, **ages))

    def put(self, verdict: Verdict) -> None:
        """Append one probe to the history."""
        self._do(lambda s: s.put(verdict))

    def history(self, url: str) -> list[Verdict]:
        """Every probe stored for `url`, oldest first."""
        return self._do(lambda s: s.history(url))

    def get_host_probe(self, host: str, *, now: datetime, max_age: timedelta) -> dict | None:
        """The stored random-path probe of `host`, if younger than `max_age`."""
        return self._do(lambda s: s.get_host_probe(host, now=now, max_age=max_age))

    def put_host_probe(self, host: str, data: dict, *, checked_at: datetime | None = None) -> None:
        """Store (replace) the random-path probe of `host`."""
        if checked_at is None:  # duck-typed stores may not take the keyword
            self._do(lambda s: s.put_host_probe(host, data))
        else:
            self._do(lambda s: s.put_host_probe(host, data, checked_at=checked_at))

    def get_archive(
        self, url: str, as_of: date, *, now: datetime, max_age: timedelta
    ) -> ArchiveSnapshot | None:
        """The latest archive answer for (`url`, `as_of`) if fresh and a fact."""
        return self._do(lambda s: s.get_archive(url, as_of, now=now, max_age=max_age))

    def put_archive(
        self,
        url: str,
        as_of: date,
        snapshot: ArchiveSnapshot,
        *,
        checked_at: datetime | None = None,
    ) -> None:
        """Append one archive lookup to the history."""
        self._do(lambda s: s.put_archive(url, as_of, snapshot, checked_at=checked_at))

    def archive_history(self, url: str) -> list[tuple[date, ArchiveSnapshot]]:
        """Every archive lookup stored for `url` as (as_of, snapshot), oldest first."""
        return self._do(lambda s: s.archive_history(url))

    def probe_rows(self) -> list[tuple[str, str, dict[str, Any]]]:
        """Every probe as (url, checked_at text, verdict JSON), for the ledger."""
        return self._do(lambda s: s.probe_rows())

    def archive_rows(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Every archive lookup as (url, as_of, checked_at text, snapshot JSON)."""
        return self._do(lambda s: s.archive_rows())

    def add_probe_row(self, url: str, checked_at: str, data: dict[str, Any]) -> bool:
        """Insert one ledger probe unless (url, checked_at) is known; True if added."""
        return self._do(lambda s: s.add_probe_row(url, checked_at, data))

    def add_archive_row(self, url: str, as_of: str, checked_at: str, data: dict[str, Any]) -> bool:
        """Insert one ledger archive lookup unless it is known; True if added."""
        return self._do(lambda s: s.add_archive_row(url, as_of, checked_at, data))

    def info(self) -> dict[str, Any]:
        """Where the store is, its size, and counts of what it holds."""
        return self._do(lambda s: s.info())

    def clear(self) -> int:
        """Remove every stored row; returns how many were removed."""
        return self._do(lambda s: s.clear())

    def flush(self) -> None:
        """Commit what waits (a store without batches has nothing waiting)."""
        self._do(lambda s: getattr(s, "flush", _nothing)())

    def close(self) -> None:
        """Close the wrapped store, a failure then being warned like any other."""
        self._do(lambda s: s.close())
        if self._live is NULL:
            try:
                self.inner.close()
            except Exception:  # it failed already, and was said once
                return


def _nothing() -> None:
    return None


class NullCache(StoreBase):
    """The `Cache` interface doing nothing: for `--no-cache` and for a cache that failed."""

    path: Path | None = None
    usable = False

    def get_many(self, urls: Iterable[str], **ages: Unpack[Freshness]) -> dict[str, Verdict]:
        """Nothing is ever cached."""
        return {}

    def put(self, verdict: Verdict) -> None:
        """Forget the verdict."""

    def get_host_probe(self, host: str, *, now: datetime, max_age: timedelta) -> dict | None:
        """Nothing is ever cached."""
        return None

    def put_host_probe(self, host: str, data: dict, *, checked_at: datetime | None = None) -> None:
        """Forget the probe."""

    def get_archive(
        self, url: str, as_of: date, *, now: datetime, max_age: timedelta
    ) -> ArchiveSnapshot | None:
        """Nothing is ever cached."""
        return None

    def _add_lookup(self, row: tuple[Any, ...]) -> None:
        """Forget the lookup."""

    def history(self, url: str) -> list[Verdict]:
        """No history without a store."""
        return []

    def probe_rows(self) -> list[tuple[str, str, dict[str, Any]]]:
        """No rows without a store."""
        return []

    def archive_rows(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """No rows without a store."""
        return []

    def add_probe_row(self, url: str, checked_at: str, data: dict[str, Any]) -> bool:
        """Nothing is kept."""
        return False

    def add_archive_row(self, url: str, as_of: str, checked_at: str, data: dict[str, Any]) -> bool:
        """Nothing is kept."""
        return False

    def archive_history(self, url: str) -> list[tuple[date, ArchiveSnapshot]]:
        """No history without a store."""
        return []

    def info(self) -> dict[str, Any]:
        """An empty description."""
        return {
            "path": None,
            "schema_version": SCHEMA_VERSION,
            "size_bytes": 0,
            "urls": 0,
            "probes": 0,
            "host_probes": 0,
            "archive_entries": 0,
            "oldest_check": None,
            "newest_check": None,
        }

    def clear(self) -> int:
        """Nothing to remove."""
        return 0

    def flush(self) -> None:
        """Nothing waits."""

    def close(self) -> None:
        """Nothing to close."""


NULL = NullCache()
"""What a failed store becomes: every read finds nothing, every write is forgotten."""
