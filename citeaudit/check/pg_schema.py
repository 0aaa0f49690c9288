"""The PostgreSQL store's database: connection strings, and the numbered migrations.

The schema is versioned in `citeaudit_schema` (one row per applied migration). Migrations run
in one transaction holding a transaction-scoped advisory lock, so two workers starting on a
fresh database queue: the first creates the schema, the second finds it done. The corpus tables
are defined in `citeaudit.corpus.schema` and only migrated here, with the job engine's schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import conninfo as pg_conninfo

from citeaudit.corpus.schema import CORPUS_TABLES, job_engine_schema
from citeaudit.errors import CacheError

CONNECT_TIMEOUT_S = 10
MIGRATION_LOCK = 0x6369746561756474
"""Advisory lock key ("citeaudt") held while migrating; the same for every citeaudit."""

Statement = str | Callable[[], str]
"""A migration step: SQL text, or a function giving it (a library's schema, read when applied)."""

_MIGRATIONS: tuple[tuple[Statement, ...], ...] = (
    # 1: probes as history, host soft-404 probes, archive lookups as history
    (
        """CREATE TABLE probes (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            url text NOT NULL,
            checked_at timestamptz NOT NULL,
            verdict text NOT NULL,
            http_status integer,
            final_url text,
            data json NOT NULL
        )""",
        # unique: storing a probe again (e.g. once its archive lookup is known) amends it
        "CREATE UNIQUE INDEX probes_by_url ON probes (url, checked_at)",
        "CREATE INDEX probes_by_time ON probes (checked_at)",
        """CREATE TABLE host_probes (
            host text PRIMARY KEY,
            checked_at timestamptz NOT NULL,
            data json NOT NULL
        )""",
        """CREATE TABLE archive_lookups (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            url text NOT NULL,
            as_of date NOT NULL,
            checked_at timestamptz NOT NULL,
            available boolean NOT NULL,
            capture_url text,
            data json NOT NULL
        )""",
        "CREATE INDEX archive_by_url ON archive_lookups (url, as_of, checked_at)",
    ),
    # 2: corpus mode: documents, the URLs they cite and their due-ness, shared rate budgets
    CORPUS_TABLES,
    # 3: the job engine the corpus workers share (procrastinate's tables, locks, heartbeats)
    (job_engine_schema,),
    # 4: a probe's snapshot is stored once, in the lookup row linked to it (storerules.py);
    # older probes keep theirs inline and are read as they are
    (
        "ALTER TABLE archive_lookups ADD COLUMN of_probe boolean NOT NULL DEFAULT false",
        "CREATE UNIQUE INDEX archive_of_probe ON archive_lookups (url, checked_at) WHERE of_probe",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)


def one_line(exc: BaseException) -> str:
    """A driver error as one line (libpq messages span several, with hints on their own line).

    >>> one_line(Exception('connection failed: refused\\n\\tIs the server running?\\n'))
    'connection failed: refused Is the server running?'
    """
    return re.sub(r"\s+", " ", str(exc)).strip() or type(exc).__name__


def connection_info(url: str) -> str:
    """The libpq connection string for `url`, with a connect timeout unless it sets one."""
    params = pg_conninfo.conninfo_to_dict(url)
    params.setdefault("connect_timeout", str(CONNECT_TIMEOUT_S))
    params.setdefault("application_name", "citeaudit")
    return pg_conninfo.make_conninfo("", **params)


def migrate(conn: psycopg.Connection[Any], *, where: str) -> int:
    """Bring the schema to SCHEMA_VERSION under the advisory lock; returns the version found.

    `conn` must be in autocommit mode, so that the migration is one transaction of its own.
    """
    found = _schema_version(conn)
    if found == SCHEMA_VERSION:
        return found
    with conn.transaction():
        # Waits while another process migrates; re-read afterwards, it may have done the work.
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS citeaudit_schema ("
            "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        found = _schema_version(conn)
        if found > SCHEMA_VERSION:
            raise CacheError(
                f"store {where} has schema version {found}, newer than this citeaudit "
                f"understands ({SCHEMA_VERSION})"
            )
        for number in range(found + 1, SCHEMA_VERSION + 1):
            for statement in _MIGRATIONS[number - 1]:
                # no parameters: a schema of many statements runs as one simple query
                conn.execute(statement() if callable(statement) else statement)  # type: ignore[arg-type]
            conn.execute("INSERT INTO citeaudit_schema (version) VALUES (%s)", (number,))
    return found


def _schema_version(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute(
        "SELECT CASE WHEN to_regclass('citeaudit_schema') IS NULL THEN NULL ELSE 1 END"
    ).fetchone()
    if row is None or row[0] is None:
        return 0
    version = conn.execute("SELECT coalesce(max(version), 0) FROM citeaudit_schema").fetchone()
    return int(version[0]) if version else 0
