"""Writes per second into the SQLite and the PostgreSQL store, side by side in one run.

What it measures, and why: the store must not be the bottleneck of a check. Each store gets the
same verdicts (a full verdict with redirects, a title and an archive snapshot, unique URLs) through
`put()`, the call the runner makes once per verdict, each committed before it returns. Then the
same stores serve `get()` for a sample of them, and `get_many()` (the one read of a warm rerun)
for the same sample at once. Columns: rows, writes/s, reads/s one by one, reads/s in one
`get_many`; the ratio line compares PostgreSQL with SQLite. `--threads N` adds runs where N
threads share one store (the PostgreSQL pool has N connections; SQLite serialises its writers).

PostgreSQL is a throwaway server (tests/pg.py) with durable settings (fsync on), on a Unix socket;
or `--store URL` for a server of your own (its database is cleared first: use a scratch one).
Run: `uv run python benchmarks/bench_store.py` (20,000 rows) or `--rows 1000000`.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from citeaudit.check.cache import Cache  # noqa: E402
from citeaudit.check.store import Store  # noqa: E402
from citeaudit.check.store_pg import PostgresStore  # noqa: E402
from citeaudit.models import ArchiveSnapshot, Hop, LinkStatus, Verdict  # noqa: E402

T0 = datetime(2026, 3, 1, tzinfo=UTC)
AGE = timedelta(days=3650)


def verdict(i: int) -> Verdict:
    """The i-th verdict: unique URL and time, every field a real run fills."""
    url = f"https://host{i % 997}.example/section/{i}/article-with-a-longer-slug"
    return Verdict(
        url=url,
        status=LinkStatus.REDIRECTED if i % 3 else LinkStatus.ALIVE,
        reason="2xx after 1 redirect (permanent)",
        http_status=200,
        final_url=url + "/",
        redirects=(Hop(url, 301),),
        title=f"Article {i}: a headline of ordinary length — with some Ünïcode",
        checked_at=T0 + timedelta(microseconds=i),
        elapsed_ms=120 + i % 50,
        archive=ArchiveSnapshot(
            available=True,
            url=f"https://web.archive.org/web/20230805101112/{url}",
            timestamp=datetime(2023, 8, 5, 10, 11, 12, tzinfo=UTC),
            archive="Internet Archive",
            days_from_document=2,
        ),
        final_outlet=f"host{i % 997}.example",
        fingerprint=f"{i:016x}",
    )


def _write(store: Store, start: int, stop: int, step: int) -> None:
    for i in range(start, stop, step):
        store.put(verdict(i))


def _sample(rows: int) -> range:
    return range(0, rows, max(1, rows // 5000))


def measure(open_: Callable[[], Store], rows: int, threads: int) -> tuple[float, float, float]:
    """(writes/s, reads/s, bulk reads/s): `rows` puts over `threads` threads, then gets of a
    sample one by one, then the same sample in one `get_many`."""
    with open_() as store:
        store.clear()
        workers = [
            threading.Thread(target=_write, args=(store, n, rows, threads)) for n in range(threads)
        ]
        t0 = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        write_s = time.perf_counter() - t0
        sample = _sample(rows)
        t0 = time.perf_counter()
        found = sum(
            store.get(verdict(i).url, now=T0, max_age_alive=AGE, max_age_other=AGE) is not None
            for i in sample
        )
        read_s = time.perf_counter() - t0
        urls = [verdict(i).url for i in sample]
        t0 = time.perf_counter()
        bulk = store.get_many(urls, now=T0, max_age_alive=AGE, max_age_other=AGE)
        bulk_s = time.perf_counter() - t0
        stored = store.info()["probes"]
        assert stored == rows and found == len(sample) == len(bulk), (stored, found, len(bulk))
        store.clear()
    return rows / write_s, len(sample) / read_s, len(sample) / bulk_s


@contextlib.contextmanager
def postgres_url(url: str | None) -> Iterator[str]:
    """`--store URL` as given, else a database on a throwaway durable server."""
    if url is not None:
        yield url
        return
    from tests.pg import PostgresServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL binaries not found: install postgresql or give --store")
    with PostgresServer(bindir, durable=True) as server:
        yield server.create_database("bench")


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="verdicts per store")
    parser.add_argument("--threads", type=int, default=4, help="threads sharing one store")
    parser.add_argument("--store", default=None, help="a PostgreSQL URL instead of a throwaway")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, postgres_url(args.store) as url:
        path = Path(tmp) / "bench.sqlite3"
        print(f"{args.rows:,} verdicts per store, each put() committed before it returns\n")
        print(
            f"{'store':<12}{'threads':>8}{'rows':>12}{'writes/s':>12}{'reads/s':>12}"
            f"{'get_many/s':>12}"
        )
        rates: dict[tuple[str, int], float] = {}
        for threads in sorted({1, args.threads}):
            opens: dict[str, Callable[[], Store]] = {
                "SQLite": lambda: Cache(path),
                "PostgreSQL": lambda: PostgresStore(url, pool_size=threads),  # noqa: B023
            }
            for name, open_ in opens.items():
                writes, reads, bulk = measure(open_, args.rows, threads)
                rates[(name, threads)] = writes
                print(
                    f"{name:<12}{threads:>8}{args.rows:>12,}{writes:>12,.0f}{reads:>12,.0f}"
                    f"{bulk:>12,.0f}"
                )
        print()
        for threads in sorted({1, args.threads}):
            ratio = rates[("PostgreSQL", threads)] / rates[("SQLite", threads)]
            print(f"PostgreSQL / SQLite writes, {threads} thread(s): {ratio:.2f}x")


if __name__ == "__main__":
    main()
