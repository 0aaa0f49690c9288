"""What every store class shares: `with store:` closes it, `get` is `get_many` of one URL,
and `put_archive` files the row `storerules.lookup_row` makes.

Why: the SQLite store, the PostgreSQL store and `NullCache` answer one URL exactly as they
answer many and stamp an archive lookup the same way, so each is written once here rather than
once per store; a store only says how it reads many URLs and writes one lookup row. The rules
themselves are `storerules.py`'s (pure); this module holds no rule and does no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Unpack

from citeaudit.check.closing import ClosedOnExit
from citeaudit.check.storerules import Freshness, lookup_row
from citeaudit.models import ArchiveSnapshot, Verdict


class StoreBase(ClosedOnExit):
    """A store whose `get` is its `get_many` asked about one URL, and whose `put_archive` is
    its `_add_lookup` of the stamped row."""

    def get_many(self, urls: Iterable[str], **ages: Unpack[Freshness]) -> dict[str, Verdict]:
        """The fresh reusable verdict of every URL that has one, keyed by URL."""
        raise NotImplementedError

    def get(self, url: str, **ages: Unpack[Freshness]) -> Verdict | None:
        """The latest reusable verdict for `url` if still fresh (alive/redirected:
        `max_age_alive`), else None."""
        return self.get_many([url], **ages).get(url)

    def put_archive(
        self,
        url: str,
        as_of: date,
        snapshot: ArchiveSnapshot,
        *,
        checked_at: datetime | None = None,
    ) -> None:
        """Append one archive lookup to the history (checked now when no time is given)."""
        self._add_lookup(lookup_row(url, as_of, snapshot, checked_at))

    def _add_lookup(self, row: tuple[Any, ...]) -> None:
        # (url, as_of, checked_at, available, capture_url, data): storerules.archive_row
        raise NotImplementedError
