"""The SQLite store's row statements: the column layout of each table, written in one place.

Why apart: a run's own writes and imported ledger records insert the same rows, and the
queries that read a probe's linked snapshot share one subquery; `cache.py` keeps the methods.
"""

PROBE_INSERT = (
    "INTO probes (url, checked_at, verdict, http_status, final_url, data) VALUES (?, ?, ?, ?, ?, ?)"
)
"""A probe row without its verb: a run writes `INSERT OR REPLACE`, an import `INSERT OR IGNORE`."""
ARCHIVE_INSERT = (
    "INTO archive_lookups (url, as_of, checked_at, available, capture_url, data) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
"""An archive lookup row of its own (not a probe's snapshot), without its verb."""
PUT_SNAPSHOT = (
    "INSERT INTO archive_lookups (url, as_of, checked_at, available, capture_url, data, "
    "of_probe) VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (url, checked_at) WHERE of_probe = 1 "
    "DO UPDATE SET as_of = excluded.as_of, available = excluded.available, "
    "capture_url = excluded.capture_url, data = excluded.data"
)
"""A probe's snapshot: one linked row per probe, amended when the probe is stored again."""
# a probe's linked snapshot, for queries whose probe table is named p
SNAPSHOT_OF_P = (
    "(SELECT a.data FROM archive_lookups a WHERE a.of_probe = 1 AND a.url = p.url "
    "AND a.checked_at = p.checked_at)"
)
