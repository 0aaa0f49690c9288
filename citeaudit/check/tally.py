"""A run's settled verdicts: each one kept, committed to the store, and told to the progress bar.

Why one place: a verdict is settled three ways (answered by the store, skipped, probed) and
every way must count once toward `done`, name the host still holding the run up, and (for a
probe) reach the store at once, so a killed run keeps what it learnt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from citeaudit.check.runplan import RunPlan
from citeaudit.check.runstore import RunStore
from citeaudit.models import LinkStatus, Verdict

BUSIEST_EVERY = 32
"""Verdicts between two scans for the busiest host: cheap next to the requests themselves."""


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """One step of a run, for a progress bar: `done` of `total` unique URLs."""

    done: int
    total: int
    hosts: int
    url: str | None = None
    status: LinkStatus | None = None
    from_cache: bool = False
    phase: str = "check"
    """"check" while probing, "archive" while asking web archives."""
    waiting_on: str | None = None
    """The host with the most URLs still to check: the one holding the run up."""


class Tally:
    """Every settled verdict of a run, by resource key."""

    def __init__(
        self,
        plan: RunPlan,
        stored: RunStore,
        progress: Callable[[ProgressEvent], None] | None,
    ) -> None:
        self.verdicts: dict[str, Verdict] = {}
        self.done = 0
        self.from_cache = 0
        self._plan = plan
        self._stored = stored
        self._progress = progress
        self._hosts = len(plan.hosts)
        self._remaining: Counter[str] = Counter()
        self._busiest: str | None = None

    def expect(self, keys: Iterable[str]) -> None:
        """Count `keys` as still to settle, for the host holding the run up."""
        self._remaining.update(self._plan.host_of[k] for k in keys)

    def settle(self, key: str, verdict: Verdict) -> None:
        """Keep a verdict that needs no commit (skipped, or read from the store)."""
        self.verdicts[key] = verdict
        self.from_cache += verdict.from_cache
        self.done += 1
        self._emit(key, verdict)

    def commit(self, key: str, verdict: Verdict) -> None:
        """Keep a verdict just probed, and hand it to the store."""
        self._stored.put(verdict)
        self.settle(key, verdict)

    def _emit(self, key: str, v: Verdict) -> None:
        if self._progress is None:
            return
        remaining = self._remaining
        host = self._plan.host_of.get(key, "")
        if host in remaining:
            remaining[host] -= 1
            if remaining[host] <= 0:
                del remaining[host]
        if self.done % BUSIEST_EVERY == 0 or self._busiest not in remaining:
            self._busiest = max(remaining, key=remaining.__getitem__, default=None)
        self._progress(
            ProgressEvent(
                self.done,
                len(self._plan.by_key),
                self._hosts,
                key,
                v.status,
                v.from_cache,
                waiting_on=self._busiest,
            )
        )
