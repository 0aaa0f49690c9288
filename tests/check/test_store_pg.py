"""What only the PostgreSQL store has: versioned migrations under an advisory lock, connection
errors in one line, the URL's own options kept, and kill -9 losing nothing committed.

The shared semantics (history, reuse rules, ledgers) are tests/check/test_store.py's.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from citeaudit.check import store_pg
from citeaudit.check.pg_schema import MIGRATION_LOCK, SCHEMA_VERSION, connection_info
from citeaudit.check.store import StoreKind
from citeaudit.check.store_pg import PostgresStore
from citeaudit.errors import CacheError
from citeaudit.models import ArchiveSnapshot, LinkStatus, Verdict

from ..pg import PostgresServer
from .stores import start_writer


def _versions(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [v for (v,) in conn.execute("SELECT version FROM citeaudit_schema ORDER BY 1")]


def _verdict(url: str) -> Verdict:
    return Verdict(url, LinkStatus.ALIVE, "200", http_status=200, checked_at=datetime.now(UTC))


def test_migrations_are_recorded_once_and_not_rerun(pg_url: str) -> None:
    PostgresStore(pg_url).close()
    assert _versions(pg_url) == list(range(1, SCHEMA_VERSION + 1))
    with PostgresStore(pg_url) as store:
        store.put(_verdict("https://a.example/"))
    assert _versions(pg_url) == list(range(1, SCHEMA_VERSION + 1))
    with psycopg.connect(pg_url) as conn:
        tables = {t for (t,) in conn.execute("SELECT tablename FROM pg_tables")}
    assert {"probes", "host_probes", "archive_lookups", "citeaudit_schema"} <= tables


def test_newer_schema_is_refused(pg_url: str) -> None:
    PostgresStore(pg_url).close()
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO citeaudit_schema (version) VALUES (99)")
    with pytest.raises(CacheError, match="schema version 99, newer"):
        PostgresStore(pg_url)


def _waiting_for_lock(conn: psycopg.Connection, want: int) -> None:
    """Return once `want` other sessions wait for the migration lock (fail after a minute)."""
    deadline = time.monotonic() + 60
    while True:
        (waiting,) = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND ((classid::bigint << 32) | objid::bigint) = %s",
            (MIGRATION_LOCK,),
        ).fetchone()  # type: ignore[misc]
        if waiting >= want:
            return
        assert time.monotonic() < deadline, f"only {waiting} of {want} workers took the lock"
        time.sleep(0.02)


def test_two_workers_on_a_fresh_database_create_it_once(pg_url: str) -> None:
    # The test holds the lock first, so both workers are certainly racing for it when it is
    # released: without the lock, both would create the tables and one would fail.
    with psycopg.connect(pg_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        workers = [start_writer(StoreKind.POSTGRESQL, pg_url, name, 200) for name in ("one", "two")]
        _waiting_for_lock(holder, 2)
        holder.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        assert len(out.split()) == 201
    assert _versions(pg_url) == list(range(1, SCHEMA_VERSION + 1))
    with PostgresStore(pg_url) as store:
        info = store.info()
    assert info["probes"] == 400 and info["urls"] == 400


def test_kill_9_loses_nothing_committed(pg_url: str) -> None:
    proc = start_writer(StoreKind.POSTGRESQL, pg_url, "k", -1)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    reported = [proc.stdout.readline().strip() for _ in range(300)]
    os.kill(proc.pid, signal.SIGKILL)
    rest, _ = proc.communicate(timeout=30)
    reported += [line for line in rest.split("\n") if line.startswith("https://")]
    assert proc.returncode == -signal.SIGKILL
    with psycopg.connect(pg_url) as conn:
        stored = {u for (u,) in conn.execute("SELECT url FROM probes")}
    assert set(reported) <= stored
    with PostgresStore(pg_url) as store:
        got = store.get(
            reported[-1],
            now=datetime.now(UTC),
            max_age_alive=timedelta(days=1),
            max_age_other=timedelta(days=1),
        )
    assert got is not None and got.from_cache


def test_the_urls_own_options_are_kept(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA evidence")
    in_schema = pg_url + "&options=-csearch_path%3Devidence"
    with PostgresStore(in_schema) as store:
        store.put(_verdict("https://a.example/"))
        assert len(store.history("https://a.example/")) == 1
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT schemaname FROM pg_tables WHERE tablename = 'probes'"
        ).fetchall()
        settings = conn.execute("SELECT count(*) FROM evidence.probes").fetchone()
    assert rows == [("evidence",)] and settings == (1,)


def test_sessions_are_in_utc_with_asynchronous_commit(pg_url: str) -> None:
    with PostgresStore(pg_url) as store, store._pool.connection() as conn:
        zone = conn.execute("SHOW TimeZone").fetchone()
        commit = conn.execute("SHOW synchronous_commit").fetchone()
        name = conn.execute("SHOW application_name").fetchone()
    assert (zone, commit, name) == (("UTC",), ("off",), ("citeaudit",))


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://ann:hunter2@127.0.0.1:1/ev", "Connection refused"),
        ("postgresql://ann:hunter2@127.0.0.1:notaport/ev", "invalid"),
        ("postgresql:///ev?host=/nonexistent/dir&password=hunter2", "No such file"),
        ("postgresql://127.0.0.1/ev?nosuchoption=1", "invalid"),
    ],
)
def test_unusable_urls_fail_in_one_line_without_the_password(url: str, says: str) -> None:
    with pytest.raises(CacheError) as caught:
        PostgresStore(url)
    message = str(caught.value)
    assert message.startswith("cannot open store ")
    assert says in message and "\n" not in message and "hunter2" not in message


def test_a_missing_database_names_it(pg_server: PostgresServer) -> None:
    with pytest.raises(CacheError, match='database "absent" does not exist'):
        PostgresStore(pg_server.url("absent"))


def test_connection_info_adds_a_timeout_unless_given() -> None:
    info = psycopg.conninfo.conninfo_to_dict(connection_info("postgresql://db/ev"))
    assert info["connect_timeout"] == str(store_pg.CONNECT_TIMEOUT_S)
    assert info["application_name"] == "citeaudit" and info["dbname"] == "ev"
    mine = connection_info("postgresql://db/ev?connect_timeout=3&application_name=farm")
    assert psycopg.conninfo.conninfo_to_dict(mine)["connect_timeout"] == "3"
    assert psycopg.conninfo.conninfo_to_dict(mine)["application_name"] == "farm"


def test_a_version_3_database_is_migrated_and_its_inline_snapshots_still_read(
    pg_url: str,
) -> None:
    PostgresStore(pg_url).close()
    old = Verdict(
        "https://old.example/",
        LinkStatus.ALIVE,
        "200",
        http_status=200,
        checked_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
        archive=ArchiveSnapshot(True, "https://web.archive.org/web/2023/https://old.example/"),
    )
    with psycopg.connect(pg_url, autocommit=True) as conn:  # back to version 3, as it stood
        conn.execute("DROP INDEX archive_of_probe")
        conn.execute("ALTER TABLE archive_lookups DROP COLUMN of_probe")
        conn.execute("DELETE FROM citeaudit_schema WHERE version = 4")
        conn.execute(
            "INSERT INTO probes (url, checked_at, verdict, http_status, final_url, data) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (old.url, old.checked_at, "alive", 200, None, json.dumps(old.to_json())),
        )
    with PostgresStore(pg_url) as store:
        assert _versions(pg_url) == [1, 2, 3, 4] == list(range(1, SCHEMA_VERSION + 1))
        assert store.history(old.url) == [old]
        store.put(dataclasses.replace(old, url="https://new.example/"))
        assert store.history("https://new.example/")[0].archive == old.archive
