"""What one `check` run is asked to do: every option, typed and named once.

The field names are the `check` command's parameter names, and the CLI builds the request with
`CheckRequest(**options)`: an option renamed on one side and not the other is a TypeError at
once, never a value that silently goes missing. The configuration files are read by the run
itself (`citeaudit.audit.run`), for each document, and these values win over them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from citeaudit.check.options import FirstRequest


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """The inputs and options of one run; None means "not given: the configuration decides"."""

    files: tuple[str, ...]
    """Files, folders and globs to read (`-` is standard input)."""
    outputs: tuple[str, ...] = ()
    """Paths the caller will write reports to: refused before any probing if one is an input."""
    fail_on: tuple[str, ...] = ()
    """`--fail-on` names; empty: each document's configuration (default `lost`)."""
    as_of: date | None = None
    """Overrides the documents' dates (`--date`)."""
    input_format: str | None = None
    per_host: int | None = None
    concurrency: int | None = None
    retries: int | None = None
    timeout: float | None = None
    max_wait: float | None = None
    user_agent: str | None = None
    resolve: tuple[str, ...] = ()
    """`HOST:PORT:ADDR` entries, as curl's `--resolve`."""
    ca_bundle: str | None = None
    allow_private: bool = False
    canaries: tuple[str, ...] = ()
    cache_path: str | None = None
    """The SQLite store (a file); `store_url` names a PostgreSQL store instead."""
    store_url: str | None = None
    no_cache: bool = False
    max_age: timedelta | None = None
    refresh: bool = False
    first_request: FirstRequest | None = None
    archive_mode: str | None = None
    no_archive: bool = False
    wayback_endpoint: str | None = None
    memento_endpoint: str | None = None
    archive_as_of: date | None = None
    """Ask archives for captures closest to this date (`--as-of`)."""
    confirm: str | None = None
    """`N:DAYS` (see citeaudit.evidence.history)."""
    baseline: str | None = None
    """A saved report or ledger: only what it did not know decides the exit status."""
    drift: bool = False
    drift_threshold: float | None = None
    exclude: tuple[str, ...] = ()
    """URL patterns never probed, added to the configuration's."""
    include: tuple[str, ...] = ()
    """URL patterns: when given, only matching URLs are probed."""
    exclude_path: tuple[str, ...] = ()
    """Input paths never read (gitignore-style globs or `re:REGEX`)."""
    accept: tuple[str, ...] = ()
    """Statuses treated as alive: `200..=299,403` for every host, `HOST=403` for one."""
    max_redirects: int | None = None
    header: tuple[str, ...] = ()
    """`Name: value` request headers sent with every probe."""
    dump_inputs: bool = False
    """List the files the run would read, and read none."""
    remap: tuple[str, ...] = ()
    """`PATTERN REPLACEMENT` rules (see citeaudit.catalog.remap)."""
    base_url: str | None = None
    offline: bool = False
    github_token: str | None = field(default=None, repr=False)
    """Sent to GitHub's hosts only (`--github-token`, `GITHUB_TOKEN`); never written anywhere."""
    cookie_jar: str | None = None
    """A Netscape cookies.txt file (read, never written)."""
    include_fragments: bool = False
    require_https: bool = False
