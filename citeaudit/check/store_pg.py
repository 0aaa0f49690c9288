"""The checker's memory in PostgreSQL: the SQLite store's semantics, shared by many machines.

Why it exists: a team (or a farm of workers) checking one corpus wants one history, not one
SQLite file per machine. `PostgresStore` keeps exactly what `cache.Cache` keeps, under the same
rules: every probe is history, an `error` is never served as an answer, an archive failure that
says nothing about the archive is asked again, ledgers export and import the same records.

Design:
- psycopg 3 with a `psycopg_pool.ConnectionPool` in autocommit mode: each write is its own
  transaction, committed before the call returns, so a killed citeaudit loses nothing stored.
  Sessions run with `synchronous_commit = off`: the commit returns before the server flushes its
  WAL, so a crash of the *server* (not of citeaudit) can lose the last fraction of a second of
  commits, which are then simply probed again. That is the trade the SQLite store makes with
  `synchronous=NORMAL`, and it makes a write a round trip rather than a disk flush.
- The schema and its migrations are `pg_schema.py`'s.
- Times are `timestamptz` (sessions in UTC), dates `date`, the model's JSON `json`: not `jsonb`,
  which refuses a `\\u0000` some page titles hold and reorders keys for no gain here.
- Row tuples and reuse rules are `storerules.py`'s, shared with the SQLite store, so the two
  stores cannot drift apart in what they store or serve.

Deliberately not here: choosing the store (`store.py`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar, Unpack

import orjson
import psycopg
from psycopg.types.json import set_json_loads
from psycopg_pool import ConnectionPool

from citeaudit.check import storerules as rules
from citeaudit.check.pg_schema import (
    CONNECT_TIMEOUT_S,
    SCHEMA_VERSION,
    connection_info,
    migrate,
    one_line,
)
from citeaudit.check.store import mask_url
from citeaudit.check.storebase import StoreBase
from citeaudit.errors import CacheError
from citeaudit.models import ArchiveSnapshot, Verdict

POOL_SIZE = 4

_PROBE_COLUMNS = "(url, checked_at, verdict, http_status, final_url, data)"
_PROBE_VALUES = "VALUES (%s, %s, %s, %s, %s, %s)"
_PUT_PROBE = (
    f"INSERT INTO probes {_PROBE_COLUMNS} {_PROBE_VALUES} ON CONFLICT (url, checked_at) DO UPDATE "
    "SET verdict = EXCLUDED.verdict, http_status = EXCLUDED.http_status, "
    "final_url = EXCLUDED.final_url, data = EXCLUDED.data"
)
# the probe and its snapshot in one statement: one round trip, one transaction
_PUT_PROBE_AND_SNAPSHOT = (
    f"WITH probe AS ({_PUT_PROBE}) "
    "INSERT INTO archive_lookups (url, as_of, checked_at, available, capture_url, data, "
    "of_probe) VALUES (%s, %s, %s, %s <> 0, %s, %s, true) "
    "ON CONFLICT (url, checked_at) WHERE of_probe DO UPDATE SET as_of = EXCLUDED.as_of, "
    "available = EXCLUDED.available, capture_url = EXCLUDED.capture_url, data = EXCLUDED.data"
)


def probe_statement(verdict: Verdict) -> tuple[str, tuple[Any, ...]]:
    """The statement (and its parameters) that files one probe, with its snapshot if any."""
    probe, snapshot = rules.split_probe(verdict)
    if snapshot is None:
        return _PUT_PROBE, probe
    return _PUT_PROBE_AND_SNAPSHOT, (*probe, *snapshot)


_ADD_PROBE = f"INSERT INTO probes {_PROBE_COLUMNS} {_PROBE_VALUES} ON CONFLICT DO NOTHING"
_PUT_ARCHIVE = (
    "INSERT INTO archive_lookups (url, as_of, checked_at, available, capture_url, data) "
    "VALUES (%s, %s, %s, %s <> 0, %s, %s)"
)
_ADD_ARCHIVE = (
    "INSERT INTO archive_lookups (url, as_of, checked_at, available, capture_url, data) "
    "SELECT %(url)s, %(as_of)s::date, %(checked_at)s::timestamptz, %(available)s <> 0, "
    "%(capture)s, %(data)s::json WHERE NOT EXISTS (SELECT 1 FROM archive_lookups "
    "WHERE url = %(url)s AND as_of = %(as_of)s::date AND checked_at = %(checked_at)s::timestamptz "
    "AND NOT of_probe)"
)
# a probe's linked snapshot, for queries whose probe table is named p (corpus report too)
SNAPSHOT_OF_P = (
    "(SELECT a.data FROM archive_lookups a WHERE a.of_probe AND a.url = p.url "
    "AND a.checked_at = p.checked_at)"
)
_TABLES = ("probes", "host_probes", "archive_lookups")
_T = TypeVar("_T")


def _stored(rows: list[Any]) -> tuple[datetime, Any] | None:
    # the first (checked_at, data) row as the stores' shared rules take it
    return (rules.as_utc(rows[0][0]), rows[0][1]) if rows else None


def _configure(conn: psycopg.Connection[Any]) -> None:
    # Session settings, not connection options: options= in the URL (a search_path) survives.
    conn.execute("SET TIME ZONE 'UTC'")
    conn.execute("SET synchronous_commit TO off")
    set_json_loads(orjson.loads, conn)


class PostgresStore(StoreBase):
    """The PostgreSQL store; every method is safe to call from several threads."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = POOL_SIZE,
    ) -> None:
        """Connect and migrate; CacheError (one line, password masked) when unusable.

        A failure after opening raises CacheError too; a run wraps the store in
        `FailSafeStore` to go on without it.
        """
        self.url = url
        self.path = mask_url(url)
        self._closed = False
        try:
            info = connection_info(url)
            # A first direct connection: its failure says why (the pool would only time out).
            with psycopg.connect(info, autocommit=True) as conn:
                migrate(conn, where=self.path)
        except psycopg.Error as exc:
            raise CacheError(f"cannot open store {self.path}: {one_line(exc)}") from None
        self._pool: ConnectionPool[Any] = ConnectionPool(
            info,
            min_size=1,
            max_size=max(1, pool_size),
            kwargs={"autocommit": True},
            configure=_configure,
            timeout=rules.BUSY_TIMEOUT_MS / 1000,
            open=False,
            name="citeaudit",
        )
        try:
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
        except psycopg.Error as exc:
            self._pool.close()  # its workers would otherwise go on trying
            raise CacheError(f"cannot open store {self.path}: {one_line(exc)}") from None

    # -- errors -------------------------------------------------------------------------

    def _call(self, action: Callable[[psycopg.Connection[Any]], _T]) -> _T:
        """`action` on a pooled connection; a driver failure becomes this store's CacheError."""
        try:
            with self._pool.connection() as conn:
                return action(conn)
        except psycopg.Error as exc:  # PoolTimeout is one too
            message = f"store {self.path} failed ({one_line(exc)}); continuing without it"
            raise CacheError(message) from None

    @property
    def usable(self) -> bool:
        """False once the store is closed."""
        return not self._closed

    def _rows(self, query: str, params: Any = None) -> list[Any]:
        return self._call(lambda conn: conn.execute(query, params).fetchall())

    def _write(self, query: str, params: Any) -> int:
        return self._call(lambda conn: conn.execute(query, params).rowcount)

    # -- verdicts -------------------------------------------------------------------------

    def get_many(self, urls: Iterable[str], **ages: Unpack[rules.Freshness]) -> dict[str, Verdict]:
        """`get` for many URLs in a few queries: the fresh answers found, keyed by URL."""
        rows: list[Any] = []
        for chunk in rules.chunked(list(dict.fromkeys(urls))):
            rows += self._rows(
                f"SELECT p.url, p.checked_at, p.data, {SNAPSHOT_OF_P} FROM "
                "(SELECT DISTINCT ON (url) url, checked_at, data FROM probes "
                "WHERE url = ANY(%s) AND verdict <> ALL(%s) "
                "ORDER BY url, checked_at DESC, id DESC) p",
                (list(chunk), list(rules.NOT_REUSABLE)),
            )
        return rules.answers(
            ((url, rules.as_utc(checked), data, snap) for url, checked, data, snap in rows), **ages
        )

    def put(self, verdict: Verdict) -> None:
        """Append one probe to the history, committed before this returns.

        The same URL stored again with the same `checked_at` is the same probe completed
        (typically with its archive snapshot): that row is replaced, not duplicated.
        """
        self._write(*probe_statement(verdict))

    def history(self, url: str) -> list[Verdict]:
        """Every probe ever stored for `url`, oldest first."""
        rows = self._rows(
            f"SELECT p.data, {SNAPSHOT_OF_P} FROM probes p WHERE p.url = %s "
            "ORDER BY p.checked_at, p.id",
            (url,),
        )
        return [Verdict.from_json(rules.stored_probe(data, snap)) for data, snap in rows]

    # -- soft-404 host probes -------------------------------------------------------------

    def get_host_probe(self, host: str, *, now: datetime, max_age: timedelta) -> dict | None:
        """The stored random-path probe of `host`, if younger than `max_age`."""
        rows = self._rows(
            "SELECT checked_at, data FROM host_probes WHERE host = %s", (host.lower(),)
        )
        return rules.served_host_probe(_stored(rows), now=now, max_age=max_age)

    def put_host_probe(self, host: str, data: dict, *, checked_at: datetime | None = None) -> None:
        """Store (replace) the random-path probe of `host`; `data` must be JSON-serialisable."""
        self._write(
            "INSERT INTO host_probes (host, checked_at, data) VALUES (%s, %s, %s) "
            "ON CONFLICT (host) DO UPDATE SET checked_at = EXCLUDED.checked_at, "
            "data = EXCLUDED.data",
            (
                host.lower(),
                rules.utc_text(checked_at or datetime.now(UTC)),
                orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode(),
            ),
        )

    # -- archive lookups (the ones of their own: a probe's snapshot is part of the probe) -----

    def get_archive(
        self, url: str, as_of: date, *, now: datetime, max_age: timedelta
    ) -> ArchiveSnapshot | None:
        """The latest archive answer for (`url`, `as_of`) if fresh and a fact, not a failure."""
        rows = self._rows(
            "SELECT checked_at, data FROM archive_lookups WHERE url = %s AND as_of = %s "
            "AND NOT of_probe ORDER BY checked_at DESC, id DESC LIMIT 1",
            (url, as_of),
        )
        return rules.served_lookup(_stored(rows), now=now, max_age=max_age)

    def _add_lookup(self, row: tuple[Any, ...]) -> None:
        self._write(_PUT_ARCHIVE, row)  # committed before this returns

    def archive_history(self, url: str) -> list[tuple[date, ArchiveSnapshot]]:
        """Every archive lookup stored for `url` as (as_of, snapshot), oldest first."""
        rows = self._rows(
            "SELECT as_of, data FROM archive_lookups WHERE url = %s AND NOT of_probe "
            "ORDER BY checked_at, id",
            (url,),
        )
        return [(as_of, ArchiveSnapshot.from_json(data)) for as_of, data in rows]

    # -- ledger rows (export/import of the whole history) ---------------------------------

    def probe_rows(self) -> list[tuple[str, str, dict[str, Any]]]:
        """Every stored probe as (url, checked_at text, verdict JSON), ordered by url and time."""
        rows = self._rows(
            f"SELECT p.url, p.checked_at, p.data, {SNAPSHOT_OF_P} FROM probes p "
            "ORDER BY p.url, p.checked_at, p.id"
        )
        return [(u, rules.utc_text(c), rules.stored_probe(d, a)) for u, c, d, a in rows]

    def archive_rows(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Every archive lookup as (url, as_of, checked_at text, snapshot JSON), ordered."""
        rows = self._rows(
            "SELECT url, as_of, checked_at, data FROM archive_lookups WHERE NOT of_probe "
            "ORDER BY url, as_of, checked_at, id"
        )
        return [(u, a.isoformat(), rules.utc_text(c), d) for u, a, c, d in rows]

    def add_probe_row(self, url: str, checked_at: str, data: dict[str, Any]) -> bool:
        """Insert one probe exactly as given unless (url, checked_at) is known; True if added."""
        datetime.fromisoformat(checked_at)  # a malformed time is the record's fault: ValueError
        row = rules.ledger_probe_row(url, checked_at, data)
        return self._write(_ADD_PROBE, row) > 0

    def add_archive_row(self, url: str, as_of: str, checked_at: str, data: dict[str, Any]) -> bool:
        """Insert one archive lookup unless the same (url, as_of, checked_at) is known."""
        date.fromisoformat(as_of)
        datetime.fromisoformat(checked_at)
        url, as_of, checked_at, available, capture, text = rules.ledger_lookup_row(
            url, as_of, checked_at, data
        )
        params = {
            "url": url,
            "as_of": as_of,
            "checked_at": checked_at,
            "available": available,
            "capture": capture,
            "data": text,
        }
        return self._write(_ADD_ARCHIVE, params) > 0

    # -- maintenance ----------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """URL (password masked), size on disk, counts of what it holds, time span."""
        [(urls, probes, oldest, newest, hosts, archives, size)] = self._rows(
            "SELECT (SELECT COUNT(DISTINCT url) FROM probes), (SELECT COUNT(*) FROM probes), "
            "(SELECT MIN(checked_at) FROM probes), (SELECT MAX(checked_at) FROM probes), "
            "(SELECT COUNT(*) FROM host_probes), "
            "(SELECT COUNT(*) FROM archive_lookups WHERE NOT of_probe), "
            + " + ".join(f"pg_total_relation_size('{t}')" for t in _TABLES)
        )
        return {
            "path": self.path,
            "schema_version": SCHEMA_VERSION,
            "size_bytes": int(size),
            "urls": urls,
            "probes": probes,
            "host_probes": hosts,
            "archive_entries": archives,
            "oldest_check": rules.utc_text(oldest) if oldest else None,
            "newest_check": rules.utc_text(newest) if newest else None,
        }

    def clear(self) -> int:
        """Remove every stored row; returns how many entries (probes, host probes, archive
        lookups; a probe's snapshot is part of its probe) were removed."""

        def truncate(conn: psycopg.Connection[Any]) -> int:
            with conn.transaction():
                # The exclusive lock makes the counts exactly what TRUNCATE removes.
                conn.execute(f"LOCK TABLE {', '.join(_TABLES)} IN ACCESS EXCLUSIVE MODE")
                row = conn.execute(
                    "SELECT (SELECT COUNT(*) FROM probes) + (SELECT COUNT(*) FROM host_probes) "
                    "+ (SELECT COUNT(*) FROM archive_lookups WHERE NOT of_probe)"
                ).fetchone()
                conn.execute(f"TRUNCATE {', '.join(_TABLES)}")  # gives the space back at once
            return int(row[0]) if row else 0

        return self._call(truncate)

    def close(self) -> None:
        """Close the pool's connections (idempotent)."""
        self._closed = True
        with contextlib.suppress(psycopg.Error):
            self._pool.close()
