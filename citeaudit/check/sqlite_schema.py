"""Opening the SQLite store's file: WAL mode, busy timeout, and the numbered migrations.

The schema is versioned with `PRAGMA user_version` and grown by numbered migrations run in one
`BEGIN IMMEDIATE` transaction, so two processes opening a fresh file do not both create it.
`synchronous=NORMAL`: a committed row survives the process being killed; only a power cut can
lose the last few commits, which then are simply probed again.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from citeaudit.check.storerules import BUSY_TIMEOUT_MS
from citeaudit.errors import CacheError

_T = TypeVar("_T")

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
    # 2: a probe's snapshot is stored once, in the lookup row linked to it (storerules.py);
    # older probes keep theirs inline and are read as they are
    (
        "ALTER TABLE archive_lookups ADD COLUMN of_probe INTEGER NOT NULL DEFAULT 0",
        "CREATE UNIQUE INDEX archive_of_probe ON archive_lookups (url, checked_at) "
        "WHERE of_probe = 1",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)


def connect(path: str | Path) -> sqlite3.Connection:
    """The store's connection to `path`, schema migrated; CacheError when it is unusable."""
    memory = str(path) == ":memory:"
    try:
        if not memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: autocommit, every statement outside BEGIN is its own commit
        db = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
    except (OSError, sqlite3.Error) as exc:
        raise CacheError(f"cannot open cache {path}: {exc}") from exc
    try:
        _setup(db, path, memory)
    except sqlite3.Error as exc:
        db.close()
        raise CacheError(f"cache {path} is unusable: {exc}") from exc
    except CacheError:
        db.close()
        raise
    return db


def _setup(db: sqlite3.Connection, path: str | Path, memory: bool) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # Reading the header first turns "not a database" into an error here, not mid-run.
    db.execute("PRAGMA user_version").fetchone()
    if not memory:
        mode = _retry_busy(lambda: db.execute("PRAGMA journal_mode = WAL").fetchone())
        if str(mode[0]).lower() != "wal":
            raise CacheError(f"cache {path}: WAL journal mode refused ({mode[0]})")
    db.execute("PRAGMA synchronous = NORMAL")
    _migrate(db, path)


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


def _migrate(db: sqlite3.Connection, path: str | Path) -> None:
    (version,) = db.execute("PRAGMA user_version").fetchone()
    if version == SCHEMA_VERSION:
        return
    _retry_busy(lambda: db.execute("BEGIN IMMEDIATE"))
    try:
        # Re-read under the write lock: another process may have migrated meanwhile.
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise CacheError(
                f"cache {path} has schema version {version}, newer than this "
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
