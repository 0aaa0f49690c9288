"""What the store tests share: a verdict with every field set, a lookup, and a writer process.

test_store.py runs the contract on both stores; test_cache.py and test_store_pg.py test what
only one store has (batches, migrations, kill -9) with the same verdicts and the same writer.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from citeaudit.check.failsafe import NullCache
from citeaudit.check.store import Store, StoreKind
from citeaudit.models import ArchiveSnapshot, Hop, LinkStatus, Verdict

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ALIVE_AGE = timedelta(days=7)
OTHER_AGE = timedelta(days=1)


def full_verdict(url: str = "https://example.org/a", **changes: object) -> Verdict:
    """A verdict with every field set to a non-default value."""
    verdict = Verdict(
        url=url,
        status=LinkStatus.REDIRECTED,
        reason="2xx after 2 redirects (all permanent)",
        http_status=200,
        final_url="https://www.example.org/a/",
        redirects=(Hop(url, 301), Hop("https://www.example.org/a", 308)),
        title="Ödeme — تقرير",
        checked_at=T0,
        elapsed_ms=321,
        from_cache=False,
        archive=ArchiveSnapshot(
            available=True,
            url="https://web.archive.org/web/20230805101112/https://example.org/a",
            timestamp=datetime(2023, 8, 5, 10, 11, 12, tzinfo=UTC),
            archive="Internet Archive",
            days_from_document=2,
            reason=None,
        ),
        final_outlet="example.org",
        fingerprint="0123456789abcdef",
    )
    return replace(verdict, **changes)  # type: ignore[arg-type]


def lookup(store: Store | NullCache, url: str, now: datetime) -> Verdict | None:
    """The store's answer for `url` at `now`, live pages kept a week and the rest a day."""
    return store.get(url, now=now, max_age_alive=ALIVE_AGE, max_age_other=OTHER_AGE)


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from citeaudit.check.store import StoreKind, StoreTarget, open_store
    from citeaudit.models import LinkStatus, Verdict

    kind, location, prefix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = open_store(StoreTarget(StoreKind(kind), location))
    print("ready", flush=True)
    i = 0
    while count < 0 or i < count:
        url = f"https://{prefix}.example/{i}"
        store.put(Verdict(url, LinkStatus.ALIVE, "200", http_status=200,
                          checked_at=datetime.now(UTC)))
        # reported once put() returned: committed (PostgreSQL) or within the batch window
        print(url, flush=True)
        i += 1
    store.close()
    """
)


def start_writer(kind: StoreKind, location: str, prefix: str, count: int) -> subprocess.Popen[str]:
    """A process that opens the store, says `ready`, then stores and prints `count` URLs
    (forever when `count` is negative)."""
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(kind), location, prefix, str(count)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
