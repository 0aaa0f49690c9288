"""When a URL is due for another probe: by age, and sooner while `--confirm` awaits a death.

Pure: the rule is a frozen value, its SQL form and its Python form agree (tests check both),
and the clock is a parameter.

The rule: a URL never probed is due. A probe older than `max_age` is due again. A URL whose
latest probe failed (dead or soft_dead) while `--confirm N:DAYS` is not met yet is due once
`DAYS / (N - 1)` days have passed since that probe, so a weekly run spaces the N checks over
the DAYS the policy asks for instead of waiting `max_age` for each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from citeaudit.evidence.history import Confirm
from citeaudit.models import LinkStatus

LOST = tuple(str(s) for s in LinkStatus if s.is_lost)


@dataclass(frozen=True, slots=True)
class Schedule:
    """Re-check by age (`--max-age`) and by the confirmation policy (`--confirm`)."""

    max_age: timedelta = timedelta(days=7)
    confirm: Confirm = Confirm()

    @property
    def confirm_spacing(self) -> timedelta:
        """Time between two checks of a failing URL while its death is unconfirmed.

        >>> Schedule(confirm=Confirm(3, 4)).confirm_spacing
        datetime.timedelta(days=2)
        """
        if self.confirm.immediate:
            return self.max_age
        return timedelta(days=self.confirm.days / max(1, self.confirm.checks - 1))

    def params(self, now: datetime) -> dict[str, Any]:
        """The parameters of `DUE_SQL` at `now`."""
        return {
            "now": now,
            "max_age": self.max_age,
            "spacing": self.confirm_spacing,
            "checks": self.confirm.checks,
            "days": timedelta(days=self.confirm.days),
            "lost": list(LOST),
        }

    def is_due(
        self,
        *,
        now: datetime,
        checked_at: datetime | None,
        verdict: str | None,
        fail_streak: int,
        first_failed: datetime | None,
    ) -> bool:
        """The rule of `DUE_SQL`, for one row."""
        if checked_at is None or checked_at <= now - self.max_age:
            return True
        if verdict not in LOST or self.confirm.immediate:
            return False
        span = checked_at - (first_failed or checked_at)
        unconfirmed = fail_streak < self.confirm.checks or span < timedelta(days=self.confirm.days)
        return unconfirmed and checked_at <= now - self.confirm_spacing


DUE_SQL = (
    "(checked_at IS NULL OR checked_at <= %(now)s - %(max_age)s "
    "OR (verdict = ANY(%(lost)s) "
    "AND (fail_streak < %(checks)s OR checked_at - first_failed < %(days)s) "
    "AND checked_at <= %(now)s - %(spacing)s))"
)
"""A WHERE clause over `corpus_urls`: the rows due at `now` (parameters from `params`)."""
