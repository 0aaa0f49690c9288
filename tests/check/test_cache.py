"""The SQLite cache: round trips, expiry, history, failure handling, concurrency, kill -9."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from citeaudit.check import cache as cache_module
from citeaudit.check.cache import Cache, default_cache_path, thread_timer
from citeaudit.check.failsafe import FailSafeStore, NullCache
from citeaudit.check.sqlite_schema import _MIGRATIONS, SCHEMA_VERSION
from citeaudit.check.store import open_cache
from citeaudit.check.storerules import utc_text
from citeaudit.errors import CacheError
from citeaudit.models import ArchiveSnapshot, Hop, LinkStatus, Verdict

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ALIVE_AGE = timedelta(days=7)
OTHER_AGE = timedelta(days=1)


def full_verdict(url: str = "https://example.org/a", **changes: object) -> Verdict:
    """A verdict with every field set to a non-default value."""
    verdict = Verdict(
        url=url,
        status=LinkStatus.REDIRECTED,
        reason="2xx after 2 redirects (all permanent)",
        http_status=200,
        final_url="https://www.example.org/a/",
        redirects=(Hop(url, 301), Hop("https://www.example.org/a", 308)),
        title="Ödeme — تقرير",
        checked_at=T0,
        elapsed_ms=321,
        from_cache=False,
        archive=ArchiveSnapshot(
            available=True,
            url="https://web.archive.org/web/20230805101112/https://example.org/a",
            timestamp=datetime(2023, 8, 5, 10, 11, 12, tzinfo=UTC),
            archive="Internet Archive",
            days_from_document=2,
            reason=None,
        ),
        final_outlet="example.org",
    )
    return replace(verdict, **changes)  # type: ignore[arg-type]


def lookup(cache: Cache | NullCache, url: str, now: datetime) -> Verdict | None:
    return cache.get(url, now=now, max_age_alive=ALIVE_AGE, max_age_other=OTHER_AGE)


@pytest.fixture
def db(tmp_path: Path):
    with Cache(tmp_path / "sub" / "dir" / "cache.sqlite3") as cache:
        yield cache


def test_creates_directories_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "cache.sqlite3"
    Cache(path).close()
    assert path.exists()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_default_path_is_in_the_user_cache_dir() -> None:
    path = default_cache_path()
    assert path.name == "cache.sqlite3"
    assert "citeaudit" in path.parts


def test_round_trip_keeps_every_field(db: Cache) -> None:
    original = full_verdict()
    db.put(original)
    got = lookup(db, original.url, T0 + timedelta(hours=1))
    assert got is not None
    assert got.from_cache is True
    for f in fields(Verdict):
        if f.name != "from_cache":
            assert getattr(got, f.name) == getattr(original, f.name), f.name
    assert replace(got, from_cache=False) == original


def test_missing_url_is_none(db: Cache) -> None:
    assert lookup(db, "https://nowhere.example/", T0) is None


def test_alive_keeps_seven_days_other_one_day(db: Cache) -> None:
    db.put(full_verdict("https://a.example/", status=LinkStatus.ALIVE))
    db.put(full_verdict("https://d.example/", status=LinkStatus.DEAD, reason="404"))
    six_days, two_days, half_day = (T0 + timedelta(days=d) for d in (6, 2, 0.5))
    assert lookup(db, "https://a.example/", six_days) is not None
    assert lookup(db, "https://a.example/", T0 + timedelta(days=7, seconds=1)) is None
    assert lookup(db, "https://d.example/", half_day) is not None
    assert lookup(db, "https://d.example/", two_days) is None


def test_newest_probe_answers_and_history_keeps_all(db: Cache) -> None:
    url = "https://flaky.example/page"
    statuses = [LinkStatus.ALIVE, LinkStatus.ERROR, LinkStatus.DEAD]
    # stored out of order: history and get() go by checked_at, not insertion order
    for i in (2, 0, 1):
        db.put(full_verdict(url, status=statuses[i], checked_at=T0 + timedelta(hours=i)))
    history = db.history(url)
    assert [v.status for v in history] == statuses
    assert [v.checked_at for v in history] == [T0 + timedelta(hours=i) for i in range(3)]
    got = lookup(db, url, T0 + timedelta(hours=3))
    assert got is not None and got.status is LinkStatus.DEAD
    assert db.history("https://other.example/") == []


def test_same_probe_stored_again_is_amended_not_duplicated(db: Cache) -> None:
    probe = full_verdict(archive=None)
    db.put(probe)
    db.put(replace(probe, archive=full_verdict().archive))
    [stored] = db.history(probe.url)
    assert stored.archive is not None and stored.archive.available
    later = replace(probe, checked_at=T0 + timedelta(days=1))
    db.put(later)
    assert len(db.history(probe.url)) == 2


def test_transient_archive_failure_inside_a_verdict_is_dropped(db: Cache) -> None:
    down = ArchiveSnapshot(available=False, reason="network unavailable: archive host")
    db.put(full_verdict(archive=down))
    got = lookup(db, "https://example.org/a", T0)
    assert got is not None and got.archive is None  # the probe is reused, the archive re-asked
    assert db.history("https://example.org/a")[0].archive == down
    none = ArchiveSnapshot.none("no capture in the Internet Archive")
    db.put(full_verdict("https://example.org/b", archive=none))
    got = lookup(db, "https://example.org/b", T0)
    assert got is not None and got.archive == none


def test_network_unavailable_error_is_history_not_an_answer(db: Cache) -> None:
    url = "https://example.net/x"
    db.put(full_verdict(url, status=LinkStatus.ALIVE, checked_at=T0))
    down = full_verdict(
        url,
        status=LinkStatus.ERROR,
        reason="network unavailable: no canary name resolved",
        checked_at=T0 + timedelta(hours=1),
    )
    db.put(down)
    got = lookup(db, url, T0 + timedelta(hours=2))
    assert got is not None and got.status is LinkStatus.ALIVE
    assert len(db.history(url)) == 2
    only_down = "https://example.net/y"
    db.put(replace(down, url=only_down))
    assert lookup(db, only_down, T0 + timedelta(hours=2)) is None


def test_put_without_checked_at_uses_now(db: Cache) -> None:
    before = datetime.now(UTC)
    db.put(full_verdict(checked_at=None))
    got = lookup(db, "https://example.org/a", datetime.now(UTC))
    assert got is not None and got.checked_at is not None
    assert before <= got.checked_at <= datetime.now(UTC)


def test_host_probe_round_trip_and_expiry(db: Cache) -> None:
    data = {"status": 200, "title": "Page not found", "size": 5120}
    db.put_host_probe("Example.ORG", data, checked_at=T0)
    assert db.get_host_probe("example.org", now=T0, max_age=OTHER_AGE) == data
    assert db.get_host_probe("example.org", now=T0 + timedelta(days=2), max_age=OTHER_AGE) is None
    db.put_host_probe("example.org", {"status": 404}, checked_at=T0 + timedelta(days=2))
    assert db.get_host_probe("example.org", now=T0 + timedelta(days=2), max_age=OTHER_AGE) == {
        "status": 404
    }
    assert db.get_host_probe("other.org", now=T0, max_age=OTHER_AGE) is None


def test_archive_round_trip_keyed_by_date(db: Cache) -> None:
    url = "https://example.org/a"
    snap = full_verdict().archive
    assert snap is not None
    db.put_archive(url, date(2023, 8, 3), snap, checked_at=T0)
    assert db.get_archive(url, date(2023, 8, 3), now=T0, max_age=ALIVE_AGE) == snap
    assert db.get_archive(url, date(2020, 1, 1), now=T0, max_age=ALIVE_AGE) is None
    late = T0 + timedelta(days=8)
    assert db.get_archive(url, date(2023, 8, 3), now=late, max_age=ALIVE_AGE) is None


def test_archive_failures_are_not_served(db: Cache) -> None:
    url = "https://example.org/b"
    as_of = date(2023, 8, 3)
    none = ArchiveSnapshot.none("no capture in the Internet Archive")
    db.put_archive(url, as_of, none, checked_at=T0)
    assert db.get_archive(url, as_of, now=T0, max_age=OTHER_AGE) == none
    down = ArchiveSnapshot(available=False, reason="network unavailable: archive host")
    db.put_archive(url, as_of, down, checked_at=T0 + timedelta(minutes=1))
    assert db.get_archive(url, as_of, now=T0, max_age=OTHER_AGE) is None
    assert [s for _, s in db.archive_history(url)] == [none, down]


def test_info_and_clear(db: Cache) -> None:
    empty = db.info()
    assert (empty["urls"], empty["probes"], empty["archive_entries"]) == (0, 0, 0)
    assert empty["oldest_check"] is None
    for i in range(3):
        db.put(full_verdict("https://a.example/", checked_at=T0 + timedelta(days=i)))
    db.put(full_verdict("https://b.example/", checked_at=T0))
    db.put_host_probe("a.example", {"status": 200})
    db.put_archive("https://a.example/", date(2023, 1, 1), ArchiveSnapshot(available=False))
    info = db.info()
    assert info["path"] == str(db.path)
    assert info["size_bytes"] > 0
    assert (info["urls"], info["probes"], info["host_probes"], info["archive_entries"]) == (
        2,
        4,
        1,
        1,
    )
    assert info["oldest_check"].startswith("2026-03-01T12:00")
    assert info["newest_check"].startswith("2026-03-03T12:00")
    assert db.clear() == 6
    assert db.info()["probes"] == 0
    assert lookup(db, "https://a.example/", T0) is None
    assert db.clear() == 0


def test_reopen_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with Cache(path) as first:
        first.put(full_verdict())
    with Cache(path) as second:
        assert lookup(second, "https://example.org/a", T0) is not None


def test_corrupt_file_raises_cache_error_and_open_cache_falls_back(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"this is not a database, just some bytes\n" * 200)
    with pytest.raises(CacheError) as caught:
        Cache(path)
    assert isinstance(caught.value.__cause__, sqlite3.DatabaseError)
    warnings: list[str] = []
    fallback = open_cache(path, warn=warnings.append)
    assert isinstance(fallback, NullCache)
    assert len(warnings) == 1 and str(path) in warnings[0]
    # the NullCache does nothing, quietly
    fallback.put(full_verdict())
    assert lookup(fallback, "https://example.org/a", T0) is None
    assert fallback.info()["probes"] == 0
    assert len(warnings) == 1


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 99")
    with pytest.raises(CacheError, match="newer"):
        Cache(path)


def test_directory_path_is_unusable(tmp_path: Path) -> None:
    with pytest.raises(CacheError):
        Cache(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_unwritable_directory_is_unusable(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(CacheError):
            Cache(locked / "cache.sqlite3")
    finally:
        locked.chmod(0o700)


def test_open_cache_returns_working_cache(tmp_path: Path) -> None:
    warnings: list[str] = []
    cache = open_cache(tmp_path / "ok.sqlite3", warn=warnings.append)
    assert isinstance(cache, FailSafeStore) and isinstance(cache.inner, Cache)
    cache.put(full_verdict())
    assert lookup(cache, "https://example.org/a", T0) is not None
    cache.close()
    assert warnings == []


def test_failure_after_open_warns_once_then_does_nothing(tmp_path: Path) -> None:
    warnings: list[str] = []
    cache = open_cache(tmp_path / "x.sqlite3", warn=warnings.append)
    assert isinstance(cache, FailSafeStore) and isinstance(cache.inner, Cache)
    cache._db.close()  # simulate the file going away under the run
    cache.put(full_verdict())
    cache.put(full_verdict())
    assert lookup(cache, "https://example.org/a", T0) is None
    assert len(warnings) == 1 and "continuing without it" in warnings[0]
    assert cache.usable is False


def test_without_on_error_runtime_failure_raises(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "y.sqlite3")
    cache._db.close()
    cache.put(full_verdict())  # waits in the batch: the failure shows when it is committed
    with pytest.raises(CacheError):
        cache.flush()
    with pytest.raises(CacheError):
        lookup(cache, "https://example.org/a", T0)


class ManualTimer:
    """A `Schedule` that fires only when the test says so."""

    def __init__(self) -> None:
        self.armed: list[tuple[float, Callable[[], None]]] = []
        self.cancelled = 0

    def __call__(self, seconds: float, action: Callable[[], None]) -> Callable[[], None]:
        self.armed.append((seconds, action))
        return self.cancel

    def cancel(self) -> None:
        self.cancelled += 1

    def fire(self) -> None:
        _, action = self.armed[-1]
        action()


def stored_urls(path: Path) -> set[str]:
    """URLs committed to the file, as another process would see them."""
    with contextlib.closing(sqlite3.connect(path)) as raw:
        return {u for (u,) in raw.execute("SELECT url FROM probes")}


def numbered(i: int) -> Verdict:
    return full_verdict(f"https://example.org/{i}")


def test_a_batch_is_committed_by_count(tmp_path: Path) -> None:
    path = tmp_path / "count.sqlite3"
    timer = ManualTimer()
    with Cache(path, batch_rows=5, schedule=timer) as cache:
        for i in range(4):
            cache.put(numbered(i))
        assert stored_urls(path) == set()  # the batch waits in memory
        assert len(timer.armed) == 1  # one timer per batch, not per row
        cache.put(numbered(4))  # the fifth row fills the batch: committed at once
        assert stored_urls(path) == {f"https://example.org/{i}" for i in range(5)}
        assert cache.commits == 1 and timer.cancelled == 1
        cache.put(numbered(5))
        assert len(timer.armed) == 2  # a new batch, a new window
    assert len(stored_urls(path)) == 6  # close commits the rest


def test_a_batch_is_committed_by_time(tmp_path: Path) -> None:
    path = tmp_path / "time.sqlite3"
    timer = ManualTimer()
    with Cache(path, batch_seconds=0.05, schedule=timer) as cache:
        cache.put(numbered(0))
        cache.put_host_probe("https://example.org", {"status": 404})
        assert stored_urls(path) == set()
        assert [seconds for seconds, _ in timer.armed] == [0.05]
        timer.fire()  # the window closes with no further write
        assert stored_urls(path) == {"https://example.org/0"}
        assert cache.commits == 1
        timer.fire()  # a late timer of a batch already committed does nothing
        assert cache.commits == 1


def test_the_default_timer_commits_an_idle_batch(tmp_path: Path) -> None:
    path = tmp_path / "idle.sqlite3"
    committed = threading.Event()

    def schedule(seconds: float, action: Callable[[], None]) -> Callable[[], None]:
        def then() -> None:
            action()
            committed.set()

        return thread_timer(seconds, then)

    with Cache(path, schedule=schedule) as cache:
        cache.put(numbered(0))
        assert committed.wait(10)  # an event: the timer thread committed
        assert stored_urls(path) == {"https://example.org/0"}


def test_a_process_reads_its_own_waiting_writes(tmp_path: Path) -> None:
    timer = ManualTimer()
    with Cache(tmp_path / "own.sqlite3", schedule=timer) as cache:
        cache.put(full_verdict())
        assert lookup(cache, "https://example.org/a", T0) is not None
        assert cache.commits == 1  # the read committed what waited


def test_a_failed_timed_commit_is_raised_to_the_next_caller(tmp_path: Path) -> None:
    timer = ManualTimer()
    cache = Cache(tmp_path / "late.sqlite3", schedule=timer)
    cache.put(numbered(0))
    cache._db.close()
    timer.fire()  # in the timer's thread: nothing may escape there
    with pytest.raises(CacheError):
        cache.put(numbered(1))


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from citeaudit.check.cache import Cache
    from citeaudit.models import LinkStatus, Verdict

    path, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cache = Cache(path)
    print("ready", flush=True)
    i = 0
    while count < 0 or i < count:
        url = f"https://{prefix}.example/{i}"
        cache.put(Verdict(url, LinkStatus.ALIVE, "200", http_status=200,
                          checked_at=datetime.now(UTC)))
        print(url, flush=True)  # stored, committed within the batch window
        i += 1
    cache.close()
    """
)


def _writer(path: Path, prefix: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), prefix, str(count)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_share_one_cache(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"  # both create the schema at once: migration must hold
    count = 300
    procs = [_writer(path, name, count) for name in ("one", "two")]
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert len(out.split()) == count + 1
    with Cache(path) as cache:
        info = cache.info()
        assert info["probes"] == 2 * count and info["urls"] == 2 * count
        assert lookup(cache, "https://one.example/299", datetime.now(UTC)) is not None
        assert lookup(cache, "https://two.example/0", datetime.now(UTC)) is not None


def test_kill_9_loses_nothing_committed(tmp_path: Path) -> None:
    path = tmp_path / "killed.sqlite3"
    proc = _writer(path, "k", -1)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    reported: list[str] = []
    deadline = time.monotonic() + 20
    while len(reported) < 400 and time.monotonic() < deadline:
        reported.append(proc.stdout.readline().strip())
    os.kill(proc.pid, signal.SIGKILL)
    rest, _ = proc.communicate(timeout=10)
    reported += [line for line in rest.split("\n") if line.startswith("https://")]
    assert proc.returncode == -signal.SIGKILL
    assert len(reported) >= 400
    with contextlib.closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {u for (u,) in raw.execute("SELECT url FROM probes")}
    # what was lost is the last batch at most: the newest rows, never more than BATCH_ROWS
    lost = [u for u in reported if u not in stored]
    assert len(lost) <= cache_module.BATCH_ROWS
    assert lost == reported[len(reported) - len(lost) :]
    with Cache(path) as cache:
        assert lookup(cache, reported[0], datetime.now(UTC)) is not None


def test_a_version_1_file_is_migrated_and_its_inline_snapshots_still_read(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    old = full_verdict("https://old.example/")  # the snapshot inside the probe, as v1 kept it
    with contextlib.closing(sqlite3.connect(path)) as raw:
        for statement in _MIGRATIONS[0]:
            raw.execute(statement)
        raw.execute(
            "INSERT INTO probes (url, checked_at, verdict, http_status, final_url, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (old.url, utc_text(T0), str(old.status), 200, old.final_url, json.dumps(old.to_json())),
        )
        raw.execute("PRAGMA user_version = 1")
        raw.commit()
    with Cache(path) as cache:
        assert cache.history(old.url) == [old]
        assert lookup(cache, old.url, T0) == replace(old, from_cache=True)
        cache.put(replace(old, url="https://new.example/"))
        assert cache.history("https://new.example/")[0].archive == old.archive
    with contextlib.closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
