"""Shared helpers of the corpus tests: documents citing many loopback hosts, and a farm for them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import psycopg

from ..check.servers import Reply, Seen, TestServer, page

REPO = Path(__file__).resolve().parents[2]


def farm_reply(delay: float = 0.0):  # type: ignore[no-untyped-def]
    """A handler answering `/ok/...` 200 and `/dead/...` 404 (after `delay` seconds)."""

    def answer(seen: Seen) -> Reply:
        if seen.path.startswith("/ok/"):
            return Reply(200, page(f"Page {seen.path}"), delay=delay)
        return Reply(404, page("Not Found"), delay=delay)

    return answer


def host_names(n: int) -> list[str]:
    """`n` virtual host names."""
    return [f"h{i}.test" for i in range(n)]


def serve_farm(server: TestServer, hosts: Sequence[str], delay: float = 0.0) -> None:
    """Every host answers by path kind."""
    for host in hosts:
        server.default(host, farm_reply(delay))


def farm_urls(server: TestServer, hosts: Sequence[str], per_host: int) -> dict[str, str]:
    """URL -> expected verdict: every third URL of a host is dead, the others alive."""
    out: dict[str, str] = {}
    for host in hosts:
        for i in range(per_host):
            kind = "dead" if i % 3 == 2 else "ok"
            out[server.url(host, f"/{kind}/{i}")] = "dead" if kind == "dead" else "alive"
    return out


def write_doc(path: Path, urls: Sequence[str], title: str = "A Corpus Report") -> Path:
    """A report whose one claim per URL cites it in the endnotes."""
    body = " ".join(f"Claim number {i} holds.[{i + 1}]" for i in range(len(urls)))
    notes = "".join(f"[{i + 1}] {u}\n" for i, u in enumerate(urls))
    path.write_text(f"{title}\n\nMarch 1, 2024\n\n{body}\n\nEndnotes\n\n{notes}", encoding="utf-8")
    return path


def resolve_args(server: TestServer, hosts: Sequence[str]) -> list[str]:
    """`--resolve` options mapping `hosts` to the loopback server."""
    return [a for h in hosts for a in ("--resolve", f"{h}:{server.port}:127.0.0.1")]


def worker(store: str, *args: str) -> subprocess.Popen[bytes]:
    """`citeaudit corpus work` in a process of its own (so that it can be killed)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "citeaudit", "corpus", "work", "--store", store, *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def scalar(url: str, query: str, params: object = None) -> int:
    """One number from the store."""
    with psycopg.connect(url) as conn:
        row = conn.execute(query, params).fetchone()  # type: ignore[arg-type]
    return int(row[0]) if row and row[0] is not None else 0


def verdicts(url: str) -> dict[str, str]:
    """Store key -> latest verdict, from the schedule rows."""
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT url, verdict FROM corpus_urls").fetchall()
    return {u: v for u, v in rows}
