"""The store behind the checker: one protocol, two implementations, and which one a run uses.

Why a protocol: the checker's history lives in a SQLite file on one machine (`cache.Cache`) or
in a PostgreSQL database shared by many (`store_pg.PostgresStore`). The runner, the archive
layer, the CLI commands and the ledger use exactly the methods of `Store`, so they never know
which one they hold.

Which store: `--store postgresql://...` (or `store = "..."` in the configuration) selects
PostgreSQL; otherwise the SQLite file of `--cache FILE` (or `cache = "..."`, or the per-user
default). A store URL with any other scheme is refused with one line: SQLite is named with
`--cache`, never with a URL, so a typo cannot silently fall back to a local file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Unpack, runtime_checkable
from urllib.parse import urlsplit

from citeaudit.check.cache import Cache, default_cache_path
from citeaudit.check.failsafe import FailSafeStore, NullCache
from citeaudit.check.storerules import Freshness
from citeaudit.errors import CacheError
from citeaudit.models import ArchiveSnapshot, Verdict

POSTGRES_SCHEMES = ("postgresql", "postgres")


@runtime_checkable
class Store(Protocol):
    """Every method the runner, archive layer, CLI and ledger call on a store."""

    @property
    def usable(self) -> bool:
        """False once a failure was reported through `on_error`."""
        ...

    def get(self, url: str, **ages: Unpack[Freshness]) -> Verdict | None:
        """The latest reusable verdict for `url` if still fresh, else None."""
        ...

    def get_many(self, urls: Iterable[str], **ages: Unpack[Freshness]) -> dict[str, Verdict]:
        """`get` for many URLs at once: the fresh answers found, keyed by URL."""
        ...

    def put(self, verdict: Verdict) -> None:
        """Append one probe to the history (the same url and time amends it)."""
        ...

    def history(self, url: str) -> list[Verdict]:
        """Every probe stored for `url`, oldest first."""
        ...

    def get_host_probe(self, host: str, *, now: datetime, max_age: timedelta) -> dict | None:
        """The stored random-path probe of `host`, if younger than `max_age`."""
        ...

    def put_host_probe(self, host: str, data: dict, *, checked_at: datetime | None = None) -> None:
        """Store (replace) the random-path probe of `host`."""
        ...

    def get_archive(
        self, url: str, as_of: date, *, now: datetime, max_age: timedelta
    ) -> ArchiveSnapshot | None:
        """The latest archive answer for (`url`, `as_of`) if fresh and a fact."""
        ...

    def put_archive(
        self,
        url: str,
        as_of: date,
        snapshot: ArchiveSnapshot,
        *,
        checked_at: datetime | None = None,
    ) -> None:
        """Append one archive lookup to the history."""
        ...

    def archive_history(self, url: str) -> list[tuple[date, ArchiveSnapshot]]:
        """Every archive lookup stored for `url` as (as_of, snapshot), oldest first."""
        ...

    def probe_rows(self) -> list[tuple[str, str, dict[str, Any]]]:
        """Every probe as (url, checked_at text, verdict JSON), for the ledger."""
        ...

    def archive_rows(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Every archive lookup as (url, as_of, checked_at text, snapshot JSON)."""
        ...

    def add_probe_row(self, url: str, checked_at: str, data: dict[str, Any]) -> bool:
        """Insert one ledger probe unless (url, checked_at) is known; True if added."""
        ...

    def add_archive_row(self, url: str, as_of: str, checked_at: str, data: dict[str, Any]) -> bool:
        """Insert one ledger archive lookup unless it is known; True if added."""
        ...

    def info(self) -> dict[str, Any]:
        """Where the store is, its size, and counts of what it holds."""
        ...

    def clear(self) -> int:
        """Remove every stored row; returns how many were removed."""
        ...

    def close(self) -> None:
        """Release the store's connections (idempotent)."""
        ...

    def __enter__(self) -> Store: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class StoreKind(StrEnum):
    """Which implementation holds the history."""

    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


@dataclass(frozen=True, slots=True)
class StoreTarget:
    """Where a run's store is: a SQLite file path or a PostgreSQL URL."""

    kind: StoreKind
    location: str

    @property
    def display(self) -> str:
        """The location safe to print (a URL's password masked)."""
        return mask_url(self.location) if self.kind is StoreKind.POSTGRESQL else self.location


_PASSWORD_PARAM = re.compile(r"(?i)((?:^|&)password=)[^&]*")


def mask_url(url: str) -> str:
    """The URL with any password replaced by `***`, for messages and `cache info`.

    >>> mask_url("postgresql://ann:s3cret@db.example:5432/evidence")
    'postgresql://ann:***@db.example:5432/evidence'
    >>> mask_url("postgres:///evidence?host=/run/pg&password=x&port=5432")
    'postgres:///evidence?host=/run/pg&password=***&port=5432'
    """
    head, sep, query = url.partition("?")
    try:
        parts = urlsplit(head)
    except ValueError:
        return "<unparsable URL>"
    if parts.password is not None and "://" in head:
        start = head.index("://") + 3
        user, _, host = parts.netloc.rpartition("@")
        masked = f"{user.split(':', 1)[0]}:***@{host}"
        head = head[:start] + masked + head[start + len(parts.netloc) :]
    return head + sep + _PASSWORD_PARAM.sub(r"\1***", query)


def check_store_url(url: str) -> str:
    """`url` if it names a PostgreSQL store; ValueError (one line) otherwise.

    >>> check_store_url("postgres://localhost/evidence")
    'postgres://localhost/evidence'
    >>> check_store_url("x.db")
    Traceback (most recent call last):
    ...
    ValueError: store 'x.db' is not a postgresql:// or postgres:// URL (SQLite: --cache FILE)
    """
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in POSTGRES_SCHEMES:
        raise ValueError(
            f"store {mask_url(url)!r} is not a postgresql:// or postgres:// URL "
            "(SQLite: --cache FILE)"
        )
    return url


def pick_store(store: str | None, cache: Path | None, default: Path) -> StoreTarget:
    """The store a run uses: the PostgreSQL URL if given, else the SQLite file (or `default`).

    >>> pick_store(None, None, Path("/c/cache.sqlite3"))
    StoreTarget(kind=<StoreKind.SQLITE: 'sqlite'>, location='/c/cache.sqlite3')
    >>> pick_store("postgresql:///ev", None, Path("/c/cache.sqlite3")).kind
    <StoreKind.POSTGRESQL: 'postgresql'>
    """
    if store is not None:
        return StoreTarget(StoreKind.POSTGRESQL, check_store_url(store))
    return StoreTarget(StoreKind.SQLITE, str(cache if cache is not None else default))


def open_store(target: StoreTarget, *, on_error: Callable[[str], None] | None = None) -> Store:
    """Open the store `target` names; CacheError (one line) when it cannot be used.

    `on_error`: when given, the store is made fail-safe: a failure after opening is reported
    once through it and the store then behaves as empty instead of raising.
    """
    store: Store
    if target.kind is StoreKind.POSTGRESQL:
        # deferred: psycopg and its pool cost a noticeable share of start-up: only a
        # PostgreSQL run pays
        from citeaudit.check.store_pg import PostgresStore

        store = PostgresStore(target.location)
    else:
        store = Cache(target.location)
    return store if on_error is None else FailSafeStore(store, on_error)


def store_exists(target: StoreTarget) -> bool:
    """Whether there is anything to inspect: a SQLite file that exists, or any server URL."""
    return target.kind is StoreKind.POSTGRESQL or Path(target.location).exists()


def open_for_run(target: StoreTarget, *, warn: Callable[[str], None]) -> Store:
    """The store of a `check` run: `Cache` or `PostgresStore`, failures later warned once.

    An unusable SQLite file warns once and the run goes on with a `NullCache`: a cache only
    saves time. A PostgreSQL store the user named but that cannot be reached is an error
    (CacheError): running without it would keep this run's evidence from everyone sharing it.
    """
    if target.kind is StoreKind.POSTGRESQL:
        return open_store(target, on_error=warn)
    return open_cache(target.location, warn=warn)


def open_cache(path: str | Path | None, *, warn: Callable[[str], None]) -> Store:
    """The SQLite cache at `path` (None: the default) made fail-safe, or a NullCache after one
    warning when it cannot be opened."""
    target = default_cache_path() if path is None else Path(path)
    try:
        return FailSafeStore(Cache(target), warn)
    except CacheError as exc:
        warn(f"{exc}; running without a cache")
        return NullCache()
