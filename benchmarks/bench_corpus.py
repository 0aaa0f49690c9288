"""Corpus mode on the loopback farm: one worker, then 3 worker processes on one PostgreSQL store.

What it measures, and why:
- right: every URL's stored verdict equals the farm's expected outcome, in every configuration;
- polite: the farm's own count of the most requests in flight per host never exceeds
  --per-host, counted over all workers (one host is one procrastinate job, locked on the host);
- the workers' CPU time and the transactions the store committed (the server's count): on a
  shared machine wall time is noisy, CPU and commits are not;
- wall time of `corpus work` with 1 worker and with 3 worker processes, side by side, against
  the lower bound ceil(H / (W * K)) * max over hosts of ceil(n_h / C) * L (W workers running K
  host jobs each, C requests in flight per host, latency L);
- a worker killed with `kill -9` mid-run: no committed verdict lost, the others finish its hosts
  (they take its jobs over once its heartbeat is --stalled-after old);
- the store is not the bottleneck: `corpus status` over 1,000,000 stored verdicts (the library
  call and the CLI process), with the schedule table's indexes.

Default: 4,000 URLs over 40 hosts; `--full` is the issue's 20,000 URLs over 200 hosts. Every
address is loopback (127.0.0.0/8). PostgreSQL is a throwaway server (tests/pg.py).
Run: `uv run python benchmarks/bench_corpus.py [--full]`.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FARM_DIR = ROOT / "benchmarks" / "farm"  # a copy of ../shared/bench (see its README)

import psycopg  # noqa: E402

from citeaudit.catalog.normalize import normalize  # noqa: E402
from citeaudit.corpus.add import add_documents  # noqa: E402
from citeaudit.corpus.due import Schedule  # noqa: E402
from citeaudit.corpus.status import corpus_status  # noqa: E402
from tests.pg import PostgresServer, find_bindir  # noqa: E402

EXPECTED = {"ok": "alive", "dead": "dead", "gone": "dead", "redir": "redirected",
            "soft404": "soft_dead"}  # fmt: skip
MIX = {"ok": 78, "dead": 10, "gone": 2, "redir": 5, "soft404": 5}
PER_DOC = 1000


def start_farm(tmp: Path, hosts: int, latency: float, cap: int) -> tuple[subprocess.Popen, int]:
    """Start farm.py on a free port; returns the process and the port."""
    ready = tmp / f"farm-{time.monotonic_ns()}.ready"
    proc = subprocess.Popen(
        [sys.executable, str(FARM_DIR / "farm.py"), "--hosts", str(hosts), "--port", "0",
         "--latency", str(latency), "--cap", str(cap), "--ready-file", str(ready),
         "--max-runtime", "1800"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not ready.exists():
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise SystemExit("farm did not start")
        time.sleep(0.05)
    return proc, json.loads(ready.read_text())["port"]


def farm_stats(port: int) -> dict:
    """The farm's counters (GET /__stats on the control address)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__stats", timeout=10) as resp:
        return json.loads(resp.read())


def corpus_docs(tmp: Path, urls: int, hosts: int, port: int, seed: int) -> tuple[list[str], dict]:
    """Documents of PER_DOC links over the farm's hosts; returns their paths and URL -> verdict."""
    rng = random.Random(seed)
    kinds = [k for k, w in MIX.items() for _ in range(round(urls * w / 100))][:urls]
    rng.shuffle(kinds)
    links = [f"http://127.0.{(2 + i % hosts) // 256}.{(2 + i % hosts) % 256}:{port}/{k}/{i}"
             for i, k in enumerate(kinds)]  # fmt: skip
    expected = {normalize(u).key: EXPECTED[k] for u, k in zip(links, kinds, strict=True)}
    paths = []
    for d in range(0, len(links), PER_DOC):
        chunk = links[d : d + PER_DOC]
        body = " ".join(f"Claim {i}.[{i + 1}]" for i in range(len(chunk)))
        notes = "".join(f"[{i + 1}] {u}\n" for i, u in enumerate(chunk))
        path = tmp / f"doc{d // PER_DOC:03d}.txt"
        path.write_text(f"Corpus document {d}\n\nMarch 1, 2024\n\n{body}\n\nEndnotes\n\n{notes}")
        paths.append(str(path))
    return paths, expected


def worker(store: str, args: list[str]) -> subprocess.Popen:
    """One `citeaudit corpus work` process."""
    return subprocess.Popen(
        [sys.executable, "-m", "citeaudit", "corpus", "work", "--store", store, *args],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def stored(store: str, query: str) -> list[tuple]:
    with psycopg.connect(store) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


def children_cpu() -> float:
    """User and system CPU seconds of the child processes waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def store_commits(store: str) -> int:
    """Transactions committed in the store's database so far (the server's own count)."""
    with psycopg.connect(store, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_force_next_flush()")  # type: ignore[arg-type]
        row = conn.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()  # type: ignore[arg-type]
    return int(row[0]) if row else 0


def run_config(server: PostgresServer, tmp: Path, a: argparse.Namespace, workers: int,
               kill: bool = False) -> dict:  # fmt: skip
    """One configuration on a fresh farm and a fresh database."""
    farm, port = start_farm(tmp, a.hosts, a.latency, a.per_host)
    store = server.create_database()
    try:
        paths, expected = corpus_docs(tmp, a.urls, a.hosts, port, a.seed)
        add_documents(store, paths)
        args = ["--allow-private", "--per-host", str(a.per_host), "--hosts-at-once",
                str(a.hosts_at_once), "--timeout", "10", "--retries", "1", "--heartbeat", "1",
                "--stalled-after", "4", "--poll", "0.2", "--quiet"]  # fmt: skip
        commits0 = store_commits(store)
        cpu0 = children_cpu()
        t0 = time.monotonic()
        procs = [worker(store, args) for _ in range(workers)]
        committed_at_kill = {}
        if kill:
            while stored(store, "SELECT count(checked_at) FROM corpus_urls")[0][0] < a.urls // 4:
                time.sleep(0.05)
            procs[0].send_signal(signal.SIGKILL)
            procs[0].wait()
            committed_at_kill = dict(stored(store, "SELECT url, verdict FROM corpus_urls "
                                                   "WHERE verdict IS NOT NULL"))  # fmt: skip
        errors = [p.communicate()[1].decode()[-300:] for p in procs]
        wall = time.monotonic() - t0
        cpu = children_cpu() - cpu0  # the workers only: the farm is not reaped yet
        commits = store_commits(store) - commits0
        codes = [p.returncode for p in procs]
        got = dict(stored(store, "SELECT url, verdict FROM corpus_urls"))
        stats = farm_stats(port)
    finally:
        farm.terminate()
        farm.wait()
    wrong = {u: (got.get(u), v) for u, v in expected.items() if got.get(u) != v}
    lost = [u for u, v in committed_at_kill.items() if got.get(u) != v]
    per_host = Counter(u.split("/")[2] for u in expected)
    # each host needs ceil(n_h / C) round trips; W workers run W x K host jobs at once
    host_s = max(math.ceil(n / a.per_host) for n in per_host.values()) * a.latency / 1000
    bound = math.ceil(len(per_host) / (workers * a.hosts_at_once)) * host_s
    probes = stored(store, "SELECT count(*), count(DISTINCT url) FROM probes")[0]
    server.drop_database(store)
    ok_codes = codes[1:] if kill else codes
    if any(c != 0 for c in ok_codes):
        print(f"worker failed: {codes} {errors}", file=sys.stderr)
    return {
        "workers": workers,
        "killed": 1 if kill else 0,
        "wall_s": wall,
        "bound_s": bound,
        "worker_cpu_s": cpu,
        "store_commits": commits,
        "urls": len(expected),
        "wrong": len(wrong),
        "wrong_sample": list(wrong.items())[:3],
        "max_in_flight_per_host": stats["max_inflight_per_host"],
        "hosts_over_cap": stats["hosts_over_cap"],
        "requests": stats["total_requests"],
        "probes": probes[0],
        "lost_at_kill": len(lost),
        "committed_at_kill": len(committed_at_kill),
        "exit_codes": codes,
    }


def status_timing(server: PostgresServer, rows: int, repeat: int) -> dict:
    """`corpus status` over `rows` stored verdicts (schedule rows and probe history)."""
    store = server.create_database()
    # the schema comes with the first connection; the rows go in directly, in bulk
    from citeaudit.corpus.db import connect

    with connect(store) as conn:
        t0 = time.monotonic()
        conn.execute(
            "INSERT INTO corpus_documents (path, sha256, catalog) SELECT 'doc' || d, md5(d::text), "
            "'{}'::json FROM generate_series(1, %s) d",
            (rows // 1000,),
        )
        conn.execute(
            "INSERT INTO corpus_urls (url, host, checked_at, verdict) "
            "SELECT 'https://host' || (i %% 5000) || '.example/p/' || i, "
            "'host' || (i %% 5000) || '.example', "
            "CASE WHEN i %% 10 = 0 THEN NULL ELSE now() - (i %% 14) * interval '1 day' END, "
            "CASE WHEN i %% 10 = 0 THEN NULL WHEN i %% 7 = 0 THEN 'dead' ELSE 'alive' END "
            "FROM generate_series(1, %s) i",
            (rows,),
        )
        conn.execute(
            "INSERT INTO probes (url, checked_at, verdict, http_status, data) "
            "SELECT url, checked_at, verdict, 200, '{}'::json FROM corpus_urls "
            "WHERE checked_at IS NOT NULL"
        )
        conn.execute("VACUUM ANALYZE corpus_urls")
        conn.execute("VACUUM ANALYZE probes")
        fill = time.monotonic() - t0
    times = []
    for _ in range(repeat):
        t0 = time.monotonic()
        status = corpus_status(store, Schedule())
        times.append(time.monotonic() - t0)
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "citeaudit", "corpus", "status", "--store", store],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    cli = time.monotonic() - t0
    server.drop_database(store)
    return {"rows": rows, "fill_s": fill, "median_s": statistics.median(times),
            "best_s": min(times), "cli_s": cli, "status": status.to_json()}  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--full", action="store_true", help="20,000 URLs over 200 hosts")
    p.add_argument("--urls", type=int, default=4000)
    p.add_argument("--hosts", type=int, default=40)
    p.add_argument("--latency", type=float, default=20.0, help="farm latency, ms")
    p.add_argument("--per-host", type=int, default=4)
    p.add_argument("--hosts-at-once", type=int, default=32, help="host jobs per worker")
    p.add_argument("--status-rows", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--no-kill", action="store_true", help="skip the kill -9 run")
    a = p.parse_args()
    if a.full:
        a.urls, a.hosts = 20_000, 200
    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL binaries (initdb, pg_ctl) not found")
    with PostgresServer(bindir, durable=True) as server, tempfile.TemporaryDirectory() as tmp:
        runs = [run_config(server, Path(tmp), a, 1), run_config(server, Path(tmp), a, 3)]
        if not a.no_kill:
            runs.append(run_config(server, Path(tmp), a, 3, kill=True))
        status = status_timing(server, a.status_rows, 5)
    print(f"\ncorpus work: {a.urls} URLs over {a.hosts} hosts, latency {a.latency:g} ms, "
          f"--per-host {a.per_host}, --hosts-at-once {a.hosts_at_once}")  # fmt: skip
    head = f"{'':28}" + "".join(
        f"{label:>16}" for label in ("1 worker", "3 workers", "3, one killed")[: len(runs)]
    )
    print(head)
    rows = [
        ("wall s", "wall_s", "{:.2f}"),
        ("lower bound s", "bound_s", "{:.2f}"),
        ("worker CPU s", "worker_cpu_s", "{:.2f}"),
        ("store commits", "store_commits", "{}"),
        ("wrong verdicts", "wrong", "{}"),
        ("max in flight per host", "max_in_flight_per_host", "{}"),
        ("hosts over cap", "hosts_over_cap", "{}"),
        ("farm requests", "requests", "{}"),
        ("probes stored", "probes", "{}"),
        ("committed at kill", "committed_at_kill", "{}"),
        ("lost of those", "lost_at_kill", "{}"),
        ("exit codes", "exit_codes", "{}"),
    ]
    for label, key, fmt in rows:
        print(f"{label:28}" + "".join(f"{fmt.format(r[key]):>16}" for r in runs))
    print(
        f"{'speed-up vs 1 worker':28}"
        + "".join(f"{runs[0]['wall_s'] / r['wall_s']:>16.2f}" for r in runs)
    )
    for r in runs:
        if r["wrong"]:
            print(f"wrong ({r['workers']} workers): {r['wrong_sample']}")
    print(f"\ncorpus status over {status['rows']:,} verdicts (filled in {status['fill_s']:.1f} s): "
          f"median {status['median_s'] * 1000:.0f} ms, best {status['best_s'] * 1000:.0f} ms "
          f"(library call); CLI process {status['cli_s'] * 1000:.0f} ms")  # fmt: skip
    print(json.dumps(status["status"], sort_keys=True))
    cap_ok = all(r["max_in_flight_per_host"] <= a.per_host for r in runs)
    right = all(r["wrong"] == 0 for r in runs) and all(r["lost_at_kill"] == 0 for r in runs)
    print(f"\nevery verdict right: {right}; per-host cap kept: {cap_ok}; "
          f"status under 1 s: {status['median_s'] < 1.0}")  # fmt: skip


if __name__ == "__main__":
    main()
