"""The Store contract: the same semantics from the SQLite and the PostgreSQL store.

Every test in the first part runs twice, once per store (`store` fixture). The PostgreSQL runs
use a throwaway server (tests/pg.py) with a fresh database per test. The last part covers the
pure helpers of citeaudit.check.store: which store a URL selects, and masking passwords.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from citeaudit.check.cache import Cache
from citeaudit.check.failsafe import FailSafeStore, NullCache
from citeaudit.check.store import (
    Store,
    StoreKind,
    StoreTarget,
    check_store_url,
    mask_url,
    open_for_run,
    open_store,
    pick_store,
    store_exists,
)
from citeaudit.check.storerules import utc_text
from citeaudit.errors import CacheError
from citeaudit.evidence.ledger import export_ledger, import_ledger
from citeaudit.models import ArchiveSnapshot, LinkStatus, Verdict

from .stores import ALIVE_AGE, OTHER_AGE, T0, full_verdict, lookup

KINDS = ["sqlite", "postgresql"]


def _target(request: pytest.FixtureRequest, kind: str, tmp_path: Path, name: str) -> StoreTarget:
    if kind == "sqlite":
        return StoreTarget(StoreKind.SQLITE, str(tmp_path / f"{name}.sqlite3"))
    server = request.getfixturevalue("pg_server")
    return StoreTarget(StoreKind.POSTGRESQL, server.create_database())


@pytest.fixture(params=KINDS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> StoreTarget:
    """Where a fresh store of each kind lives."""
    return _target(request, request.param, tmp_path, "store")


@pytest.fixture
def make_target(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Callable[[str, str], StoreTarget]:
    """Fresh stores of any kind, for tests that move history between two of them."""
    return lambda kind, name: _target(request, kind, tmp_path, name)


@pytest.fixture
def store(target: StoreTarget) -> Iterator[Store]:
    with open_store(target) as opened:
        yield opened


# -- the contract, run on both stores ---------------------------------------------------------


def test_both_stores_implement_the_protocol(store: Store) -> None:
    assert isinstance(store, Store)
    assert store.usable is True


def test_round_trip_keeps_every_field(store: Store) -> None:
    original = full_verdict()
    store.put(original)
    got = lookup(store, original.url, T0 + timedelta(hours=1))
    assert got is not None
    assert got.from_cache is True
    for f in fields(Verdict):
        if f.name != "from_cache":
            assert getattr(got, f.name) == getattr(original, f.name), f.name
    assert replace(got, from_cache=False) == original


def test_awkward_text_round_trips(store: Store) -> None:
    # A NUL inside a title is legal JSON text; jsonb would refuse it, json and SQLite keep it.
    odd = full_verdict(title="a\x00b \U0001f600 \\ \" '", reason="x" * 10_000)
    store.put(odd)
    assert store.history(odd.url) == [odd]


def test_missing_url_is_none(store: Store) -> None:
    assert lookup(store, "https://nowhere.example/", T0) is None
    assert store.history("https://nowhere.example/") == []


def test_alive_keeps_seven_days_other_one_day(store: Store) -> None:
    store.put(full_verdict("https://a.example/", status=LinkStatus.ALIVE))
    store.put(full_verdict("https://d.example/", status=LinkStatus.DEAD, reason="404"))
    assert lookup(store, "https://a.example/", T0 + timedelta(days=6)) is not None
    assert lookup(store, "https://a.example/", T0 + timedelta(days=7, seconds=1)) is None
    assert lookup(store, "https://d.example/", T0 + timedelta(hours=12)) is not None
    assert lookup(store, "https://d.example/", T0 + timedelta(days=2)) is None


def test_ages_are_measured_in_utc_whatever_the_offset(store: Store) -> None:
    store.put(full_verdict("https://tz.example/", status=LinkStatus.DEAD, checked_at=T0))
    plus_two = timezone(timedelta(hours=2))
    one_day = (T0 + OTHER_AGE).astimezone(plus_two)  # 14:00+02:00 the next day
    assert lookup(store, "https://tz.example/", one_day) is not None
    assert lookup(store, "https://tz.example/", one_day + timedelta(seconds=1)) is None
    naive = (T0 + OTHER_AGE).replace(tzinfo=None)  # naive means UTC
    assert lookup(store, "https://tz.example/", naive) is not None
    [stored] = store.history("https://tz.example/")
    assert stored.checked_at == T0


def test_newest_probe_answers_and_history_keeps_all(store: Store) -> None:
    url = "https://flaky.example/page"
    statuses = [LinkStatus.ALIVE, LinkStatus.ERROR, LinkStatus.DEAD]
    # stored out of order: history and get() go by checked_at, not insertion order
    for i in (2, 0, 1):
        store.put(full_verdict(url, status=statuses[i], checked_at=T0 + timedelta(hours=i)))
    history = store.history(url)
    assert [v.status for v in history] == statuses
    assert [v.checked_at for v in history] == [T0 + timedelta(hours=i) for i in range(3)]
    got = lookup(store, url, T0 + timedelta(hours=3))
    assert got is not None and got.status is LinkStatus.DEAD


def test_same_probe_stored_again_is_amended_not_duplicated(store: Store) -> None:
    probe = full_verdict(archive=None)
    store.put(probe)
    store.put(replace(probe, archive=full_verdict().archive, from_cache=True))
    [stored] = store.history(probe.url)
    assert stored.archive is not None and stored.archive.available
    assert stored.from_cache is False
    store.put(replace(probe, checked_at=T0 + timedelta(days=1)))
    assert len(store.history(probe.url)) == 2


@pytest.mark.parametrize(
    "reason", ["connection refused", "network unavailable: no canary name resolved"]
)
def test_an_error_is_history_never_an_answer(store: Store, reason: str) -> None:
    url = "https://example.net/x"
    store.put(full_verdict(url, status=LinkStatus.ALIVE, checked_at=T0))
    down = full_verdict(
        url,
        status=LinkStatus.ERROR,
        reason=reason,
        checked_at=T0 + timedelta(hours=1),
    )
    store.put(down)
    got = lookup(store, url, T0 + timedelta(hours=2))
    assert got is not None and got.status is LinkStatus.ALIVE
    assert len(store.history(url)) == 2
    only_down = "https://example.net/y"
    store.put(replace(down, url=only_down))
    assert lookup(store, only_down, T0 + timedelta(hours=2)) is None
    assert [v.status for v in store.history(only_down)] == [LinkStatus.ERROR]


def test_get_many_answers_as_get_does_for_each_url(store: Store) -> None:
    url = "https://many.example/"
    store.put(full_verdict(url + "alive", status=LinkStatus.ALIVE))
    store.put(full_verdict(url + "dead", status=LinkStatus.DEAD, reason="404"))
    store.put(full_verdict(url + "flaky", status=LinkStatus.ALIVE, checked_at=T0))
    later = T0 + timedelta(hours=1)
    store.put(full_verdict(url + "flaky", status=LinkStatus.ERROR, checked_at=later))
    store.put(full_verdict(url + "down", status=LinkStatus.ERROR, reason="refused"))
    # more URLs than one IN list holds, so the answer spans several queries
    bulk = [f"{url}bulk/{i}" for i in range(1234)]
    for key in bulk[::100]:
        store.put(full_verdict(key, status=LinkStatus.DEAD, reason="410"))
    asked = [url + k for k in ("alive", "dead", "flaky", "down", "missing", "alive")] + bulk
    for now in (T0 + timedelta(hours=2), T0 + timedelta(days=3)):
        got = store.get_many(asked, now=now, max_age_alive=ALIVE_AGE, max_age_other=OTHER_AGE)
        one_by_one = {u: lookup(store, u, now) for u in asked}
        assert got == {u: v for u, v in one_by_one.items() if v is not None}
    fresh = store.get_many(asked, now=T0, max_age_alive=ALIVE_AGE, max_age_other=OTHER_AGE)
    assert len(fresh) == 3 + len(bulk[::100])
    assert fresh[url + "flaky"].status is LinkStatus.ALIVE and fresh[url + "flaky"].from_cache


def _raw(store: Store, sql: str) -> list[tuple[object, ...]]:
    """Rows of a query run on the store's own tables, past its API."""
    if isinstance(store, Cache):
        store.flush()
        return [tuple(r) for r in store._db.execute(sql).fetchall()]
    from citeaudit.check.store_pg import PostgresStore

    assert isinstance(store, PostgresStore)
    with store._pool.connection() as conn:
        return [tuple(r) for r in conn.execute(sql).fetchall()]


def test_a_probes_snapshot_is_stored_once_and_read_back_with_it(store: Store) -> None:
    probe = full_verdict()
    store.put(replace(probe, archive=None))
    store.put(probe)  # the same probe completed with its snapshot
    store.put(probe)  # and stored again: still one snapshot
    [(data,)] = _raw(store, "SELECT data FROM probes")
    inline = data if isinstance(data, dict) else json.loads(str(data))
    assert inline["archive"] is None  # no copy inside the probe
    [(linked,)] = _raw(store, "SELECT data FROM archive_lookups")
    snapshot = linked if isinstance(linked, dict) else json.loads(str(linked))
    assert probe.archive is not None and snapshot == probe.archive.to_json()
    assert store.history(probe.url) == [probe]
    assert lookup(store, probe.url, T0) == replace(probe, from_cache=True)
    assert store.get_many([probe.url], now=T0, max_age_alive=ALIVE_AGE,
                          max_age_other=OTHER_AGE)[probe.url].archive == probe.archive  # fmt: skip
    # a snapshot is part of its probe: not a lookup of its own, in the history or the ledger
    assert store.archive_history(probe.url) == [] and store.archive_rows() == []
    assert store.info()["archive_entries"] == 0
    [(_, _, exported)] = store.probe_rows()
    assert Verdict.from_json(exported) == probe
    assert store.clear() == 1


def test_probes_with_their_snapshot_inline_are_still_read(store: Store) -> None:
    # as rows written before snapshots moved out of the probe (and old ledgers) hold them
    old = full_verdict("https://old.example/")
    assert store.add_probe_row(old.url, utc_text(T0), old.to_json()) is True
    assert store.history(old.url) == [old]
    assert lookup(store, old.url, T0) == replace(old, from_cache=True)
    [(_, _, exported)] = store.probe_rows()
    assert exported == old.to_json()
    # amended by a later run: the linked snapshot is the one read
    newer = ArchiveSnapshot.none("no capture in the Internet Archive")
    store.put(replace(old, archive=newer))
    assert [v.archive for v in store.history(old.url)] == [newer]


def test_transient_archive_failure_inside_a_verdict_is_dropped(store: Store) -> None:
    down = ArchiveSnapshot(available=False, reason="network unavailable: archive host")
    store.put(full_verdict(archive=down))
    got = lookup(store, "https://example.org/a", T0)
    assert got is not None and got.archive is None  # the probe is reused, the archive re-asked
    assert store.history("https://example.org/a")[0].archive == down
    none = ArchiveSnapshot.none("no capture in the Internet Archive")
    store.put(full_verdict("https://example.org/b", archive=none))
    got = lookup(store, "https://example.org/b", T0)
    assert got is not None and got.archive == none


def test_put_without_checked_at_uses_now(store: Store) -> None:
    before = datetime.now(UTC)
    store.put(full_verdict(checked_at=None))
    got = lookup(store, "https://example.org/a", datetime.now(UTC))
    assert got is not None and got.checked_at is not None
    assert before <= got.checked_at <= datetime.now(UTC)


def test_host_probe_round_trip_and_expiry(store: Store) -> None:
    data = {"status": 200, "title": "Page not found", "size": 5120, "nested": {"a": [1, 2]}}
    store.put_host_probe("Example.ORG", data, checked_at=T0)
    assert store.get_host_probe("example.org", now=T0, max_age=OTHER_AGE) == data
    later = T0 + timedelta(days=2)
    assert store.get_host_probe("EXAMPLE.org", now=later, max_age=OTHER_AGE) is None
    store.put_host_probe("example.org", {"status": 404}, checked_at=later)
    assert store.get_host_probe("example.org", now=later, max_age=OTHER_AGE) == {"status": 404}
    assert store.get_host_probe("other.org", now=T0, max_age=OTHER_AGE) is None
    assert store.info()["host_probes"] == 1


def test_archive_round_trip_keyed_by_date(store: Store) -> None:
    url = "https://example.org/a"
    snap = full_verdict().archive
    assert snap is not None
    store.put_archive(url, date(2023, 8, 3), snap, checked_at=T0)
    assert store.get_archive(url, date(2023, 8, 3), now=T0, max_age=ALIVE_AGE) == snap
    assert store.get_archive(url, date(2020, 1, 1), now=T0, max_age=ALIVE_AGE) is None
    late = T0 + timedelta(days=8)
    assert store.get_archive(url, date(2023, 8, 3), now=late, max_age=ALIVE_AGE) is None
    assert store.archive_history(url) == [(date(2023, 8, 3), snap)]


def test_archive_failures_are_history_not_answers(store: Store) -> None:
    url = "https://example.org/b"
    as_of = date(2023, 8, 3)
    none = ArchiveSnapshot.none("no capture in the Internet Archive")
    store.put_archive(url, as_of, none, checked_at=T0)
    assert store.get_archive(url, as_of, now=T0, max_age=OTHER_AGE) == none
    down = ArchiveSnapshot(available=False, reason="network unavailable: archive host")
    store.put_archive(url, as_of, down, checked_at=T0 + timedelta(minutes=1))
    assert store.get_archive(url, as_of, now=T0, max_age=OTHER_AGE) is None
    assert [s for _, s in store.archive_history(url)] == [none, down]


def test_info_and_clear(store: Store) -> None:
    empty = store.info()
    assert (empty["urls"], empty["probes"], empty["archive_entries"]) == (0, 0, 0)
    assert empty["oldest_check"] is None and empty["schema_version"] >= 1
    for i in range(3):
        store.put(full_verdict("https://a.example/", checked_at=T0 + timedelta(days=i)))
    store.put(full_verdict("https://b.example/", checked_at=T0))
    store.put_host_probe("a.example", {"status": 200})
    store.put_archive("https://a.example/", date(2023, 1, 1), ArchiveSnapshot(available=False))
    info = store.info()
    assert info["path"] == str(store.path)  # SQLite: the file; PostgreSQL: the masked URL
    assert info["size_bytes"] > 0
    counts = (info["urls"], info["probes"], info["host_probes"], info["archive_entries"])
    assert counts == (2, 4, 1, 1)
    assert info["oldest_check"] == "2026-03-01T12:00:00.000000+00:00"
    assert info["newest_check"] == "2026-03-03T12:00:00.000000+00:00"
    assert store.clear() == 6
    assert store.info()["probes"] == 0
    assert lookup(store, "https://a.example/", T0) is None
    assert store.archive_history("https://a.example/") == []
    assert store.clear() == 0


def test_reopen_keeps_data(target: StoreTarget) -> None:
    with open_store(target) as first:
        first.put(full_verdict())
    with open_store(target) as second:
        assert lookup(second, "https://example.org/a", T0) is not None


def test_ledger_rows_come_back_as_given(store: Store) -> None:
    store.put(full_verdict("https://b.example/", checked_at=T0 + timedelta(hours=1)))
    store.put(full_verdict("https://a.example/", checked_at=T0))
    snap = ArchiveSnapshot(available=True, url="https://web.archive.org/web/2023/x")
    store.put_archive("https://a.example/", date(2023, 1, 2), snap, checked_at=T0)
    rows = store.probe_rows()
    assert [(u, c) for u, c, _ in rows] == [
        ("https://a.example/", "2026-03-01T12:00:00.000000+00:00"),
        ("https://b.example/", "2026-03-01T13:00:00.000000+00:00"),
    ]
    assert Verdict.from_json(rows[0][2]) == full_verdict("https://a.example/")
    [(url, as_of, checked, data)] = store.archive_rows()
    assert (url, as_of, checked) == ("https://a.example/", "2023-01-02", rows[0][1])
    assert ArchiveSnapshot.from_json(data) == snap


def test_ledger_rows_are_added_once(store: Store) -> None:
    data = full_verdict().to_json()
    checked = "2026-03-01T12:00:00.000000+00:00"
    assert store.add_probe_row("https://example.org/a", checked, data) is True
    assert store.add_probe_row("https://example.org/a", checked, data) is False
    assert store.history("https://example.org/a") == [full_verdict()]
    snap = ArchiveSnapshot.none("no capture").to_json()
    assert store.add_archive_row("https://example.org/a", "2023-01-02", checked, snap) is True
    assert store.add_archive_row("https://example.org/a", "2023-01-02", checked, snap) is False
    assert store.add_archive_row("https://example.org/a", "2023-01-03", checked, snap) is True
    assert store.info()["archive_entries"] == 2
    with pytest.raises((KeyError, ValueError, TypeError)):
        store.add_probe_row("https://example.org/a", checked, {"url": "x"})


def _fill(store: Store) -> None:
    snap = full_verdict().archive
    assert snap is not None
    store.put(full_verdict("http://a.test/", status=LinkStatus.ERROR, checked_at=T0))
    store.put(full_verdict("http://a.test/", checked_at=T0 + timedelta(days=1)))
    store.put(full_verdict("http://b.test/x", status=LinkStatus.DEAD, http_status=404))
    store.put_archive("http://a.test/", date(2024, 3, 1), snap, checked_at=T0)
    store.put_host_probe("a.test", {"status": 404})  # not history: not in the ledger


@pytest.mark.parametrize(
    ("source", "sink"),
    [("sqlite", "postgresql"), ("postgresql", "sqlite"), ("postgresql", "postgresql")],
)
def test_ledger_moves_history_between_stores_byte_for_byte(
    make_target: Callable[[str, str], StoreTarget], tmp_path: Path, source: str, sink: str
) -> None:
    with open_store(make_target(source, "source")) as first:
        _fill(first)
        assert export_ledger(first, tmp_path / "one.jsonl") == 4
    with open_store(make_target(sink, "sink")) as second:
        stats = import_ledger(second, tmp_path / "one.jsonl")
        assert (stats.probes_added, stats.probes_known, stats.archives_added) == (3, 0, 1)
        again = import_ledger(second, tmp_path / "one.jsonl")
        assert (again.probes_added, again.probes_known, again.archives_known) == (0, 3, 1)
        export_ledger(second, tmp_path / "two.jsonl")
        got = lookup(second, "http://a.test/", T0 + timedelta(days=1))
        assert got is not None and got.status is LinkStatus.REDIRECTED
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()


@pytest.mark.parametrize("kind", KINDS)
def test_failure_after_open_warns_once_then_does_nothing(
    make_target: Callable[[str, str], StoreTarget], kind: str
) -> None:
    warnings: list[str] = []
    opened = open_store(make_target(kind, "broken"), on_error=warnings.append)
    opened.put(full_verdict())
    _break(opened)
    opened.put(full_verdict("https://example.org/b"))
    assert lookup(opened, "https://example.org/a", T0) is None
    assert opened.history("https://example.org/a") == []
    assert opened.clear() == 0
    assert len(warnings) == 1 and "continuing without it" in warnings[0]
    assert "\n" not in warnings[0]
    assert opened.usable is False
    opened.close()


@pytest.mark.parametrize("kind", KINDS)
def test_without_on_error_a_failure_raises_cache_error(
    make_target: Callable[[str, str], StoreTarget], kind: str
) -> None:
    opened = open_store(make_target(kind, "raising"))
    _break(opened)
    with pytest.raises(CacheError, match="failed"):
        # SQLite batches its commits: the failure shows at the latest when it is read back
        opened.put(full_verdict())
        opened.history(full_verdict().url)
    opened.close()


def _break(opened: Store) -> None:
    """Take the store's backing away under it (the file closed, the pool's database gone)."""
    if isinstance(opened, FailSafeStore):
        opened = opened.inner
    if isinstance(opened, Cache):
        opened._db.close()
        return
    import psycopg

    from citeaudit.check.store_pg import PostgresStore

    assert isinstance(opened, PostgresStore)
    name = psycopg.conninfo.conninfo_to_dict(opened.url)["dbname"]
    with psycopg.connect(opened.url.replace(f"/{name}?", "/postgres?"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


# -- choosing the store -----------------------------------------------------------------------


def test_postgres_urls_select_postgresql_anything_else_is_refused() -> None:
    default = Path("/home/u/.cache/citeaudit/cache.sqlite3")
    for url in ("postgresql://db.example/evidence", "POSTGRES://u@/ev?host=/run/pg"):
        assert pick_store(url, None, default) == StoreTarget(StoreKind.POSTGRESQL, url)
    assert pick_store(None, Path("c.db"), default) == StoreTarget(StoreKind.SQLITE, "c.db")
    assert pick_store(None, None, default).location == str(default)
    for bad in ("mysql://db/x", "sqlite:///x.db", "evidence.db", "host=db dbname=x", ""):
        with pytest.raises(ValueError) as caught:
            check_store_url(bad)
        assert "\n" not in str(caught.value) and "postgresql://" in str(caught.value)


def test_passwords_never_show() -> None:
    assert mask_url("postgresql://ann:p%40ss@db:5432/ev") == "postgresql://ann:***@db:5432/ev"
    assert mask_url("postgresql://ann@db/ev") == "postgresql://ann@db/ev"
    assert "hunter2" not in mask_url("postgres://db/ev?sslmode=require&PASSWORD=hunter2")
    target = StoreTarget(StoreKind.POSTGRESQL, "postgresql://ann:hunter2@db/ev")
    assert target.display == "postgresql://ann:***@db/ev"
    with pytest.raises(ValueError) as caught:
        check_store_url("mysql://ann:hunter2@db/ev")
    assert "hunter2" not in str(caught.value)


def test_store_exists_only_asks_the_disk_for_sqlite(tmp_path: Path) -> None:
    assert not store_exists(StoreTarget(StoreKind.SQLITE, str(tmp_path / "none.sqlite3")))
    assert store_exists(StoreTarget(StoreKind.SQLITE, str(tmp_path)))
    assert store_exists(StoreTarget(StoreKind.POSTGRESQL, "postgresql://127.0.0.1:1/x"))


def test_a_run_goes_on_without_a_broken_sqlite_file(tmp_path: Path) -> None:
    bad = tmp_path / "garbage.sqlite3"
    bad.write_bytes(b"not a database\n" * 300)
    warnings: list[str] = []
    opened = open_for_run(StoreTarget(StoreKind.SQLITE, str(bad)), warn=warnings.append)
    assert isinstance(opened, NullCache) and len(warnings) == 1
    assert bad.read_bytes() == b"not a database\n" * 300  # the user's file is left alone


def test_a_run_stops_on_an_unreachable_postgresql_store() -> None:
    warnings: list[str] = []
    target = StoreTarget(StoreKind.POSTGRESQL, "postgresql://ann:hunter2@127.0.0.1:1/ev")
    with pytest.raises(CacheError) as caught:
        open_for_run(target, warn=warnings.append)
    message = str(caught.value)
    assert message.startswith("cannot open store postgresql://ann:***@127.0.0.1:1/ev")
    assert "\n" not in message and "hunter2" not in message
    assert warnings == []


def test_stored_json_is_one_form_whichever_encoder_writes_it() -> None:
    from citeaudit.check.storerules import text

    # orjson writes this one; json writes what orjson refuses (an integer past 64 bits)
    assert text({"b": 1, "a": "é"}) == '{"a":"é","b":1}'
    assert text({"b": 2**70, "a": "é"}) == '{"a":"é","b":1180591620717411303424}'
