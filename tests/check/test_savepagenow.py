"""Save Page Now against a fake loopback endpoint that enforces the per-minute limit itself."""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from click.testing import CliRunner

from citeaudit.check.cache import Cache
from citeaudit.check.savepagenow import (
    SaveOptions,
    SavePageNow,
    archive_live,
    has_capture,
    keys_from,
)
from citeaudit.cli import main
from citeaudit.models import ArchiveSnapshot, LinkStatus, Verdict

T0 = datetime(2030, 1, 1, 12, tzinfo=UTC)


class FakeClock:
    """Monotonic time that only moves when the client sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeSPN(http.server.ThreadingHTTPServer):
    """SPN2 in miniature: POST /save gives a job, /save/status/<job> its capture.

    It enforces the documented limits on the shared fake clock: a capture request sooner than
    60/4 s (anonymous) or 60/12 s (with keys) after the previous one is answered 429.
    """

    daemon_threads = True

    def __init__(self, clock: FakeClock, mode: str = "job") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.clock = clock
        self.mode = mode
        self.saves: list[tuple[float, str, str | None]] = []
        self.polls = 0
        self.last: float | None = None
        self.refusals = 0
        self.fail_first = 0


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FakeSPN

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802
        srv = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        url = parse_qs(body)["url"][0]
        auth = self.headers.get("Authorization")
        spacing = 60 / (12 if auth else 4)
        now = srv.clock()
        if srv.fail_first or (srv.last is not None and now - srv.last < spacing - 1e-9):
            srv.fail_first = max(0, srv.fail_first - 1)
            srv.refusals += 1
            self._send(429, {"message": "slow down"}, {"Retry-After": "7"})
            return
        srv.last = now
        srv.saves.append((now, url, auth))
        n = len(srv.saves)
        if srv.mode == "location":
            self._send(200, {}, {"Content-Location": f"/web/2030010112000{n}/{url}"})
        else:
            self._send(200, {"url": url, "job_id": f"job{n}"})

    def do_GET(self) -> None:  # noqa: N802
        srv = self.server
        srv.polls += 1
        n = int(self.path.rsplit("job", 1)[1])
        _, url, _ = srv.saves[n - 1]
        if srv.polls % 2:  # every job is pending once before it succeeds
            self._send(200, {"status": "pending"})
        else:
            stamp = f"2030010112{n:02d}00"
            self._send(200, {"status": "success", "timestamp": stamp, "original_url": url})


@pytest.fixture
def spn() -> Iterator[FakeSPN]:
    server = FakeSPN(FakeClock())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def endpoint(server: FakeSPN) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def live_store(path: Path, urls: list[str]) -> Cache:
    store = Cache(path)
    for url in urls:
        store.put(Verdict(url, LinkStatus.ALIVE, "200 OK", 200, checked_at=T0))
    return store


def run_archive(
    spn: FakeSPN, store: Cache, urls: list[str], keys: tuple[str, str] | None = None, **kw: Any
) -> tuple[list[Any], list[str]]:
    messages: list[str] = []

    async def go() -> list[Any]:
        async with httpx.AsyncClient() as client:
            options = SaveOptions(endpoint=endpoint(spn), keys=keys, poll_interval=2.0)
            saver = SavePageNow(client, options, clock=spn.clock, sleep=spn.clock.sleep)
            return await archive_live(urls, store, saver, progress=messages.append, **kw)

    return asyncio.run(go()), messages


def test_keys_from_flag_or_environment() -> None:
    assert keys_from("a:b", {}) == ("a", "b")
    assert keys_from(None, {"IA_ACCESS_KEY": "x"}) is None
    with pytest.raises(ValueError):
        keys_from("nocolon", {})


@pytest.mark.parametrize(("keys", "spacing"), [(None, 15.0), (("ak", "sk"), 5.0)])
def test_captures_are_spaced_by_the_limit(
    spn: FakeSPN, tmp_path: Path, keys: tuple[str, str] | None, spacing: float
) -> None:
    urls = [f"http://site.test/{i}" for i in range(5)]
    with live_store(tmp_path / "s.sqlite3", urls) as store:
        outcomes, messages = run_archive(spn, store, urls, keys)
        assert spn.refusals == 0  # the fake endpoint never had to refuse
        assert [o.action for o in outcomes] == ["saved"] * 5
        times = [t for t, _, _ in spn.saves]
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert gaps == [spacing] * 4  # evenly spaced: 15 s anonymous, 5 s with keys
        assert {auth for _, _, auth in spn.saves} == {"LOW ak:sk" if keys else None}
        # progress is visible and the new capture URLs are recorded in the store
        assert messages[0].startswith("[1/5] saved http://site.test/0 -> ")
        snap = outcomes[0].snapshot
        assert snap is not None and snap.url == f"{endpoint(spn)}/web/20300101120100/{urls[0]}"
        assert all(has_capture(store, u) for u in urls)
        assert store.archive_history(urls[0])[0][1].url == snap.url


def test_429_waits_for_retry_after_and_tries_again(spn: FakeSPN, tmp_path: Path) -> None:
    spn.fail_first = 1
    with live_store(tmp_path / "s.sqlite3", ["http://site.test/x"]) as store:
        outcomes, _ = run_archive(spn, store, ["http://site.test/x"])
    assert outcomes[0].action == "saved"
    assert 7.0 in spn.clock.sleeps and spn.refusals == 1


class RecordingBucket:
    """A budget shared with other processes, as a SavePageNow sees it: turns and pauses."""

    def __init__(self) -> None:
        self.turns = 0
        self.pauses: list[float] = []

    async def acquire(self, give_up: Any = None) -> float:
        self.turns += 1
        return 0.0

    def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)


def test_a_shared_budget_paces_the_captures_and_a_429_pauses_it(spn: FakeSPN) -> None:
    spn.fail_first = 1
    bucket = RecordingBucket()

    async def go() -> ArchiveSnapshot:
        async with httpx.AsyncClient() as client:
            options = SaveOptions(endpoint=endpoint(spn), poll_interval=2.0)
            saver = SavePageNow(client, options, sleep=spn.clock.sleep, bucket=bucket)
            return await saver.save("http://site.test/x")

    assert asyncio.run(go()).available
    # the pause goes to the budget (every process waits), and the retry takes a turn of it
    assert bucket.pauses == [7.0] and bucket.turns == 2
    assert 7.0 not in spn.clock.sleeps


def test_only_live_uncaptured_sources_and_resume_from_the_store(
    spn: FakeSPN, tmp_path: Path
) -> None:
    urls = [f"http://site.test/{i}" for i in range(4)]
    with live_store(tmp_path / "s.sqlite3", urls) as store:
        store.put(Verdict("http://dead.test/", LinkStatus.DEAD, "404", 404, checked_at=T0))
        snap = ArchiveSnapshot(True, "https://web.archive.org/web/2024/http://site.test/0", T0)
        store.put_archive(urls[0], T0.date(), snap, checked_at=T0)

        class Interrupt(Exception):
            pass

        def stop_after_two(message: str) -> None:
            if message.startswith("[2/"):
                raise Interrupt

        async def interrupted() -> None:
            async with httpx.AsyncClient() as client:
                saver = SavePageNow(
                    client,
                    SaveOptions(endpoint=endpoint(spn), poll_interval=1.0),
                    clock=spn.clock,
                    sleep=spn.clock.sleep,
                )
                await archive_live(urls, store, saver, progress=stop_after_two)

        with pytest.raises(Interrupt):
            asyncio.run(interrupted())
        assert [u for _, u, _ in spn.saves] == urls[1:3]
        everything = [*urls, "http://dead.test/", "http://never.test/#frag"]
        outcomes, _ = run_archive(spn, store, everything)
    actions = {o.url: o.action for o in outcomes}
    assert actions == {
        urls[0]: "already_archived",
        urls[1]: "already_archived",
        urls[2]: "already_archived",
        urls[3]: "saved",
        "http://dead.test/": "not_live",
        "http://never.test/": "not_checked",
    }
    assert [u for _, u, _ in spn.saves] == urls[1:]  # nothing captured twice


def test_failed_capture_is_recorded_and_retried_next_time(spn: FakeSPN, tmp_path: Path) -> None:
    spn.fail_first = 2  # 429 twice: the one retry is refused too
    with live_store(tmp_path / "s.sqlite3", ["http://site.test/x"]) as store:
        outcomes, _ = run_archive(spn, store, ["http://site.test/x"])
        assert outcomes[0].action == "failed" and not has_capture(store, "http://site.test/x")
        outcomes, _ = run_archive(spn, store, ["http://site.test/x"])
        assert outcomes[0].action == "saved"


def test_cli_archive(spn: FakeSPN, tmp_path: Path) -> None:
    spn.mode = "location"
    port = spn.server_address[1]
    doc = tmp_path / "r.txt"
    doc.write_text(
        "Report\n\nMarch 1, 2024\n\nOne.[1] Two.[2]\n\nEndnotes\n\n"
        "[1] http://live.test/a\n[2] http://never.test/b\n",
        encoding="utf-8",
    )
    cache = tmp_path / "s.sqlite3"
    live_store(cache, ["http://live.test/a"]).close()
    result = CliRunner().invoke(
        main,
        [
            "archive",
            str(doc),
            "--cache",
            str(cache),
            "--save-endpoint",
            f"http://spn.test:{port}",
            "--resolve",
            f"spn.test:{port}:127.0.0.1",
            "--ia-keys",
            "ak:sk",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "12 captures a minute (authenticated)" in result.output
    assert "[1/1] saved http://live.test/a -> http://spn.test:" in result.output
    assert "1 not checked, 1 saved" in result.output
    assert [(u, a) for _, u, a in spn.saves] == [("http://live.test/a", "LOW ak:sk")]
    with Cache(cache) as store:
        assert has_capture(store, "http://live.test/a")
