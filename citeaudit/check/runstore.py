"""A run's view of the store: every answer read up front, each new verdict handed back.

Why: a warm rerun is all reads. One `get_many` for the whole run costs a few queries where one
`get` per URL cost one query (and one lock round) each, and a run whose every URL is answered
from the store never needs a client at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol, Unpack

from citeaudit.check.failsafe import FailSafeStore
from citeaudit.check.options import CheckOptions
from citeaudit.check.storerules import Freshness
from citeaudit.models import Verdict


class CacheLike(Protocol):
    """What a run needs from a store (`citeaudit.check.store.Store`)."""

    def get_many(self, urls: Iterable[str], **ages: Unpack[Freshness]) -> dict[str, Verdict]: ...
    def put(self, verdict: Verdict) -> None: ...
    def get_host_probe(
        self, host: str, *, now: datetime, max_age: timedelta
    ) -> dict[str, Any] | None: ...
    def put_host_probe(self, host: str, data: dict[str, Any]) -> None: ...


class RunStore:
    """The store as one run uses it: answers read once, verdicts and host probes written."""

    def __init__(self, store: CacheLike | None, options: CheckOptions, now: datetime) -> None:
        self.notices: list[str] = []
        """Said once in the report: why the store was given up for this run."""
        self._store = None if store is None else FailSafeStore.around(store, self.notices.append)
        self._options = options
        self._now = now

    def answers(self, keys: Iterable[str]) -> dict[str, Verdict]:
        """The fresh stored verdict of every key that has one (none with `--refresh`)."""
        if self._options.refresh:
            return {}
        if self._store is None:
            return {}
        return self._store.get_many(
            keys,
            now=self._now,
            max_age_alive=self._options.max_age_alive,
            max_age_other=self._options.max_age_other,
        )

    def host_probe(self, origin: str) -> dict[str, Any] | None:
        """The stored random-path probe of `origin`, if fresh (none with `--refresh`)."""
        if self._options.refresh or self._store is None:
            return None
        return self._store.get_host_probe(
            origin, now=self._now, max_age=self._options.max_age_alive
        )

    def put_host_probe(self, origin: str, data: dict[str, Any]) -> None:
        """Keep the random-path probe of `origin` for later runs."""
        if self._store is not None:
            self._store.put_host_probe(origin, data)

    def put(self, verdict: Verdict) -> None:
        """Hand one verdict to the store (committed within its batch window)."""
        if self._store is not None:
            self._store.put(verdict)
