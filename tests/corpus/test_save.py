"""Save Page Now on a PostgreSQL store: every process takes its turns from one shared row."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from citeaudit.check.savepagenow import SaveOptions, SavePageNow, has_capture
from citeaudit.check.store_pg import PostgresStore
from citeaudit.cli import main
from citeaudit.corpus.add import add_documents
from citeaudit.corpus.budget import BudgetMode, save_budget
from citeaudit.models import LinkStatus, Verdict

from ..check.servers import Reply, TestServer
from .corpus_docs import scalar, write_doc

T0 = datetime(2030, 1, 1, 12, tzinfo=UTC)
CAPTURED = Reply(
    200,
    "{}",
    # the fake reads no request body: a closed connection keeps the next request's head clean
    {"Content-Location": "/web/20300101120000/http://site.test/", "Connection": "close"},
    content_type="application/json",
)
SAVE_ROW = "SELECT count(*) FROM corpus_rate_buckets WHERE name = 'archive:save'"
TURN_AHEAD = (
    "SELECT ceil(extract(epoch FROM tat - now())) FROM corpus_rate_buckets "
    "WHERE name = 'archive:save'"
)
"""Whole seconds from now to the budget's next free turn."""


@pytest.fixture
def spn() -> Iterator[TestServer]:
    """A Save Page Now on 127.0.0.3 answering every capture request at once."""
    with TestServer("127.0.0.3") as srv:
        srv.route("spn.test", "/save", CAPTURED)
        srv.route("127.0.0.3", "/save", CAPTURED)
        yield srv


def test_two_clients_keep_to_one_shared_rate(spn: TestServer, pg_url: str) -> None:
    per_minute, each = 120, 4  # one capture every 0.5 s, over both clients together
    interval = 60 / per_minute
    start = threading.Barrier(2)
    saved: list[bool] = []

    async def client(name: str) -> None:
        with save_budget(pg_url, BudgetMode.SHARED, per_minute) as bucket:
            async with httpx.AsyncClient() as http:
                options = SaveOptions(endpoint=f"http://127.0.0.3:{spn.port}")
                saver = SavePageNow(http, options, bucket=bucket)
                start.wait()  # both ask from the same moment, as two workers would
                for i in range(each):
                    saved.append((await saver.save(f"http://site.test/{name}/{i}")).available)

    threads = [threading.Thread(target=asyncio.run, args=(client(n),)) for n in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert saved == [True] * (2 * each)
    arrivals = sorted(seen.at for seen in spn.hits(path="/save"))
    assert len(arrivals) == 2 * each
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    # Turns are one interval apart over both clients; one sent late may arrive a little
    # closer to the next, never at the same moment (two budgets would start together).
    assert min(gaps) > interval / 2, gaps
    assert arrivals[-1] - arrivals[0] > (2 * each - 1.5) * interval


def live_in(store_url: str, *urls: str) -> None:
    """The store's newest probe of each URL is live."""
    with PostgresStore(store_url) as store:
        for url in urls:
            store.put(Verdict(url, LinkStatus.ALIVE, "200 OK", 200, checked_at=T0))


def archive_args(spn: TestServer) -> list[str]:
    return [
        "--save-endpoint",
        f"http://spn.test:{spn.port}",
        "--resolve",
        f"spn.test:{spn.port}:127.0.0.3",
    ]


def test_cli_archive_on_a_postgres_store_takes_its_turn_from_the_store(
    spn: TestServer, pg_url: str, tmp_path: Path
) -> None:
    first, second = "http://live.test/a", "http://live.test/b"
    live_in(pg_url, first, second)
    runner = CliRunner()
    own = runner.invoke(
        main,
        ["archive", str(write_doc(tmp_path / "a.txt", [first])), "--store", pg_url,
         "--archive-budget", "worker", *archive_args(spn)],
    )  # fmt: skip
    assert own.exit_code == 0, own.output
    assert "4 captures a minute (anonymous)" in own.output
    assert scalar(pg_url, SAVE_ROW) == 0  # its own pacing: the store holds no budget
    shared = runner.invoke(
        main,
        ["archive", str(write_doc(tmp_path / "b.txt", [second])), "--store", pg_url,
         *archive_args(spn)],
    )  # fmt: skip
    assert shared.exit_code == 0, shared.output
    assert "(anonymous, one budget for every process on the store)" in shared.output
    assert "1 saved" in shared.output
    # the one turn taken moved the shared row on by one anonymous interval (15 s)
    assert 0 < scalar(pg_url, TURN_AHEAD) <= 15
    with PostgresStore(pg_url) as store:
        assert has_capture(store, first) and has_capture(store, second)
    assert len(spn.hits(path="/save")) == 2


def test_corpus_archive_saves_the_live_urls_of_every_document(
    spn: TestServer, pg_url: str, tmp_path: Path
) -> None:
    live, dead, unchecked = "http://live.test/a", "http://dead.test/b", "http://new.test/c"
    add_documents(pg_url, [str(write_doc(tmp_path / "d.txt", [live, dead, unchecked]))])
    live_in(pg_url, live)
    with PostgresStore(pg_url) as store:
        store.put(Verdict(dead, LinkStatus.DEAD, "404", 404, checked_at=T0))
    scalar(pg_url, "UPDATE corpus_urls SET verdict = 'alive' WHERE url = %s RETURNING 1", (live,))
    scalar(pg_url, "UPDATE corpus_urls SET verdict = 'dead' WHERE url = %s RETURNING 1", (dead,))
    result = CliRunner().invoke(
        main, ["corpus", "archive", "--store", pg_url, "--ia-keys", "ak:sk", *archive_args(spn)]
    )
    assert result.exit_code == 0, result.output
    assert "12 captures a minute (authenticated, one budget" in result.output
    assert result.output.strip().splitlines()[-1] == "1 saved"
    assert [s.headers["authorization"] for s in spn.hits(path="/save")] == ["LOW ak:sk"]
    assert scalar(pg_url, SAVE_ROW) == 1
    again = CliRunner().invoke(main, ["corpus", "archive", "--store", pg_url, *archive_args(spn)])
    assert again.output.strip().splitlines()[-1] == "1 already archived"
