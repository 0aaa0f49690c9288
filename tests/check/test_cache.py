"""What only the SQLite cache has: the file, its schema and migrations, falling back to a
NullCache, batched commits, two processes sharing one file, kill -9.

The shared semantics (round trips, expiry, history, reuse rules, failure handling) are
tests/check/test_store.py's, which runs them on this store and on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from citeaudit.check import cache as cache_module
from citeaudit.check.cache import Cache, default_cache_path, thread_timer
from citeaudit.check.failsafe import FailSafeStore, NullCache
from citeaudit.check.sqlite_schema import _MIGRATIONS, SCHEMA_VERSION
from citeaudit.check.store import StoreKind, open_cache
from citeaudit.check.storerules import utc_text
from citeaudit.errors import CacheError
from citeaudit.models import Verdict

from .stores import T0, full_verdict, lookup, start_writer


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


def test_two_processes_share_one_cache(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"  # both create the schema at once: migration must hold
    count = 300
    procs = [start_writer(StoreKind.SQLITE, str(path), name, count) for name in ("one", "two")]
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
    proc = start_writer(StoreKind.SQLITE, str(path), "k", -1)
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
