"""What every store class shares: `with store:` closes it, and `get` is `get_many` of one URL.

Why: the SQLite store, the PostgreSQL store and `NullCache` answer one URL exactly as they
answer many, so `get` is written once here rather than once per store. The reuse rules
themselves are `storerules.py`'s (pure); this module holds no rule and does no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Unpack

from citeaudit.check.closing import ClosedOnExit
from citeaudit.check.storerules import Freshness
from citeaudit.models import Verdict


class StoreBase(ClosedOnExit):
    """A store whose `get` is its `get_many` asked about one URL."""

    def get_many(self, urls: Iterable[str], **ages: Unpack[Freshness]) -> dict[str, Verdict]:
        """The fresh reusable verdict of every URL that has one, keyed by URL."""
        raise NotImplementedError

    def get(self, url: str, **ages: Unpack[Freshness]) -> Verdict | None:
        """The latest reusable verdict for `url` if still fresh (alive/redirected:
        `max_age_alive`), else None."""
        return self.get_many([url], **ages).get(url)
