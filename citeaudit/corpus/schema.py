"""The corpus tables, as migrations of the PostgreSQL store, and the job engine's own schema.

Why here: `store_pg` owns the versioned migrations (one transaction under an advisory lock);
the corpus adds its steps to that list, so a store is migrated once, whichever command opens
it first, and two workers starting on a fresh database never race each other.

What is stored:
- `corpus_documents`: one row per document path, with the SHA-256 of its bytes (a changed file
  is parsed again, an unchanged one is not) and its catalog as JSON (reports need no re-parse).
- `corpus_urls`: one row per store key (fragment and default port dropped) some document cites,
  with its host and a summary of its latest probe: when, which verdict, and the failing streak
  that `--confirm` schedules on. The history itself stays in `probes`; this table is what
  makes "what is due" and `corpus status` index lookups over one row per URL.
- `corpus_document_urls`: which document cites which URL.
- `corpus_rate_buckets`: one row per shared rate budget (archive requests), see budget.py.

procrastinate's own schema (its jobs, locks, workers and heartbeats) is the next migration: the
version shipped with the procrastinate this citeaudit pins, applied as procrastinate ships it.
"""

from __future__ import annotations

QUEUE = "citeaudit-hosts"
"""The job engine's queue of host jobs (here, not in jobs.py: `corpus status` reads the job
tables without loading the engine, a good part of its start-up time)."""

CORPUS_TABLES: tuple[str, ...] = (
    """CREATE TABLE corpus_documents (
        path text PRIMARY KEY,
        sha256 text NOT NULL,
        catalog json NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
    )""",
    """CREATE TABLE corpus_urls (
        url text PRIMARY KEY,
        host text NOT NULL,
        checked_at timestamptz,
        verdict text,
        fail_streak integer NOT NULL DEFAULT 0,
        first_failed timestamptz
    )""",
    # "due on this host" is the workers' question; status counts by verdict and by age
    "CREATE INDEX corpus_urls_by_host ON corpus_urls (host, checked_at)",
    "CREATE INDEX corpus_urls_by_checked ON corpus_urls (checked_at)",
    "CREATE INDEX corpus_urls_by_verdict ON corpus_urls (verdict)",
    """CREATE TABLE corpus_document_urls (
        path text NOT NULL REFERENCES corpus_documents (path) ON DELETE CASCADE,
        url text NOT NULL,
        PRIMARY KEY (path, url)
    )""",
    "CREATE INDEX corpus_document_urls_by_url ON corpus_document_urls (url)",
    """CREATE TABLE corpus_rate_buckets (
        name text PRIMARY KEY,
        tat timestamptz NOT NULL
    )""",
)


def job_engine_schema() -> str:
    """procrastinate's schema SQL (tables, functions, triggers) for the pinned version."""
    # deferred: procrastinate costs over a second of start-up; every PostgreSQL store imports
    # this module, but needs the SQL only on the run that migrates the store to version 3
    from procrastinate.schema import SchemaManager

    return SchemaManager.get_schema()
