"""The checker's memory: every probe, host probe and archive lookup, in one SQLite file.

Why it exists: a run over a long report takes minutes and is polite to the sites it asks; a
second run (or a run killed half-way) should ask again only about what is missing or expired.
Writes are committed in small batches (`batch.py`: 50 ms or 100 rows, and on close). The store
is also the evidence base (confirmed deaths, ledgers): it keeps every probe as history.

Design:
- Rows wait in memory and are written in one short `BEGIN IMMEDIATE` transaction, so the write
  lock is held for the commit only, never for the whole window (another run sharing the file
  gets its turn). Every read commits what is waiting first, so a process reads its own writes.
- stdlib `sqlite3` in WAL mode with a busy timeout, so two runs sharing one cache both finish
  (readers never block the writer; writers queue for a few seconds instead of failing); the
  file, its pragmas and its migrations are `sqlite_schema.py`'s.
- Rows are read with orjson (a warm rerun reads every answer in a few queries, `get_many`); they
  are still written with the stdlib's `json` so the stored text stays byte-for-byte what it was.
- Each row stores the model's JSON (`to_json()`, the public contract) plus the few indexed
  columns queries need (url, checked_at, verdict). Times are stored as UTC ISO-8601 text of fixed
  width, so text order is time order and the file stays readable with the `sqlite3` shell. A
  probe's archive snapshot is stored once, in its linked lookup row (`storerules.py`).

What it deliberately does not do: decide freshness policy beyond the two ages it is given, or
return results that say nothing about the web. An `error` caused by the local network being
down, or an archive lookup that failed for want of network or because of rate limiting, is kept
in history but never served as a cached answer: the next run with a network must ask again.

A broken cache slows a run down and never stops it (tldextract's cache does the same): this
store only raises `CacheError`, and `failsafe.FailSafeStore`, the one place that handles a
failure, warns once and goes on without it.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Unpack

import orjson
import platformdirs

from citeaudit.check import storerules as rules
from citeaudit.check.batch import Item, Schedule, Statement, WriteBatch, thread_timer
from citeaudit.check.sqlite_schema import SCHEMA_VERSION, connect
from citeaudit.check.sqlite_sql import ARCHIVE_INSERT, PROBE_INSERT, PUT_SNAPSHOT, SNAPSHOT_OF_P
from citeaudit.check.storebase import StoreBase
from citeaudit.errors import CacheError
from citeaudit.models import ArchiveSnapshot, Verdict

BATCH_SECONDS = 0.05
"""The longest a stored row waits in memory before it is committed."""
BATCH_ROWS = 100
"""The most rows waiting in memory: the next one commits the batch at once."""


def default_cache_path() -> Path:
    """The per-user cache file: `<user cache dir>/citeaudit/cache.sqlite3`."""
    return Path(platformdirs.user_cache_dir("citeaudit")) / "cache.sqlite3"


def _json(data: str | None) -> Any:
    return None if data is None else orjson.loads(data)


def _stored(row: tuple[str, str] | None) -> tuple[datetime, Any] | None:
    # a (checked_at, data) row as the stores' shared rules take it
    return None if row is None else (datetime.fromisoformat(row[0]), orjson.loads(row[1]))


class Cache(StoreBase):
    """The SQLite store; every method is safe to call from several threads of one process."""

    def __init__(
        self,
        path: str | Path,
        *,
        batch_seconds: float = BATCH_SECONDS,
        batch_rows: int = BATCH_ROWS,
        schedule: Schedule = thread_timer,
    ) -> None:
        """Open (creating directories, file and schema as needed); CacheError when unusable.

        A failure after opening (disk full, lock held too long) raises CacheError; a run wraps
        the store in `FailSafeStore` to go on without it.
        `batch_seconds`, `batch_rows`: the commit window; `schedule` runs the timed commit.
        """
        self.path = Path(path)
        self._closed = False
        self._lock = threading.RLock()
        self._batch = WriteBatch(
            self._commit, self._lock, seconds=batch_seconds, rows=batch_rows, schedule=schedule
        )
        self._write = self._batch.add
        self._db = connect(path)

    # -- errors and batched writes ----------------------------------------------------------

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        # the one place a driver error becomes this store's error (failsafe.py decides the rest)
        with self._lock:
            try:
                yield
            except sqlite3.Error as exc:
                message = f"cache {self.path} failed ({exc}); continuing without it"
                raise CacheError(message) from exc

    @property
    def usable(self) -> bool:
        """False once the cache is closed."""
        return not self._closed

    @property
    def commits(self) -> int:
        """Batches committed so far (for tests and benchmarks)."""
        return self._batch.commits

    def flush(self) -> None:
        """Commit every waiting write now, in one transaction."""
        self._batch.flush()

    def _commit(self, batch: Sequence[Item]) -> None:
        with self._guard(), self._transaction():
            for statements in batch:
                for sql, params in statements:
                    self._db.execute(sql, params)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        # a read sees this process's own writes: whatever waits is committed first
        with self._lock:
            self._batch.raise_deferred()
            self.flush()
            with self._guard():
                yield self._db

    # -- verdicts -------------------------------------------------------------------------

    def get_many(self, urls: Iterable[str], **ages: Unpack[rules.Freshness]) -> dict[str, Verdict]:
        """`get` for many URLs in a few queries: the fresh answers found, keyed by URL."""
        rows: list[Any] = []
        skipped = rules.NOT_REUSABLE
        with self._reading() as db:
            for chunk in rules.chunked(list(dict.fromkeys(urls))):
                # (url, checked_at) is unique, so max() names one row and SQLite returns that
                # row's other columns: the newest reusable probe of each URL
                rows += db.execute(
                    f"SELECT p.url, p.checked_at, p.data, {SNAPSHOT_OF_P} FROM "
                    "(SELECT url, max(checked_at) AS checked_at, data FROM probes "
                    f"WHERE url IN ({', '.join('?' * len(chunk))}) "
                    f"AND verdict NOT IN ({', '.join('?' * len(skipped))}) GROUP BY url) p",
                    (*chunk, *skipped),
                ).fetchall()
        return rules.answers(
            ((u, datetime.fromisoformat(c), orjson.loads(d), _json(a)) for u, c, d, a in rows),
            **ages,
        )

    def put(self, verdict: Verdict) -> None:
        """Append one probe to the history, committed within the batch window.

        The same URL stored again with the same `checked_at` is the same probe completed
        (typically with its archive snapshot): that row is replaced, not duplicated.
        """
        probe, snapshot = rules.split_probe(verdict)
        writes: list[Statement] = [("INSERT OR REPLACE " + PROBE_INSERT, probe)]
        if snapshot is not None:
            writes.append((PUT_SNAPSHOT, snapshot))
        self._write(*writes)  # one item: the probe and its snapshot commit together

    def history(self, url: str) -> list[Verdict]:
        """Every probe ever stored for `url`, oldest first."""
        with self._reading() as db:
            rows = db.execute(
                f"SELECT p.data, {SNAPSHOT_OF_P} FROM probes p WHERE p.url = ? "
                "ORDER BY p.checked_at, p.id",
                (url,),
            ).fetchall()
        return [Verdict.from_json(rules.stored_probe(orjson.loads(d), _json(a))) for d, a in rows]

    # -- soft-404 host probes -------------------------------------------------------------

    def get_host_probe(self, host: str, *, now: datetime, max_age: timedelta) -> dict | None:
        """The stored random-path probe of `host`, if younger than `max_age`."""
        with self._reading() as db:
            row = db.execute(
                "SELECT checked_at, data FROM host_probes WHERE host = ?", (host.lower(),)
            ).fetchone()
        return rules.served_host_probe(_stored(row), now=now, max_age=max_age)

    def put_host_probe(self, host: str, data: dict, *, checked_at: datetime | None = None) -> None:
        """Store (replace) the random-path probe of `host`; `data` must be JSON-serialisable."""
        self._write(
            (
                "INSERT OR REPLACE INTO host_probes (host, checked_at, data) VALUES (?, ?, ?)",
                (host.lower(), rules.utc_text(checked_at or datetime.now(UTC)), rules.text(data)),
            )
        )

    # -- archive lookups (the ones of their own: a probe's snapshot is part of the probe) -----

    def get_archive(
        self, url: str, as_of: date, *, now: datetime, max_age: timedelta
    ) -> ArchiveSnapshot | None:
        """The latest archive answer for (`url`, `as_of`) if fresh and a fact, not a failure."""
        with self._reading() as db:
            row = db.execute(
                "SELECT checked_at, data FROM archive_lookups WHERE url = ? AND as_of = ? "
                "AND of_probe = 0 ORDER BY checked_at DESC, id DESC LIMIT 1",
                (url, as_of.isoformat()),
            ).fetchone()
        return rules.served_lookup(_stored(row), now=now, max_age=max_age)

    def _add_lookup(self, row: tuple[Any, ...]) -> None:
        self._write(("INSERT " + ARCHIVE_INSERT, row))  # committed within the batch window

    def archive_history(self, url: str) -> list[tuple[date, ArchiveSnapshot]]:
        """Every archive lookup stored for `url` as (as_of, snapshot), oldest first."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT as_of, data FROM archive_lookups WHERE url = ? AND of_probe = 0 "
                "ORDER BY checked_at, id",
                (url,),
            ).fetchall()
        return [
            (date.fromisoformat(d), ArchiveSnapshot.from_json(orjson.loads(data)))
            for d, data in rows
        ]

    # -- ledger rows (export/import of the whole history) ---------------------------------

    def probe_rows(self) -> list[tuple[str, str, dict[str, Any]]]:
        """Every stored probe as (url, checked_at text, verdict JSON), ordered by url and time."""
        with self._reading() as db:
            rows = db.execute(
                f"SELECT p.url, p.checked_at, p.data, {SNAPSHOT_OF_P} FROM probes p "
                "ORDER BY p.url, p.checked_at, p.id"
            ).fetchall()
        return [(u, c, rules.stored_probe(orjson.loads(d), _json(a))) for u, c, d, a in rows]

    def archive_rows(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Every archive lookup as (url, as_of, checked_at text, snapshot JSON), ordered."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT url, as_of, checked_at, data FROM archive_lookups WHERE of_probe = 0 "
                "ORDER BY url, as_of, checked_at, id"
            ).fetchall()
        return [(u, a, c, orjson.loads(d)) for u, a, c, d in rows]

    def add_probe_row(self, url: str, checked_at: str, data: dict[str, Any]) -> bool:
        """Insert one probe exactly as given unless (url, checked_at) is known; True if added."""
        row = rules.ledger_probe_row(url, checked_at, data)
        with self._reading() as db:
            return db.execute("INSERT OR IGNORE " + PROBE_INSERT, row).rowcount > 0

    def add_archive_row(self, url: str, as_of: str, checked_at: str, data: dict[str, Any]) -> bool:
        """Insert one archive lookup unless the same (url, as_of, checked_at) is known."""
        row = rules.ledger_lookup_row(url, as_of, checked_at, data)
        with self._reading() as db:
            known = db.execute(
                "SELECT 1 FROM archive_lookups WHERE url = ? AND as_of = ? AND checked_at = ? "
                "AND of_probe = 0",
                (url, as_of, checked_at),
            ).fetchone()
            if known is not None:
                return False
            db.execute("INSERT " + ARCHIVE_INSERT, row)
        return True

    # -- maintenance ----------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """Path, size on disk, counts of URLs, probes, host probes, archive entries, time span."""
        with self._reading() as db:
            urls, probes, oldest, newest = db.execute(
                "SELECT COUNT(DISTINCT url), COUNT(*), MIN(checked_at), MAX(checked_at) FROM probes"
            ).fetchone()
            hosts = db.execute("SELECT COUNT(*) FROM host_probes").fetchone()[0]
            lookups = db.execute(
                "SELECT COUNT(*) FROM archive_lookups WHERE of_probe = 0"
            ).fetchone()[0]
        return {
            "path": str(self.path),
            "schema_version": SCHEMA_VERSION,
            "size_bytes": self._size(),
            "urls": urls,
            "probes": probes,
            "host_probes": hosts,
            "archive_entries": lookups,
            "oldest_check": oldest,
            "newest_check": newest,
        }

    def _size(self) -> int:
        total = 0
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                total += Path(str(self.path) + suffix).stat().st_size
        return total

    def clear(self) -> int:
        """Remove every stored row; returns how many entries (probes, host probes, archive
        lookups; a probe's snapshot is part of its probe) were removed."""
        removed = 0
        with self._reading() as db:
            with self._transaction():
                for table in ("probes", "host_probes"):
                    removed += db.execute(f"DELETE FROM {table}").rowcount
                removed += db.execute("DELETE FROM archive_lookups WHERE of_probe = 0").rowcount
                db.execute("DELETE FROM archive_lookups")
            # Give the space back; another process may be reading, which only delays it.
            with contextlib.suppress(sqlite3.OperationalError):
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                db.execute("VACUUM")
        return removed

    def close(self) -> None:
        """Commit what waits, then close the connection (idempotent)."""
        with self._lock:
            self._closed = True
            try:
                self._batch.raise_deferred()
                self.flush()
            finally:
                with contextlib.suppress(sqlite3.Error):
                    self._db.close()
