"""What both stores share: how times are written, what may be served again, how rows look.

Why one module: the SQLite and the PostgreSQL store must never drift apart in what they store
or serve, so each rule is written once here and both call it.

Archive snapshots are stored once. A probe's snapshot lives in `archive_lookups`, in the row
marked `of_probe` with the probe's url and checked_at; the probe's own JSON carries no copy.
Probes written before that (and ledger records imported as given) still carry theirs inline,
and reading takes the linked row when there is one, else the inline copy.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypedDict, Unpack

import orjson

from citeaudit.models import ArchiveSnapshot, LinkStatus, Verdict

BUSY_TIMEOUT_MS = 15_000
"""How long a writer waits for another process holding the write lock before giving up."""
CHUNK = 500
"""URLs per `IN (...)` list: well under SQLite's smallest limit on bound parameters (999)."""


class Freshness(TypedDict):
    """The keywords of every store's `get` and `get_many`: when, and how old an answer may be."""

    now: datetime
    max_age_alive: timedelta
    """How old a live (alive, redirected) probe may be to be served."""
    max_age_other: timedelta
    """How old any other reusable probe may be."""


def utc_text(moment: datetime) -> str:
    """A datetime as fixed-width UTC ISO text (naive means UTC), so text order is time order.

    >>> utc_text(datetime(2024, 5, 1, 12, 0, tzinfo=UTC))
    '2024-05-01T12:00:00.000000+00:00'
    >>> from datetime import timezone
    >>> utc_text(datetime(2024, 5, 1, 14, 30, tzinfo=timezone(timedelta(hours=2))))
    '2024-05-01T12:30:00.000000+00:00'
    """
    return as_utc(moment).isoformat(timespec="microseconds")


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def reusable_verdict(verdict: Verdict) -> bool:
    """Whether a stored verdict may answer for the web on a later run.

    An error (refused, reset, timeout, 5xx, no network) says how one attempt went, not what the
    page is: a server that was down an hour ago may be up now. It stays in the history and is
    never reused as an answer.

    >>> reusable_verdict(Verdict("http://a.example/", LinkStatus.ERROR, "connection refused"))
    False
    >>> reusable_verdict(Verdict("http://a.example/", LinkStatus.DEAD, "no such domain"))
    True
    """
    return verdict.status is not LinkStatus.ERROR


def reusable_snapshot(snapshot: ArchiveSnapshot) -> bool:
    """Whether an archive answer is a fact (a capture, or the archive saying it has none)."""
    return not snapshot.failed


NOT_REUSABLE = tuple(str(s) for s in LinkStatus if not reusable_verdict(Verdict("-", s, "")))
"""The `verdict` column values never served as answers, so a query can skip them."""


def chunked(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    """`items` in slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def fresh(checked: datetime, now: datetime, max_age: timedelta) -> bool:
    """Whether something stored at `checked` is at most `max_age` old at `now`."""
    return as_utc(now) - checked <= max_age


def served(verdict: Verdict, checked: datetime, **ages: Unpack[Freshness]) -> Verdict | None:
    """A stored probe as the answer a run may reuse, or None once it is too old.

    Live pages keep longer than the rest; a failed archive lookup inside the probe is dropped,
    so the archive is asked again while the probe itself is kept.
    """
    max_age = ages["max_age_alive"] if verdict.status.is_live else ages["max_age_other"]
    if not fresh(as_utc(checked), ages["now"], max_age):
        return None
    if verdict.archive is not None and not reusable_snapshot(verdict.archive):
        return replace(verdict, archive=None, from_cache=True)
    return verdict if verdict.from_cache else replace(verdict, from_cache=True)


def served_host_probe(
    row: tuple[datetime, Any] | None, *, now: datetime, max_age: timedelta
) -> dict | None:
    """A stored host probe, as (checked_at, JSON), as the answer a run may reuse, or None.

    >>> t = datetime(2024, 5, 1, tzinfo=UTC)
    >>> served_host_probe((t, {"status": 404}), now=t, max_age=timedelta(days=1))
    {'status': 404}
    >>> served_host_probe((t, {}), now=t + timedelta(days=2), max_age=timedelta(days=1)) is None
    True
    """
    if row is None or not fresh(row[0], now, max_age):
        return None
    return row[1] if isinstance(row[1], dict) else None


def served_lookup(
    row: tuple[datetime, dict[str, Any]] | None, *, now: datetime, max_age: timedelta
) -> ArchiveSnapshot | None:
    """A stored archive lookup, as (checked_at, JSON), as the answer a run may reuse: None
    once too old, and None for a failure, so that the archive is asked again."""
    if row is None or not fresh(row[0], now, max_age):
        return None
    snapshot = ArchiveSnapshot.from_json(row[1])
    return snapshot if reusable_snapshot(snapshot) else None


def lookup_row(
    url: str, as_of: date, snapshot: ArchiveSnapshot, checked_at: datetime | None
) -> tuple[Any, ...]:
    """The row of a new archive lookup (`archive_row`), stamped now when no time is given."""
    moment = utc_text(checked_at or datetime.now(UTC))
    return archive_row(url, as_of.isoformat(), moment, snapshot, snapshot.to_json())


def stored_probe(data: dict[str, Any], snapshot: dict[str, Any] | None) -> dict[str, Any]:
    """A probe's JSON as stored, with its linked snapshot (if any) put back in place."""
    if snapshot is not None:
        data["archive"] = snapshot
    return data


def answers(
    rows: Iterable[tuple[str, datetime, dict[str, Any], dict[str, Any] | None]],
    **ages: Unpack[Freshness],
) -> dict[str, Verdict]:
    """The newest reusable probe of each URL, as (url, checked_at, JSON, linked snapshot JSON),
    served if fresh."""
    out: dict[str, Verdict] = {}
    for url, checked, data, snapshot in rows:
        data = stored_probe(data, snapshot)
        data["from_cache"] = True  # served as such: no second copy of the verdict to say so
        verdict = served(Verdict.from_json(data), checked, **ages)
        if verdict is not None:
            out[url] = verdict
    return out


def text(data: dict[str, Any]) -> str:
    """JSON as the stores write it: sorted keys, UTF-8 kept, so stored text is stable."""
    # orjson: a tenth of json's cost, once per verdict; json for what orjson refuses
    # (its JSONEncodeError is a TypeError: an integer past 64 bits, a key that is no string)
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def probe_row(url: str, checked_at: str, verdict: Verdict, data: dict[str, Any]) -> tuple[Any, ...]:
    """(url, checked_at, verdict, http_status, final_url, data) of one probe row."""
    return (
        url,
        checked_at,
        str(verdict.status),
        verdict.http_status,
        verdict.final_url,
        text(data),
    )


def archive_row(
    url: str, as_of: str, checked_at: str, snapshot: ArchiveSnapshot, data: dict[str, Any]
) -> tuple[Any, ...]:
    """(url, as_of, checked_at, available, capture_url, data) of one archive lookup row."""
    return (url, as_of, checked_at, int(snapshot.available), snapshot.url, text(data))


def ledger_probe_row(url: str, checked_at: str, data: dict[str, Any]) -> tuple[Any, ...]:
    """The probe row of one ledger record, its JSON stored exactly as given."""
    return probe_row(url, checked_at, Verdict.from_json(data), data)


def ledger_lookup_row(
    url: str, as_of: str, checked_at: str, data: dict[str, Any]
) -> tuple[Any, ...]:
    """The archive lookup row of one ledger record, its JSON stored exactly as given."""
    return archive_row(url, as_of, checked_at, ArchiveSnapshot.from_json(data), data)


def stamped(verdict: Verdict) -> tuple[Verdict, str]:
    """A verdict as a store files it: checked_at set (now if missing), never `from_cache`."""
    checked = verdict.checked_at or datetime.now(UTC)
    if verdict.checked_at is None or verdict.from_cache:
        verdict = replace(verdict, checked_at=checked, from_cache=False)
    return verdict, utc_text(checked)


def split_probe(verdict: Verdict) -> tuple[tuple[Any, ...], tuple[Any, ...] | None]:
    """A verdict as a store files it (`stamped`): its probe row (no snapshot inside) and its
    snapshot's row, if any."""
    verdict, checked = stamped(verdict)
    data = verdict.to_json()
    data["archive"] = None
    probe = probe_row(verdict.url, checked, verdict, data)
    snap = verdict.archive
    if snap is None:
        return probe, None
    as_of = lookup_date(snap, datetime.fromisoformat(checked))
    return probe, archive_row(verdict.url, as_of.isoformat(), checked, snap, snap.to_json())


def lookup_date(snapshot: ArchiveSnapshot, checked: datetime) -> date:
    """The date a probe's archive lookup was for: recovered from the capture when there is
    one (its day less `days_from_document`), else the day of the probe.

    >>> snap = ArchiveSnapshot(True, "u", datetime(2023, 8, 1, 23, tzinfo=UTC), "IA", -2)
    >>> lookup_date(snap, datetime(2026, 1, 1, tzinfo=UTC))
    datetime.date(2023, 8, 3)
    """
    if snapshot.timestamp is not None and snapshot.days_from_document is not None:
        return as_utc(snapshot.timestamp).date() - timedelta(days=snapshot.days_from_document)
    return as_utc(checked).date()
