"""The run as a whole: dedupe, limits seen by the server, cache, kill -9, archive, progress."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from citeaudit.check import ProgressEvent
from citeaudit.check.cache import Cache
from citeaudit.check.prober import Prober
from citeaudit.errors import CacheError
from citeaudit.models import ArchiveSnapshot, LinkStatus

from .servers import Reply, TestServer, page, run

REPO = Path(__file__).resolve().parents[2]


def test_each_resource_probed_once_and_every_given_url_answered(server: TestServer) -> None:
    h = "dup.test"
    server.route(h, "/a", Reply(200, page("A")))
    base = server.url(h, "/a")
    urls = [base, base + "#section-2", base.replace("dup.test", "DUP.test"), base]
    result = run(urls, resolve=server.resolve(h), soft404_probe=False)
    assert set(result.verdicts) == set(urls)
    assert all(v.status is LinkStatus.ALIVE for v in result.verdicts.values())
    assert result.verdicts[urls[1]].url == urls[1]  # keyed and labelled by the URL given
    assert len(server.hits(h, "/a")) == 2  # one HEAD + one GET for all four spellings
    assert result.unique == 1


def test_invalid_and_truncated_urls_are_never_probed(server: TestServer) -> None:
    urls = ["notaurl", "mailto:someone@example.org", "https://news.test/2023/some-artic…"]
    result = run(urls)
    assert [v.status for v in result.verdicts.values()] == [LinkStatus.INVALID] * 3
    assert "truncated" in result.verdicts[urls[2]].reason
    assert result.requests == 0 and not server.hits()


def test_excluded_hosts_are_skipped(server: TestServer) -> None:
    url = server.url("internal.test", "/x")
    result = run([url], resolve=server.resolve("internal.test"), exclude=(".test",))
    assert result.verdicts[url].status is LinkStatus.SKIPPED
    assert not server.hits()


def test_per_host_limit_never_exceeded_at_the_server(server: TestServer) -> None:
    hosts = ("one.test", "two.test")
    for h in hosts:
        server.default(h, Reply(200, page("Same page " + h, pad=100), delay=0.05))
    urls = [server.url(h, f"/p/{i}") for h in hosts for i in range(16)]
    run(urls, resolve=server.resolve(*hosts), per_host=3, soft404_probe=False)
    assert server.max_in_flight == {"one.test": 3, "two.test": 3}
    server.max_total_in_flight = 0
    run([u + "?g" for u in urls], resolve=server.resolve(*hosts), per_host=3, concurrency=2,
        soft404_probe=False)  # fmt: skip
    assert server.max_total_in_flight == 2


def test_progress_events_count_up_to_total(server: TestServer) -> None:
    h = "prog.test"
    server.default(h, Reply(200, page("P")))
    urls = [server.url(h, f"/{i}") for i in range(5)]
    events: list[ProgressEvent] = []
    run(urls, resolve=server.resolve(h), progress=events.append, soft404_probe=False)
    assert [e.done for e in events] == [1, 2, 3, 4, 5]
    assert {e.total for e in events} == {5} and events[-1].hosts == 1


def test_progress_names_the_host_holding_the_run_up(server: TestServer) -> None:
    server.default("many.test", Reply(200, page("M")))
    server.default("few.test", Reply(200, page("F")))
    urls = [server.url("many.test", f"/{i}") for i in range(6)] + [server.url("few.test", "/0")]
    events: list[ProgressEvent] = []
    run(urls, resolve=server.resolve("many.test", "few.test"), progress=events.append,
        soft404_probe=False, per_host=1)  # fmt: skip
    # until many.test is done, it is the one with the most URLs left
    assert events[0].waiting_on == "many.test"
    assert events[-1].waiting_on is None  # nothing left to wait for


def test_cache_serves_fresh_verdicts_and_refresh_ignores_it(
    server: TestServer, tmp_path: Path
) -> None:
    h = "cached.test"
    server.default(h, Reply(200, page("C")))
    urls = [server.url(h, f"/{i}") for i in range(3)]
    with Cache(tmp_path / "c.sqlite") as cache:
        first = run(urls, resolve=server.resolve(h), cache=cache)
        sent = len(server.hits(h))
        second = run(urls, resolve=server.resolve(h), cache=cache)
        assert len(server.hits(h)) == sent  # nothing asked again
        assert second.from_cache == 3 and all(v.from_cache for v in second.verdicts.values())
        assert [v.status for v in second.verdicts.values()] == [
            v.status for v in first.verdicts.values()
        ]
        run(urls, resolve=server.resolve(h), cache=cache, refresh=True)
        assert len(server.hits(h)) > sent


def test_a_rerun_answered_by_the_store_reads_it_once_and_builds_no_client(
    server: TestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = "warm.test"
    server.default(h, Reply(200, page("W")))
    urls = [server.url(h, f"/{i}") for i in range(5)]
    with Cache(tmp_path / "w.sqlite") as cache:
        run(urls, resolve=server.resolve(h), cache=cache, soft404_probe=False)
        reads: list[list[str]] = []
        get_many = cache.get_many

        def counted(keys, **ages):  # noqa: ANN001, ANN003, ANN202
            reads.append(list(keys))
            return get_many(keys, **ages)

        def no_client(*a, **k):  # noqa: ANN002, ANN003, ANN202
            raise AssertionError("a client was built for a run with nothing to probe")

        monkeypatch.setattr(cache, "get_many", counted)
        monkeypatch.setattr(Prober, "open", no_client)
        again = run(urls, resolve=server.resolve(h), cache=cache, soft404_probe=False)
    assert again.from_cache == 5 and again.requests == 0
    assert len(reads) == 1 and sorted(reads[0]) == sorted(urls)  # one read for the whole run


def test_broken_cache_warns_once_and_the_run_goes_on(server: TestServer) -> None:
    class Broken:
        def get(self, *a, **k):  # noqa: ANN002, ANN003, ANN202
            raise OSError("disk on fire")

        put = get_many = get_host_probe = put_host_probe = get

    h = "nocache.test"
    server.default(h, Reply(200, page("N")))
    urls = [server.url(h, f"/{i}") for i in range(3)]
    result = run(urls, resolve=server.resolve(h), cache=Broken(), soft404_probe=False)
    assert all(v.status is LinkStatus.ALIVE for v in result.verdicts.values())
    assert len(result.notices) == 1 and "disk on fire" in result.notices[0]


def test_a_store_failing_mid_run_is_warned_once_and_then_left_alone(
    server: TestServer, tmp_path: Path
) -> None:
    class FailsFromThirdPut:
        """A real cache that fails for good at its third write, as a full disk does."""

        def __init__(self, inner: Cache) -> None:
            self.inner = inner
            self.puts = 0

        def get_many(self, *a, **k):  # noqa: ANN002, ANN003, ANN202
            return self.inner.get_many(*a, **k)

        def put(self, verdict) -> None:  # noqa: ANN001
            self.puts += 1
            if self.puts >= 3:
                raise CacheError("cache c.sqlite failed (disk full); continuing without it")
            self.inner.put(verdict)

        def get_host_probe(self, *a, **k):  # noqa: ANN002, ANN003, ANN202
            return self.inner.get_host_probe(*a, **k)

        def put_host_probe(self, *a, **k):  # noqa: ANN002, ANN003, ANN202
            return self.inner.put_host_probe(*a, **k)

    h = "midrun.test"
    server.default(h, Reply(200, page("M")))
    urls = [server.url(h, f"/{i}") for i in range(6)]
    with Cache(tmp_path / "c.sqlite") as cache:
        flaky = FailsFromThirdPut(cache)
        result = run(urls, resolve=server.resolve(h), cache=flaky, soft404_probe=False, per_host=1)
        assert all(v.status is LinkStatus.ALIVE for v in result.verdicts.values())
        assert result.notices == ("cache c.sqlite failed (disk full); continuing without it",)
        assert flaky.puts == 3  # once failed, the store is not asked again
        kept = [u for u in urls if cache.history(u)]
    assert len(kept) == 2


def test_archive_asked_for_each_url_and_committed(server: TestServer, tmp_path: Path) -> None:
    class FakeArchive:
        def __init__(self) -> None:
            self.asked: list[tuple[str, date]] = []

        async def closest(self, url: str, as_of: date) -> ArchiveSnapshot:
            self.asked.append((url, as_of))
            return ArchiveSnapshot(True, "https://web.archive.org/web/2023/" + url,
                                   datetime(2023, 8, 1, tzinfo=UTC), "wayback", 2)  # fmt: skip

    h = "arch.test"
    server.route(h, "/live", Reply(200, page("L")))
    urls = [server.url(h, "/live"), server.url(h, "/dead")]
    private = "http://10.1.2.3/intranet"  # skipped, so never disclosed to an archive
    archive = FakeArchive()
    with Cache(tmp_path / "a.sqlite") as cache:
        result = run(urls + [private], resolve=server.resolve(h), archive=archive, cache=cache,
                     as_of=date(2023, 8, 3))  # fmt: skip
        assert sorted(archive.asked) == sorted((u, date(2023, 8, 3)) for u in urls)
        assert result.verdicts[private].status is LinkStatus.SKIPPED
        assert result.verdicts[private].archive is None
        assert all(result.verdicts[u].archive.available for u in urls)  # type: ignore[union-attr]
        again = run(urls, resolve=server.resolve(h), archive=archive, cache=cache)
    assert len(archive.asked) == 2  # cached verdicts carry their snapshot
    assert all(v.archive is not None for v in again.verdicts.values())


_CHILD = textwrap.dedent(
    """
    import json, sys
    from citeaudit.check import CheckOptions, check
    from citeaudit.check.cache import Cache
    spec = json.loads(sys.argv[1])
    options = CheckOptions(per_host=1, retries=0, timeout=5.0, soft404_probe=False,
                           resolve=tuple(tuple(r) for r in spec["resolve"]), canary_hosts=())
    check(spec["urls"], options, cache=Cache(spec["cache"]))
    """
)


def _cached_urls(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT url FROM probes")}


def test_kill_9_loses_nothing_already_committed(server: TestServer, tmp_path: Path) -> None:
    h = "slowly.test"
    server.default(h, Reply(200, page("S"), delay=0.15))
    urls = [server.url(h, f"/p{i}") for i in range(12)]
    cache_path = tmp_path / "k.sqlite"
    spec = {"urls": urls, "resolve": server.resolve(h), "cache": str(cache_path)}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, json.dumps(spec)], cwd=REPO)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if cache_path.exists():
                try:
                    if len(_cached_urls(cache_path)) >= 4:
                        break
                except sqlite3.Error:
                    pass
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    committed = _cached_urls(cache_path)
    assert 4 <= len(committed) < len(urls), "the kill should land in the middle of the run"
    before = {u: len(server.hits(h, "/" + u.rsplit("/", 1)[1])) for u in urls}
    with Cache(cache_path) as cache:
        rerun = run(urls, resolve=server.resolve(h), cache=cache, soft404_probe=False)
    assert all(v.status is LinkStatus.ALIVE for v in rerun.verdicts.values())
    for url in urls:
        asked_again = len(server.hits(h, "/" + url.rsplit("/", 1)[1])) - before[url]
        assert (asked_again == 0) == (url in committed), url
    assert rerun.from_cache == len(committed)


@pytest.mark.parametrize("bad", ["http://a.test:99999/", "http://[::1/"])
def test_malformed_ports_and_hosts_are_invalid(bad: str) -> None:
    assert run([bad]).verdicts[bad].status is LinkStatus.INVALID


def test_make_client_obeys_resolve_and_safety(server: TestServer) -> None:
    import asyncio

    import httpx

    from citeaudit.check import make_client
    from citeaudit.check.network import AddressRefused

    from .servers import fast_options, no_dns

    server.route("wayback.test", "/web/1", Reply(302, headers={"Location": "/web/2"}))

    async def go() -> tuple[httpx.Response, BaseException | None]:
        options = fast_options(resolve=server.resolve("wayback.test"))
        async with make_client(options, lookup=no_dns) as client:
            mapped = await client.get(server.url("wayback.test", "/web/1"))
            try:
                await client.get(f"http://127.0.0.1:{server.port}/")
            except AddressRefused as exc:
                return mapped, exc
            return mapped, None

    mapped, refused = asyncio.run(go())
    assert mapped.status_code == 302  # redirects are the caller's to follow
    assert isinstance(refused, AddressRefused)
    assert [s.path for s in server.hits()] == ["/web/1"]


def test_an_error_is_not_reused_once_the_server_is_back(server: TestServer, tmp_path: Path) -> None:
    h = "flaky.test"
    server.route(h, "/a", Reply(503, page("Down for maintenance")))
    url = server.url(h, "/a")
    with Cache(tmp_path / "c.sqlite") as cache:
        first = run([url], resolve=server.resolve(h), cache=cache, retries=0, soft404_probe=False)
        assert first.verdicts[url].status is LinkStatus.ERROR
        server.route(h, "/a", Reply(200, page("Back again")))
        second = run([url], resolve=server.resolve(h), cache=cache, soft404_probe=False)
        assert second.verdicts[url].status is LinkStatus.ALIVE
        assert second.from_cache == 0


def test_probes_run_in_a_bounded_window_hosts_in_turn() -> None:
    import asyncio

    from citeaudit.check.schedule import interleave_hosts, run_bounded

    keys = [f"a{i}" for i in range(30)] + [f"b{i}" for i in range(3)]
    order = interleave_hosts(keys, {k: k[0] for k in keys})
    assert order[:6] == ["a0", "b0", "a1", "b1", "a2", "b2"] and sorted(order) == sorted(keys)
    started: list[str] = []
    in_flight, peak = 0, 0

    async def work(key: str) -> None:
        nonlocal in_flight, peak
        started.append(key)
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0)  # let the others start while this one is in flight
        in_flight -= 1

    asyncio.run(run_bounded(order, work, window=5))
    assert started == order  # every key, once, started in order
    assert peak == 5  # the window is used and never exceeded
