"""`corpus work`: host jobs on procrastinate, the per-host cap over all workers, killed workers."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from citeaudit.check.options import parse_resolve
from citeaudit.corpus.add import add_documents
from citeaudit.corpus.options import work_options
from citeaudit.corpus.work import work
from citeaudit.errors import ConfigError

from ..check.servers import TestServer
from ..pg import PostgresServer
from .corpus_docs import (
    farm_urls,
    host_names,
    resolve_args,
    scalar,
    serve_farm,
    verdicts,
    worker,
    write_doc,
)

FAST = ("--timeout", "5", "--retries", "0", "--heartbeat", "0.2", "--stalled-after", "1.5")


def corpus(
    tmp_path: Path, server: TestServer, pg_url: str, hosts: int, per_host: int
) -> dict[str, str]:
    names = host_names(hosts)
    expected = farm_urls(server, names, per_host)
    urls = list(expected)
    half = len(urls) // 2
    add_documents(
        pg_url,
        [
            str(write_doc(tmp_path / "a.txt", urls[:half])),
            str(write_doc(tmp_path / "b.txt", urls[half:])),
        ],
    )
    return expected


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Poll `condition` until it holds (an event in another process), failing after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_one_worker_probes_what_is_due_then_stops(
    tmp_path: Path, server: TestServer, pg_url: str
) -> None:
    names = host_names(3)
    serve_farm(server, names)
    expected = corpus(tmp_path, server, pg_url, 3, 6)
    options = work_options(
        resolve=tuple(f"{h}:{server.port}:127.0.0.1" for h in names),
        per_host=2,
        retries=0,
        timeout=5,
        heartbeat=0.2,
        stalled_after=2,
        poll=0.05,
    )
    summary = work(pg_url, options, signals=False)
    assert summary.probed == len(expected) and summary.hosts == 3
    assert verdicts(pg_url) == expected
    assert scalar(pg_url, "SELECT count(*) FROM probes") == len(expected)
    assert max(server.max_in_flight[h] for h in names) <= 2
    seen = len(server.seen)
    # an hour later nothing is due within --max-age: nothing is asked
    age(pg_url, timedelta(hours=1))
    later = work(pg_url, options, signals=False)
    assert later.probed == 0 and len(server.seen) == seen
    # past --max-age everything is due again and probed once more
    age(pg_url, timedelta(days=8))
    old = work(pg_url, options, signals=False)
    assert old.probed == len(expected)
    assert scalar(pg_url, "SELECT count(*) FROM probes") == 2 * len(expected)


def age(url: str, by: timedelta) -> None:
    """Make every stored check `by` older (the clock moves on, the store stays as it was)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE corpus_urls SET checked_at = checked_at - %s", (by,))


def test_two_worker_processes_never_exceed_the_per_host_cap(
    tmp_path: Path, server: TestServer, pg_url: str
) -> None:
    names = host_names(6)
    serve_farm(server, names, delay=0.02)
    expected = corpus(tmp_path, server, pg_url, 6, 12)
    args = (
        *FAST,
        "--per-host",
        "2",
        "--hosts-at-once",
        "3",
        "--poll",
        "0.1",
        *resolve_args(server, names),
    )
    procs = [worker(pg_url, *args) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert verdicts(pg_url) == expected
    assert max(server.max_in_flight[h] for h in names) <= 2
    # every URL was probed exactly once over both workers
    assert len({(s.host, s.path) for s in server.seen if s.path != "/"}) >= len(expected)
    assert scalar(pg_url, "SELECT count(*) FROM probes") == len(expected)


CHECKED = "SELECT count(*) FROM corpus_urls WHERE checked_at IS NOT NULL"
"""How many URLs have a committed verdict: the event the kill tests wait for."""


def one_host_at_a_time(server: TestServer, names: list[str]) -> tuple[str, ...]:
    """Worker options that probe one host, one request at a time, polling fast."""
    options = ("--per-host", "1", "--hosts-at-once", "1", "--poll", "0.1")
    return (*FAST, *options, *resolve_args(server, names))


def test_a_killed_worker_loses_no_verdict_and_its_hosts_are_finished(
    tmp_path: Path, server: TestServer, pg_url: str
) -> None:
    names = host_names(3)
    serve_farm(server, names, delay=0.1)
    expected = corpus(tmp_path, server, pg_url, 3, 15)
    args = one_host_at_a_time(server, names)
    victim = worker(pg_url, *args)
    wait_for(lambda: scalar(pg_url, CHECKED) >= 2, "the first worker's first verdicts")
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    committed = dict((u, v) for u, v in verdicts(pg_url).items() if v is not None)
    assert 2 <= len(committed) < len(expected)
    running = scalar(pg_url, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'")
    assert running == 1  # the killed worker's host job, still holding the host's lock
    survivor = worker(pg_url, *args)
    out, err = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, err
    final = verdicts(pg_url)
    assert final == expected
    assert all(final[u] == v for u, v in committed.items())
    assert "1 stalled host jobs taken over" in err.decode()
    # committed probes were not probed again: one probe per URL in the history
    assert scalar(pg_url, "SELECT count(DISTINCT url) FROM probes") == len(expected)
    assert scalar(pg_url, "SELECT count(*) FROM probes") <= len(expected) + 1


def test_bad_worker_options_are_one_line() -> None:
    with pytest.raises(ConfigError, match="--stalled-after 1 must be longer than --heartbeat 2"):
        work_options(heartbeat=2, stalled_after=1)
    with pytest.raises(ConfigError, match="--resolve"):
        work_options(resolve=("nonsense",))
    assert parse_resolve("h0.test:80:127.0.0.1") == ("h0.test", 80, "127.0.0.1")


def test_a_worker_whose_database_goes_away_stops_in_one_line(
    tmp_path: Path, server: TestServer, pg_server: PostgresServer
) -> None:
    names = host_names(2)
    serve_farm(server, names, delay=0.1)
    store = pg_server.create_database()
    corpus(tmp_path, server, store, 2, 20)
    args = one_host_at_a_time(server, names)
    proc = worker(store, *args)
    wait_for(lambda: scalar(store, CHECKED) >= 1, "the worker's first verdict")
    pg_server.drop_database(store)  # ends every connection to it, as a lost server would
    out, err = proc.communicate(timeout=60)
    lines = err.decode().strip().splitlines()
    assert proc.returncode == 2, err
    assert (
        lines[-1].startswith("citeaudit: error: store postgresql://")
        and "Traceback" not in err.decode()
    )


def test_a_failing_host_job_is_not_retried_for_ever(
    tmp_path: Path, server: TestServer, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citeaudit.corpus import work as work_module

    names = host_names(2)
    serve_farm(server, names)
    expected = corpus(tmp_path, server, pg_url, 2, 3)
    real = work_module.check_urls

    async def broken_on_h1(urls: list[str], *args: object, **kw: object) -> object:
        if "h1.test" in urls[0]:
            raise RuntimeError("checker bug")
        return await real(urls, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(work_module, "check_urls", broken_on_h1)
    resolve = tuple(f"{h}:{server.port}:127.0.0.1" for h in names)
    summary = work(pg_url, work_options(resolve=resolve, retries=0, poll=0.05), signals=False)
    assert summary.failed == ("h1.test",) and summary.hosts == 1
    got = verdicts(pg_url)
    assert {u: v for u, v in got.items() if "h0.test" in u} == {
        u: v for u, v in expected.items() if "h0.test" in u
    }
    assert all(v is None for u, v in got.items() if "h1.test" in u)  # still due


def test_take_over_requeues_a_stalled_job_once_and_never_from_a_live_worker(pg_url: str) -> None:
    import asyncio

    from procrastinate.exceptions import AlreadyEnqueued

    from citeaudit.corpus.db import connect
    from citeaudit.corpus.jobs import QUEUE, TASK, make_app, take_over

    async def scenario() -> list[object]:
        app = make_app(pg_url)
        jm = app.job_manager
        out: list[object] = []
        with connect(pg_url) as conn:
            async with app.open_async():
                defer = app.configure_task(TASK, lock="h", queueing_lock="h", queue=QUEUE)
                job_id = await defer.defer_async(host="h")
                dead, alive = await jm.register_worker(), await jm.register_worker()
                assert (await jm.fetch_job([QUEUE], dead)).id == job_id  # type: ignore[union-attr]
                # two workers find it stalled: the first requeues it, the second finds it gone
                out += [take_over(conn, job_id, dead), take_over(conn, job_id, dead)]
                # a live worker takes it: a late look at the old stalled list must not requeue it
                assert (await jm.fetch_job([QUEUE], alive)).id == job_id  # type: ignore[union-attr]
                out.append(take_over(conn, job_id, dead))
                out.append(await jm.get_job_status_async(job_id))
                # the live one dies too while a job for the same host already waits: end it
                waiting = await defer.defer_async(host="h")
                try:
                    await defer.defer_async(host="h")
                except AlreadyEnqueued:
                    out.append("one waiting at most")
                out.append(take_over(conn, job_id, alive))
                out.append(str(await jm.get_job_status_async(job_id)))
                out.append((await jm.fetch_job([QUEUE], alive)).id == waiting)  # type: ignore[union-attr]
        return out

    retried, gone, late, status, *rest = asyncio.run(scenario())
    assert (retried, gone, late, str(status)) == ("retried", "gone", "gone", "Status.DOING")
    assert rest == ["one waiting at most", "ended", "Status.FAILED", True]


@pytest.mark.parametrize(("budget", "rows"), [("shared", ["archive:replay"]), ("worker", [])])
def test_archive_lookups_take_turns_from_the_budget_setting(
    tmp_path: Path, server: TestServer, pg_url: str, budget: str, rows: list[str]
) -> None:
    import psycopg

    from ..check.servers import Reply

    names = host_names(2)
    serve_farm(server, names)
    server.default(
        "archive.test",
        Reply(
            200,
            "<html><title>capture</title></html>",
            {"Memento-Datetime": "Sun, 03 Mar 2024 10:00:00 GMT"},
        ),
    )
    expected = corpus(tmp_path, server, pg_url, 2, 2)
    options = work_options(
        resolve=tuple(f"{h}:{server.port}:127.0.0.1" for h in [*names, "archive.test"]),
        retries=0,
        poll=0.05,
        archive=True,
        wayback_endpoint=server.url("archive.test", ""),
        archive_budget=budget,
    )
    assert work(pg_url, options, signals=False).probed == len(expected)
    assert len(server.hits("archive.test")) == len(expected)
    with psycopg.connect(pg_url) as conn:
        names_seen = [
            n for (n,) in conn.execute("SELECT name FROM corpus_rate_buckets ORDER BY name")
        ]
        # a probe's snapshot is stored once, in the archive row linked to the probe
        snapshots = [
            d["available"]
            for (d,) in conn.execute(
                "SELECT a.data FROM probes p LEFT JOIN archive_lookups a ON a.of_probe "
                "AND a.url = p.url AND a.checked_at = p.checked_at ORDER BY p.url"
            )
        ]
    assert names_seen == rows
    assert snapshots == [True] * len(expected)  # the archive's answer amended each probe


def test_a_host_still_held_by_a_live_worker_is_left_to_it(
    tmp_path: Path, server: TestServer, pg_url: str
) -> None:
    import threading

    import psycopg

    from citeaudit.corpus.work import HOST_LOCKS, WorkSummary

    names = host_names(2)
    serve_farm(server, names)
    expected = corpus(tmp_path, server, pg_url, 2, 3)
    # A worker whose heartbeat was late but which is still probing h0.test holds it on its
    # connection; procrastinate may hand h0's job to another worker all the same.
    slow = psycopg.connect(pg_url, autocommit=True)
    slow.execute("SELECT pg_advisory_lock(%s::int, hashtext('h0.test'))", (HOST_LOCKS,))
    left_alone = threading.Event()

    def progress(summary: WorkSummary) -> None:
        if summary.held_elsewhere and summary.hosts == 1:
            left_alone.set()

    options = work_options(
        resolve=tuple(f"{h}:{server.port}:127.0.0.1" for h in names), retries=0, poll=0.05
    )
    done: list[WorkSummary] = []
    runner = threading.Thread(
        target=lambda: done.append(work(pg_url, options, signals=False, on_progress=progress))
    )
    runner.start()
    try:
        assert left_alone.wait(timeout=60), "the held host's job never ended"
        assert server.hits("h0.test") == []  # h1 is done, h0 untouched while it is held
    finally:
        slow.close()  # the slow worker ends (or dies): its connection takes the lock with it
    runner.join(timeout=60)
    assert done and done[0].probed == len(expected)
    assert verdicts(pg_url) == expected
    h0 = {u.split(str(server.port), 1)[1] for u in expected if "h0.test" in u}
    assert h0 <= {s.path for s in server.hits("h0.test")}  # probed once it was free
