"""One connection to a corpus store: migrated, in UTC, JSON read with orjson, errors one line."""

from __future__ import annotations

from typing import Any

import orjson
import psycopg
from psycopg.types.json import set_json_loads

from citeaudit.check.pg_schema import connection_info, migrate, one_line
from citeaudit.check.store import check_store_url, mask_url
from citeaudit.errors import CacheError, ConfigError


def connect(url: str) -> psycopg.Connection[Any]:
    """An autocommit connection to the store at `url`, migrated; CacheError when unusable."""
    try:
        check_store_url(url)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    where = mask_url(url)
    try:
        conn = psycopg.connect(connection_info(url), autocommit=True)
        migrate(conn, where=where)
        conn.execute("SET TIME ZONE 'UTC'")
        # as the store's own sessions: a commit is a round trip, not a WAL flush (store_pg.py)
        conn.execute("SET synchronous_commit TO off")
        set_json_loads(orjson.loads, conn)
    except psycopg.Error as exc:
        raise CacheError(f"cannot open store {where}: {one_line(exc)}") from None
    return conn


def failed(url: str, exc: psycopg.Error) -> CacheError:
    """The one-line error for a store that failed mid-command."""
    return CacheError(f"store {mask_url(url)} failed: {one_line(exc)}")


def try_hold(conn: psycopg.Connection[Any], space: int, key: str) -> bool:
    """Take the session advisory lock of `key` in lock `space`; False when another holds it.

    Session locks last until released or until the connection goes, so a killed process
    frees what it held. They stack within one session: a caller holding one must not ask again.
    """
    row = conn.execute(
        "SELECT pg_try_advisory_lock(%s::int, hashtext(%s))", (space, key)
    ).fetchone()
    return bool(row and row[0])


def release(conn: psycopg.Connection[Any], space: int, key: str) -> None:
    """Give back a lock `try_hold` took."""
    conn.execute("SELECT pg_advisory_unlock(%s::int, hashtext(%s))", (space, key))
