"""Save Page Now on a PostgreSQL store: every process takes its turns from one shared row."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from citeaudit.check.savepagenow import SaveOptions, SavePageNow, has_capture
from citeaudit.check.store_pg import PostgresStore
from citeaudit.cli import main
from citeaudit.corpus.add import add_documents
from citeaudit.corpus.budget import BudgetMode, save_budget
from citeaudit.models import ArchiveSnapshot, LinkStatus, Verdict

from ..check.servers import Reply, Sequence_, TestServer
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


def captured(stamp: str, path: str) -> Reply:
    """Save Page Now's answer naming the capture `/web/<stamp>/<path>`."""
    return Reply(
        200,
        "{}",
        {"Content-Location": f"/web/{stamp}/{path}", "Connection": "close"},
        content_type="application/json",
    )


REPORT_FORMATS = ("json", "table", "markdown", "html", "sarif", "junit", "github")
"""Every format that names the archived copy to use instead of a lost link."""


def test_corpus_report_shows_the_captures_save_page_now_made(
    spn: TestServer, pg_url: str, tmp_path: Path
) -> None:
    by_file, by_corpus, by_probe = (f"http://gone.test/{n}" for n in ("file", "corpus", "probe"))
    doc = write_doc(tmp_path / "d.txt", [by_file, by_corpus, by_probe])
    add_documents(pg_url, [str(doc)])
    live_in(pg_url, by_file, by_corpus)
    scalar(
        pg_url, "UPDATE corpus_urls SET verdict = 'alive' WHERE url <> %s RETURNING 1", (by_probe,)
    )
    spn.route(
        "spn.test",
        "/save",
        Sequence_(captured("20300101120000", "file"), captured("20300101130000", "corpus")),
    )
    # one capture by `citeaudit archive FILE --store`, the other by `corpus archive`
    runner = CliRunner()
    first = runner.invoke(
        main,
        ["archive", str(write_doc(tmp_path / "one.txt", [by_file])), "--store", pg_url,
         *archive_args(spn)],
    )  # fmt: skip
    assert first.exit_code == 0 and "1 saved" in first.output, first.output
    rest = runner.invoke(main, ["corpus", "archive", "--store", pg_url, *archive_args(spn)])
    assert rest.output.strip().splitlines()[-1] == "1 already archived, 1 saved", rest.output
    # a week later all three are gone, probed without --archive; the third probe's own
    # lookup found a capture (as `corpus work --archive` files it, linked to the probe)
    later = T0 + timedelta(days=7)
    probe_capture = ArchiveSnapshot(
        True, "https://web.archive.org/web/20240301000000/x", datetime(2024, 3, 1, tzinfo=UTC),
        "web.archive.org", 0,
    )  # fmt: skip
    with PostgresStore(pg_url) as store:
        for url in (by_file, by_corpus):
            store.put(Verdict(url, LinkStatus.DEAD, "404", 404, checked_at=later))
        store.put(
            Verdict(by_probe, LinkStatus.DEAD, "404", 404, checked_at=later, archive=probe_capture)
        )
    base = f"http://spn.test:{spn.port}/web"
    expected = {
        by_file: f"{base}/20300101120000/file",
        by_corpus: f"{base}/20300101130000/corpus",
        by_probe: probe_capture.url,
    }
    code, out = run_cli("corpus", "report", "--store", pg_url, "--format", "json")
    assert code == 0, out
    sources = {s["url"]: s for s in json.loads(out)["sources"]}
    assert {u: s["archive"]["url"] for u, s in sources.items()} == expected
    assert {s["state"] for s in sources.values()} == {"archived"}
    # the capture's distance from the document's date (March 1, 2024), as a lookup sets it
    assert (
        sources[by_file]["archive"]["days_from_document"]
        == (date(2030, 1, 1) - date(2024, 3, 1)).days
    )
    for fmt in REPORT_FORMATS[1:]:
        code, out = run_cli("corpus", "report", "--store", pg_url, "--format", fmt)
        assert code in (0, 1), (fmt, out)
        flat = "".join(out.split())  # the table wraps long URLs over lines
        for capture in expected.values():
            assert capture in flat or capture.replace("&", "&amp;") in flat, (fmt, capture, out)


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output
