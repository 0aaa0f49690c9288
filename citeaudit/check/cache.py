"""The checker's memory: every probe, host probe and archive lookup, in one SQLite file.

Why it exists: a run over a long report takes minutes and is polite to the sites it asks; a
second run (or a run killed half-way) should ask again only about what is missing or expired.
Writes are committed in small batches: every `BATCH_SECONDS` (50 ms) or `BATCH_ROWS` (100) rows,
whichever comes first, and on close, so `kill -9` at any point loses at most that window (one
commit per verdict cost a second on a cold run of a few thousand URLs). The store is also the
evidence base for later features (confirmed deaths, ledgers): it keeps every probe as history,
never only the latest verdict.

Design:
- Rows wait in memory and are written in one short `BEGIN IMMEDIATE` transaction, so the write
  lock is held for the commit only, never for the whole window (another run sharing the file
  gets its turn). Every read commits what is waiting first, so a process reads its own writes.
- stdlib `sqlite3` in WAL mode with a busy timeout, so two runs sharing one cache both finish
  (readers never block the writer; writers queue for a few seconds instead of failing).
  `synchronous=NORMAL`: a committed row survives the process being killed; only a power cut
  can lose the last few commits, which then are simply probed again.
- The schema is versioned with `PRAGMA user_version` and grown by numbered migrations run in one
  `BEGIN IMMEDIATE` transaction, so two processes opening a fresh file do not both create it.
- Rows are read with orjson (a warm rerun reads one row per URL); they are still written with
  the stdlib's `json` so the stored text stays byte-for-byte what it was.
- Each row stores the model's JSON (`to_json()`, the public contract) plus the few indexed
  columns queries need (url, checked_at, verdict). Times are stored as UTC ISO-8601 text of fixed
  width, so text order is time order and the file stays readable with the `sqlite3` shell.

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
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import orjson
import platformdirs

from citeaudit.check.closing import ClosedOnExit
from citeaudit.errors import CacheError
from citeaudit.models import ArchiveSnapshot, LinkStatus, Verdict

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 15_000
"""How long a writer waits for another process holding the write lock before giving up."""
BATCH_SECONDS = 0.05
"""The longest a stored row waits in memory before it is committed."""
BATCH_ROWS = 100
"""The most rows waiting in memory: the next one commits the batch at once."""

Schedule = Callable[[float, Callable[[], None]], Callable[[], None]]
"""Call a function once after some seconds, from another thread; returns its cancel function."""


def thread_timer(seconds: float, action: Callable[[], None]) -> Callable[[], None]:
    """`Schedule` on a daemon `threading.Timer` (a killed process simply never fires it)."""
    timer = threading.Timer(seconds, action)
    timer.daemon = True
    timer.start()
    return timer.cancel


_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: probes as history, host soft-404 probes, archive lookups as history
    (
        """CREATE TABLE probes (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            checked_at TEXT NOT NULL,
            verdict TEXT NOT NULL,
            http_status INTEGER,
            final_url TEXT,
            data TEXT NOT NULL
        )""",
        # unique: storing a probe again (e.g. once its archive lookup is known) amends it
        "CREATE UNIQUE INDEX probes_by_url ON probes (url, checked_at)",
        "CREATE INDEX probes_by_time ON probes (checked_at)",
        """CREATE TABLE host_probes (
            host TEXT PRIMARY KEY,
            checked_at TEXT NOT NULL,
            data TEXT NOT NULL
        )""",
        """CREATE TABLE archive_lookups (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            as_of TEXT NOT NULL,
            checked_at TEXT NOT NULL,
            available INTEGER NOT NULL,
            capture_url TEXT,
            data TEXT NOT NULL
        )""",
        "CREATE INDEX archive_by_url ON archive_lookups (url, as_of, checked_at)",
    ),
)
assert len(_MIGRATIONS) == SCHEMA_VERSION

_T = TypeVar("_T")


def default_cache_path() -> Path:
    """The per-user cache file: `<user cache dir>/citeaudit/cache.sqlite3`."""
    return Path(platformdirs.user_cache_dir("citeaudit")) / "cache.sqlite3"


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
CHUNK = 500
"""URLs per `IN (...)` list: well under SQLite's smallest limit on bound parameters (999)."""


def chunked(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    """`items` in slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def answers(
    rows: Iterable[tuple[str, datetime, dict[str, Any]]],
    *,
    now: datetime,
    max_age_alive: timedelta,
    max_age_other: timedelta,
) -> dict[str, Verdict]:
    """The newest reusable probe of each URL, as (url, checked_at, JSON), served if fresh."""
    out: dict[str, Verdict] = {}
    for url, checked, data in rows:
        verdict = served(
            Verdict.from_json(data),
            checked,
            now=now,
            max_age_alive=max_age_alive,
            max_age_other=max_age_other,
        )
        if verdict is not None:
            out[url] = verdict
    return out


def _fresh(checked: datetime, now: datetime, max_age: timedelta) -> bool:
    return as_utc(now) - checked <= max_age


def served(
    verdict: Verdict,
    checked: datetime,
    *,
    now: datetime,
    max_age_alive: timedelta,
    max_age_other: timedelta,
) -> Verdict | None:
    """A stored probe as the answer a run may reuse, or None once it is too old.

    Live pages keep longer than the rest; a failed archive lookup inside the probe is dropped,
    so the archive is asked again while the probe itself is kept.
    """
    max_age = max_age_alive if verdict.status.is_live else max_age_other
    if not _fresh(as_utc(checked), now, max_age):
        return None
    if verdict.archive is not None and not reusable_snapshot(verdict.archive):
        verdict = replace(verdict, archive=None)
    return replace(verdict, from_cache=True)


class Cache(ClosedOnExit):
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
        self._batch_seconds = batch_seconds
        self._batch_rows = max(1, batch_rows)
        self._schedule = schedule
        self._pending: list[tuple[str, tuple[Any, ...]]] = []
        self._cancel_timer: Callable[[], None] | None = None
        self._deferred: CacheError | None = None
        self.commits = 0
        """Batches committed so far (for tests and benchmarks)."""
        memory = str(path) == ":memory:"
        try:
            if not memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: autocommit, every statement outside BEGIN is its own commit
            self._db = sqlite3.connect(
                str(path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(f"cannot open cache {path}: {exc}") from exc
        try:
            self._setup(memory)
        except sqlite3.Error as exc:
            self._db.close()
            raise CacheError(f"cache {path} is unusable: {exc}") from exc
        except CacheError:
            self._db.close()
            raise

    def _setup(self, memory: bool) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Reading the header first turns "not a database" into an error here, not mid-run.
        db.execute("PRAGMA user_version").fetchone()
        if not memory:
            mode = self._retry_busy(lambda: db.execute("PRAGMA journal_mode = WAL").fetchone())
            if str(mode[0]).lower() != "wal":
                raise CacheError(f"cache {self.path}: WAL journal mode refused ({mode[0]})")
        db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    @staticmethod
    def _retry_busy(action: Callable[[], _T]) -> _T:
        # Switching to WAL needs a moment of exclusive access; another process opening the same
        # fresh file can hold it, and that pragma does not always honour the busy handler.
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _migrate(self) -> None:
        db = self._db
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version == SCHEMA_VERSION:
            return
        self._retry_busy(lambda: db.execute("BEGIN IMMEDIATE"))
        try:
            # Re-read under the write lock: another process may have migrated meanwhile.
            (version,) = db.execute("PRAGMA user_version").fetchone()
            if version > SCHEMA_VERSION:
                raise CacheError(
                    f"cache {self.path} has schema version {version}, newer than this "
                    f"citeaudit understands ({SCHEMA_VERSION})"
                )
            for statements in _MIGRATIONS[version:]:
                for statement in statements:
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

    # -- errors -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        # the one place a driver error becomes this store's error (failsafe.py decides the rest)
        with self._lock:
            try:
                yield
            except sqlite3.Error as exc:
                raise CacheError(
                    f"cache {self.path} failed ({exc}); continuing without it"
                ) from exc

    @property
    def usable(self) -> bool:
        """False once the cache is closed."""
        return not self._closed

    # -- batched writes -------------------------------------------------------------------

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        """Queue one write; commit the batch when it is full, else within `batch_seconds`."""
        with self._lock:
            self._raise_deferred()
            self._pending.append((sql, params))
            if len(self._pending) >= self._batch_rows:
                self.flush()
            elif self._cancel_timer is None:
                self._cancel_timer = self._schedule(self._batch_seconds, self._timed_flush)

    def _timed_flush(self) -> None:
        # runs in the timer's thread: an error there is kept and raised to the next caller
        try:
            self.flush()
        except CacheError as exc:
            with self._lock:
                self._deferred = exc

    def _raise_deferred(self) -> None:
        if self._deferred is not None:
            exc, self._deferred = self._deferred, None
            raise exc

    def flush(self) -> None:
        """Commit every waiting write now, in one transaction."""
        with self._lock:
            if self._cancel_timer is not None:
                self._cancel_timer()
                self._cancel_timer = None
            if not self._pending:
                return
            batch, self._pending = self._pending, []
            with self._guard():
                db = self._db
                db.execute("BEGIN IMMEDIATE")
                try:
                    for sql, params in batch:
                        db.execute(sql, params)
                    db.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                    raise
                self.commits += 1

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        # a read sees this process's own writes: whatever waits is committed first
        with self._lock:
            self._raise_deferred()
            self.flush()
            with self._guard():
                yield

    # -- verdicts -------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        now: datetime,
        max_age_alive: timedelta,
        max_age_other: timedelta,
    ) -> Verdict | None:
        """The latest verdict for `url` if still fresh (alive/redirected: `max_age_alive`)."""
        found: tuple[str, Verdict] | None = None
        with self._reading():
            rows = self._db.execute(
                "SELECT checked_at, data FROM probes WHERE url = ? "
                "ORDER BY checked_at DESC, id DESC",
                (url,),
            )
            # Newest first; a "network unavailable" probe says nothing about the web, so the
            # answer is the newest probe that does.
            for checked_text, data in rows:
                verdict = Verdict.from_json(orjson.loads(data))
                if reusable_verdict(verdict):
                    found = (checked_text, verdict)
                    break
        if found is None:
            return None
        checked_text, verdict = found
        return served(
            verdict,
            datetime.fromisoformat(checked_text),
            now=now,
            max_age_alive=max_age_alive,
            max_age_other=max_age_other,
        )

    def get_many(
        self,
        urls: Iterable[str],
        *,
        now: datetime,
        max_age_alive: timedelta,
        max_age_other: timedelta,
    ) -> dict[str, Verdict]:
        """`get` for many URLs in a few queries: the fresh answers found, keyed by URL."""
        rows: list[Any] = []
        with self._reading():
            for chunk in chunked(list(dict.fromkeys(urls))):
                # (url, checked_at) is unique, so max() names one row and SQLite returns that
                # row's other columns: the newest reusable probe of each URL
                rows += self._db.execute(
                    "SELECT url, max(checked_at), data FROM probes "
                    f"WHERE url IN ({', '.join('?' * len(chunk))}) "
                    f"AND verdict NOT IN ({', '.join('?' * len(NOT_REUSABLE))}) GROUP BY url",
                    (*chunk, *NOT_REUSABLE),
                ).fetchall()
        return answers(
            ((url, datetime.fromisoformat(c), orjson.loads(d)) for url, c, d in rows),
            now=now,
            max_age_alive=max_age_alive,
            max_age_other=max_age_other,
        )

    def put(self, verdict: Verdict) -> None:
        """Append one probe to the history, committed within the batch window.

        The same URL stored again with the same `checked_at` is the same probe completed
        (typically with its archive snapshot): that row is replaced, not duplicated.
        """
        checked = verdict.checked_at or datetime.now(UTC)
        if verdict.checked_at is None or verdict.from_cache:
            verdict = replace(verdict, checked_at=checked, from_cache=False)
        self._write(
            "INSERT OR REPLACE " + _PROBE_INSERT,
            _probe_row(verdict.url, utc_text(checked), verdict, verdict.to_json()),
        )

    def history(self, url: str) -> list[Verdict]:
        """Every probe ever stored for `url`, oldest first."""
        rows: list[Any] = []
        with self._reading():
            rows = self._db.execute(
                "SELECT data FROM probes WHERE url = ? ORDER BY checked_at, id", (url,)
            ).fetchall()
        return [Verdict.from_json(orjson.loads(data)) for (data,) in rows]

    # -- soft-404 host probes -------------------------------------------------------------

    def get_host_probe(self, host: str, *, now: datetime, max_age: timedelta) -> dict | None:
        """The stored random-path probe of `host`, if younger than `max_age`."""
        row = None
        with self._reading():
            row = self._db.execute(
                "SELECT checked_at, data FROM host_probes WHERE host = ?", (host.lower(),)
            ).fetchone()
        if row is None or not _fresh(datetime.fromisoformat(row[0]), now, max_age):
            return None
        data = orjson.loads(row[1])
        return data if isinstance(data, dict) else None

    def put_host_probe(self, host: str, data: dict, *, checked_at: datetime | None = None) -> None:
        """Store (replace) the random-path probe of `host`; `data` must be JSON-serialisable."""
        self._write(
            "INSERT OR REPLACE INTO host_probes (host, checked_at, data) VALUES (?, ?, ?)",
            (
                host.lower(),
                utc_text(checked_at or datetime.now(UTC)),
                json.dumps(data, ensure_ascii=False, sort_keys=True),
            ),
        )

    # -- archive lookups ------------------------------------------------------------------

    def get_archive(
        self, url: str, as_of: date, *, now: datetime, max_age: timedelta
    ) -> ArchiveSnapshot | None:
        """The latest archive answer for (`url`, `as_of`) if fresh and a fact, not a failure."""
        row = None
        with self._reading():
            row = self._db.execute(
                "SELECT checked_at, data FROM archive_lookups WHERE url = ? AND as_of = ? "
                "ORDER BY checked_at DESC, id DESC LIMIT 1",
                (url, as_of.isoformat()),
            ).fetchone()
        if row is None or not _fresh(datetime.fromisoformat(row[0]), now, max_age):
            return None
        snapshot = ArchiveSnapshot.from_json(orjson.loads(row[1]))
        return snapshot if reusable_snapshot(snapshot) else None

    def put_archive(
        self,
        url: str,
        as_of: date,
        snapshot: ArchiveSnapshot,
        *,
        checked_at: datetime | None = None,
    ) -> None:
        """Append one archive lookup to the history, committed within the batch window."""
        self._write(
            "INSERT " + _ARCHIVE_INSERT,
            _archive_row(
                url,
                as_of.isoformat(),
                utc_text(checked_at or datetime.now(UTC)),
                snapshot,
                snapshot.to_json(),
            ),
        )

    def archive_history(self, url: str) -> list[tuple[date, ArchiveSnapshot]]:
        """Every archive lookup stored for `url` as (as_of, snapshot), oldest first."""
        rows: list[Any] = []
        with self._reading():
            rows = self._db.execute(
                "SELECT as_of, data FROM archive_lookups WHERE url = ? ORDER BY checked_at, id",
                (url,),
            ).fetchall()
        return [
            (date.fromisoformat(d), ArchiveSnapshot.from_json(orjson.loads(data)))
            for d, data in rows
        ]

    # -- ledger rows (export/import of the whole history) ---------------------------------

    def probe_rows(self) -> list[tuple[str, str, dict[str, Any]]]:
        """Every stored probe as (url, checked_at text, verdict JSON), ordered by url and time."""
        rows: list[Any] = []
        with self._reading():
            rows = self._db.execute(
                "SELECT url, checked_at, data FROM probes ORDER BY url, checked_at, id"
            ).fetchall()
        return [(u, c, orjson.loads(d)) for u, c, d in rows]

    def archive_rows(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Every archive lookup as (url, as_of, checked_at text, snapshot JSON), ordered."""
        rows: list[Any] = []
        with self._reading():
            rows = self._db.execute(
                "SELECT url, as_of, checked_at, data FROM archive_lookups "
                "ORDER BY url, as_of, checked_at, id"
            ).fetchall()
        return [(u, a, c, orjson.loads(d)) for u, a, c, d in rows]

    def add_probe_row(self, url: str, checked_at: str, data: dict[str, Any]) -> bool:
        """Insert one probe exactly as given unless (url, checked_at) is known; True if added."""
        row = _probe_row(url, checked_at, Verdict.from_json(data), data)
        added = False
        with self._reading():
            cursor = self._db.execute("INSERT OR IGNORE " + _PROBE_INSERT, row)
            added = cursor.rowcount > 0
        return added

    def add_archive_row(self, url: str, as_of: str, checked_at: str, data: dict[str, Any]) -> bool:
        """Insert one archive lookup unless the same (url, as_of, checked_at) is known."""
        row = _archive_row(url, as_of, checked_at, ArchiveSnapshot.from_json(data), data)
        added = False
        with self._reading():
            known = self._db.execute(
                "SELECT 1 FROM archive_lookups WHERE url = ? AND as_of = ? AND checked_at = ?",
                (url, as_of, checked_at),
            ).fetchone()
            if known is None:
                self._db.execute("INSERT " + _ARCHIVE_INSERT, row)
                added = True
        return added

    # -- maintenance ----------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """Path, size on disk, counts of URLs, probes, host probes, archive entries, time span."""
        out: dict[str, Any] = {
            "path": str(self.path),
            "schema_version": SCHEMA_VERSION,
            "size_bytes": self._size(),
            "urls": 0,
            "probes": 0,
            "host_probes": 0,
            "archive_entries": 0,
            "oldest_check": None,
            "newest_check": None,
        }
        with self._reading():
            db = self._db
            urls, probes, oldest, newest = db.execute(
                "SELECT COUNT(DISTINCT url), COUNT(*), MIN(checked_at), MAX(checked_at) FROM probes"
            ).fetchone()
            out["urls"] = urls
            out["probes"] = probes
            out["oldest_check"] = oldest
            out["newest_check"] = newest
            out["host_probes"] = db.execute("SELECT COUNT(*) FROM host_probes").fetchone()[0]
            out["archive_entries"] = db.execute("SELECT COUNT(*) FROM archive_lookups").fetchone()[
                0
            ]
        return out

    def _size(self) -> int:
        total = 0
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                total += Path(str(self.path) + suffix).stat().st_size
        return total

    def clear(self) -> int:
        """Remove every stored row; returns how many were removed."""
        removed = 0
        with self._reading():
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                for table in ("probes", "host_probes", "archive_lookups"):
                    removed += db.execute(f"DELETE FROM {table}").rowcount
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
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
                self._raise_deferred()
                self.flush()
            finally:
                with contextlib.suppress(sqlite3.Error):
                    self._db.close()


# One row layout per table, for a run's own writes and for imported ledger records alike.
_PROBE_INSERT = (
    "INTO probes (url, checked_at, verdict, http_status, final_url, data) VALUES (?, ?, ?, ?, ?, ?)"
)
_ARCHIVE_INSERT = (
    "INTO archive_lookups (url, as_of, checked_at, available, capture_url, data) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def _probe_row(
    url: str, checked_at: str, verdict: Verdict, data: dict[str, Any]
) -> tuple[Any, ...]:
    return (
        url,
        checked_at,
        str(verdict.status),
        verdict.http_status,
        verdict.final_url,
        json.dumps(data, ensure_ascii=False, sort_keys=True),
    )


def _archive_row(
    url: str, as_of: str, checked_at: str, snapshot: ArchiveSnapshot, data: dict[str, Any]
) -> tuple[Any, ...]:
    return (
        url,
        as_of,
        checked_at,
        int(snapshot.available),
        snapshot.url,
        json.dumps(data, ensure_ascii=False, sort_keys=True),
    )
