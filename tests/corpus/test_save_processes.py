"""Two real `corpus archive` processes against one fake Save Page Now: one budget, or two.

The rate is `--save-rate` (Save Page Now's own 4 a minute would make this a minute-long test);
the budget is checked on the fake's own arrival times, not on what the clients say they did.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from citeaudit.corpus.add import add_documents

from .corpus_docs import REPO, scalar, write_doc
from .test_save import T0, live_in

RATE = 60
"""Captures a minute over both processes: one a second."""
INTERVAL = 60 / RATE
URLS = 9


class HeldSPN(http.server.ThreadingHTTPServer):
    """Save Page Now on 127.0.0.3 that notes when each capture request arrives and for which URL.

    The first answer is held until a second request arrives, so that both processes are at work
    together whatever their start-up times (without it, one could finish before the other starts).
    """

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.3", 0), _Handler)
        self.arrivals: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        self.second = threading.Event()


class _Handler(http.server.BaseHTTPRequestHandler):
    server: HeldSPN

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        url = parse_qs(self.rfile.read(length).decode()).get("url", [""])[0]
        with self.server.lock:
            self.server.arrivals.append((time.monotonic(), url))
            number = len(self.server.arrivals)
            if number >= 2:
                self.server.second.set()
        self.server.second.wait(timeout=60)
        stamp = (T0 + timedelta(seconds=number)).strftime("%Y%m%d%H%M%S")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Location", f"/web/{stamp}/{url}")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def spn() -> Iterator[HeldSPN]:
    """The held Save Page Now, served from a thread."""
    server = HeldSPN()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.second.set()
        server.shutdown()
        server.server_close()


def corpus_archive(store: str, port: int, budget: str) -> subprocess.Popen[bytes]:
    """`citeaudit corpus archive` in a process of its own, at the fast rate."""
    endpoint = ["--save-endpoint", f"http://spn.test:{port}"]
    resolve = ["--resolve", f"spn.test:{port}:127.0.0.3"]
    args = ["--save-rate", str(RATE), "--archive-budget", budget, *endpoint, *resolve]
    return subprocess.Popen(
        [sys.executable, "-m", "citeaudit", "corpus", "archive", "--store", store, *args],
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("budget", ["shared", "worker"])
def test_two_processes_keep_to_one_budget_only_when_shared(
    spn: HeldSPN, pg_url: str, tmp_path: Path, budget: str
) -> None:
    urls = [f"http://live.test/{i}" for i in range(URLS)]
    add_documents(pg_url, [str(write_doc(tmp_path / "d.txt", urls))])
    live_in(pg_url, *urls)
    scalar(pg_url, "UPDATE corpus_urls SET verdict = 'alive' RETURNING 1")
    port = spn.server_address[1]
    procs = [corpus_archive(pg_url, port, budget) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()[-2000:]
    arrivals = sorted(at for at, _ in spn.arrivals)
    # the claims share the list out: each URL asked for once, by one process or the other
    assert sorted(url for _, url in spn.arrivals) == sorted(urls)
    lines = [out.decode().strip().splitlines()[-1] for out, _ in outputs]
    assert all("saved" in line for line in lines), lines  # both processes captured some
    # From the third arrival on, both processes are past their first request (whose start-up
    # delays are the noisiest) and both are at work. One budget spaces those requests one
    # interval apart; two budgets let two processes each send one an interval, so the same
    # requests take half as long. The line is drawn at three quarters of the one budget's time:
    # a loaded machine may delay a request by a good part of a second either way.
    one_budget = (URLS - 3) * INTERVAL
    took = arrivals[-1] - arrivals[2]
    if budget == "shared":
        assert took > 0.75 * one_budget, arrivals
    else:
        assert took < 0.75 * one_budget, arrivals
