"""Interrupted runs and shared caches: `kill -9` loses nothing and repeats nothing.

Real `citeaudit check` processes run against a slow loopback server with `--cache`, and are
killed with SIGKILL at random moments (during start-up, mid-probe, mid-commit) again and again.
After every kill the SQLite file must pass `PRAGMA integrity_check`; a URL whose verdict was
committed before a run started must never be requested by that run or any later one (the
server's own request log says so); and the final, uninterrupted run serves every committed
verdict from the cache and gets every verdict right. Two runs sharing one cache at the same
time both finish with correct results.

Reports written with `--output` are atomic: killing a run while it writes a large report never
leaves a partial file where the report goes, and an input document is never overwritten.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ..check.servers import Reply, TestServer, page

CLI = [sys.executable, "-c", "from citeaudit.cli import main; main()"]
N_URLS = 56
KILLS = 20
DELAY = 0.08
"""Seconds each answer takes: with --per-host 2 a full run lasts a few seconds."""


def _dead(i: int) -> bool:
    return i % 7 == 3


@pytest.fixture
def slow_server() -> Iterator[TestServer]:
    with TestServer() as srv:
        for i in range(N_URLS):
            reply = (
                Reply(404, page("Not Found"), delay=DELAY)
                if _dead(i)
                else Reply(200, b"%PDF-1.4", delay=DELAY, content_type="application/pdf")
            )
            srv.route("127.0.0.1", f"/doc/{i}", reply)
        yield srv


def _document(directory: Path, urls: list[str]) -> Path:
    claims = " ".join(f"Claim {i}.[{i}]" for i in range(1, len(urls) + 1))
    notes = "\n".join(f"[{i}] Source {i}, {u}" for i, u in enumerate(urls, start=1))
    doc = directory / "report.md"
    doc.write_text(f"# Report\n\n{claims}\n\n## Notes\n\n{notes}\n", encoding="utf-8")
    return doc


def _args(doc: Path, cache: Path, *extra: str) -> list[str]:
    return [
        *CLI,
        "check",
        str(doc),
        "--cache",
        str(cache),
        "--no-archive",
        "--canary",
        "localhost",
        "--allow-private",
        "--per-host",
        "2",
        "--retries",
        "0",
        "--timeout",
        "5",
        "-q",
        "--format",
        "json",
        *extra,
    ]


def _committed(cache: Path) -> set[str]:
    """URLs with a verdict in the cache; fails the test if the file is corrupt."""
    if not cache.exists():
        return set()
    db = sqlite3.connect(f"file:{cache}?mode=ro", uri=True, timeout=10)
    try:
        (status,) = db.execute("PRAGMA integrity_check").fetchone()
        assert status == "ok", f"cache corrupt: {status}"
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "probes" not in tables:
            return set()
        return {r[0] for r in db.execute("SELECT url FROM probes")}
    finally:
        db.close()


def _paths(server: TestServer, since: int) -> list[str]:
    return [s.path for s in server.seen[since:] if s.path.startswith("/doc/")]


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _expected(url: str) -> str:
    return "dead" if _dead(int(url.rsplit("/", 1)[1])) else "alive"


def _wait_until(proc: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    """Wait for an event in the child's life (or its exit); a generous deadline, not a timing."""
    deadline = time.monotonic() + 60
    while not ready() and proc.poll() is None:
        assert time.monotonic() < deadline, "the run never reached the moment to kill it"
        time.sleep(0.005)


def test_kill_9_twenty_times_never_corrupts_or_repeats(
    slow_server: TestServer, tmp_path: Path
) -> None:
    rng = random.Random(6)
    urls = [f"http://127.0.0.1:{slow_server.port}/doc/{i}" for i in range(N_URLS)]
    doc = _document(tmp_path, urls)
    cache = tmp_path / "cache.sqlite"
    committed_growth = []
    # each kill waits for an event, so a slow, busy machine moves the moments, not the outcome:
    # start-up (nothing asked yet), mid-probe (a request seen, its answer not yet stored) and
    # just after a commit (the cache grew)
    moments = ["start-up", "mid-probe", "after-commit"]
    for kill in range(KILLS):
        before = _committed(cache)
        mark = len(slow_server.seen)
        proc = subprocess.Popen(
            _args(doc, cache), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        moment = moments[0] if kill == 0 else rng.choice(moments)
        step = rng.randint(1, 3)
        if moment == "mid-probe":
            _wait_until(proc, lambda m=mark, k=step: len(_paths(slow_server, m)) >= k)
        elif moment == "after-commit":
            target = len(before) + step
            _wait_until(proc, lambda k=target: len(_committed(cache)) >= k)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        after = _committed(cache)
        asked = set(_paths(slow_server, mark))
        assert not asked & {_path(u) for u in before}, "a committed URL was probed again"
        assert before <= after, "a kill lost committed verdicts"
        committed_growth.append(len(after))
    # the last run is not interrupted: it asks only for what is missing
    before = _committed(cache)
    mark = len(slow_server.seen)
    done = subprocess.run(_args(doc, cache), capture_output=True, timeout=60, text=True)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    sources = {s["url"]: s for s in report["sources"]}
    for url in urls:
        assert sources[url]["verdict"] == _expected(url), sources[url]["reason"]
        assert sources[url]["from_cache"] == (url in before)
    asked = _paths(slow_server, mark)
    assert set(asked) == {_path(u) for u in urls if u not in before}
    assert _committed(cache) == set(urls)
    # the kills landed at different points: before any commit, and between commits
    assert committed_growth[0] == 0 and len(set(committed_growth)) > 3, committed_growth


def test_two_runs_sharing_one_cache_both_finish_right(
    slow_server: TestServer, tmp_path: Path
) -> None:
    urls = [f"http://127.0.0.1:{slow_server.port}/doc/{i}" for i in range(24)]
    doc = _document(tmp_path, urls)
    cache = tmp_path / "shared.sqlite"
    procs = [
        subprocess.Popen(
            _args(doc, cache), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode in (0, 1), err
        assert "warning" not in err.lower(), err  # the cache was never given up on
        sources = {s["url"]: s for s in json.loads(out)["sources"]}
        assert {u: sources[u]["verdict"] for u in urls} == {u: _expected(u) for u in urls}
    assert _committed(cache) == set(urls)


def _big_document(directory: Path, n: int) -> Path:
    # private addresses: skipped without a packet sent, so the run is all parse and render
    urls = [f"http://10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}/a/{i}" for i in range(n)]
    return _document(directory, urls)


def _offline_check(doc: Path, output: str) -> list[str]:
    """A `check` of `doc` writing `-o output`, with no archive, no cache and no DNS."""
    return [*CLI, "check", str(doc), "--no-archive", "--no-cache", "--canary", "localhost",
            "-q", "-o", output]  # fmt: skip


def test_report_is_never_seen_half_written(tmp_path: Path) -> None:
    doc = _big_document(tmp_path, 1500)
    out = tmp_path / "out.html"
    base = _offline_check(doc, f"html={out}")
    first = subprocess.run(base, capture_output=True, timeout=120)
    assert first.returncode in (0, 1), first.stderr
    complete = out.read_text(encoding="utf-8")
    assert complete.rstrip().endswith("</html>")
    torn: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        # read the report as fast as possible while runs rewrite it
        while not stop.is_set():
            try:
                text = out.read_text(encoding="utf-8")
            except FileNotFoundError:
                torn.append(-1)
                continue
            if not text.rstrip().endswith("</html>"):
                torn.append(len(text))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    rng = random.Random(7)
    try:
        for _ in range(5):
            proc = subprocess.Popen(base, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.5, 2.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        again = subprocess.run(base, capture_output=True, timeout=120)
        assert again.returncode in (0, 1)
    finally:
        stop.set()
        watcher.join(5)
    assert torn == [], "a reader saw a missing or partial report"
    assert out.read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.mark.parametrize("spec", ["json={doc}", "{doc}", "markdown={doc}"])
def test_output_over_the_input_document_exits_2_and_keeps_it(tmp_path: Path, spec: str) -> None:
    doc = _big_document(tmp_path, 3)
    before = doc.read_bytes()
    done = subprocess.run(
        _offline_check(doc, spec.format(doc=doc)),
        capture_output=True,
        timeout=60,
        text=True,
    )
    assert done.returncode == 2, done.stderr
    assert "input" in done.stderr.lower()
    assert doc.read_bytes() == before


def test_output_over_the_input_through_a_symlink_is_refused(tmp_path: Path) -> None:
    doc = _big_document(tmp_path, 3)
    before = doc.read_bytes()
    link = tmp_path / "alias.json"
    os.symlink(doc, link)
    done = subprocess.run(
        _offline_check(doc, f"json={link}"),
        capture_output=True,
        timeout=60,
        text=True,
    )
    assert done.returncode == 2, done.stderr
    assert doc.read_bytes() == before
    assert link.is_symlink()
