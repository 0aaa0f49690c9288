"""The re-check rule: the SQL the workers run and the Python form agree, row by row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from citeaudit.corpus.db import connect
from citeaudit.corpus.due import DUE_SQL, Schedule
from citeaudit.evidence.history import Confirm

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)

# (checked ago, verdict, fail streak, first failed ago)
ROWS = [
    (None, None, 0, None),
    (DAY, "alive", 0, None),
    (8 * DAY, "alive", 0, None),
    (DAY, "dead", 1, DAY),
    (3 * DAY, "dead", 1, 3 * DAY),
    (3 * DAY, "soft_dead", 2, 5 * DAY),
    (2 * DAY, "dead", 3, 6 * DAY),
    (3 * DAY, "error", 0, None),
    (3 * DAY, "blocked", 2, 4 * DAY),
]
SCHEDULES = [Schedule(), Schedule(max_age=2 * DAY), Schedule(confirm=Confirm(3, 4))]


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_sql_and_python_agree(pg_url: str, schedule: Schedule) -> None:
    with connect(pg_url) as conn:
        for i, (ago, verdict, streak, first) in enumerate(ROWS):
            conn.execute(
                "INSERT INTO corpus_urls (url, host, checked_at, verdict, fail_streak, "
                "first_failed) VALUES (%s, 'h', %s, %s, %s, %s)",
                (
                    f"u{i}",
                    None if ago is None else NOW - ago,
                    verdict,
                    streak,
                    None if first is None else NOW - first,
                ),
            )
        due = dict(
            conn.execute(f"SELECT url, {DUE_SQL} FROM corpus_urls", schedule.params(NOW)).fetchall()
        )
    expected = {
        f"u{i}": schedule.is_due(
            now=NOW,
            checked_at=None if ago is None else NOW - ago,
            verdict=verdict,
            fail_streak=streak,
            first_failed=None if first is None else NOW - first,
        )
        for i, (ago, verdict, streak, first) in enumerate(ROWS)
    }
    assert due == expected


def test_the_rule() -> None:
    weekly = Schedule()
    confirming = Schedule(confirm=Confirm(3, 4))  # a check every 2 days until 3 over 4 days

    def due(
        s: Schedule, ago: timedelta, verdict: str, streak: int = 1, first: timedelta = DAY
    ) -> bool:
        return s.is_due(
            now=NOW,
            checked_at=NOW - ago,
            verdict=verdict,
            fail_streak=streak,
            first_failed=NOW - first,
        )

    assert weekly.is_due(now=NOW, checked_at=None, verdict=None, fail_streak=0, first_failed=None)
    assert not due(weekly, 6 * DAY, "alive") and due(weekly, 7 * DAY, "alive")
    assert not due(weekly, 3 * DAY, "dead")  # confirmed at once: waits for --max-age
    assert due(confirming, 2 * DAY, "dead") and not due(confirming, DAY, "dead")
    assert not due(confirming, 2 * DAY, "alive")
    # three failures over four days: confirmed, back to the weekly round
    assert not due(confirming, 2 * DAY, "dead", streak=3, first=6 * DAY)
    assert due(confirming, 2 * DAY, "dead", streak=3, first=3 * DAY)  # 3 checks, 1 day apart
    assert confirming.confirm_spacing == 2 * DAY and weekly.confirm_spacing == weekly.max_age
