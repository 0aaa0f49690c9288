"""Benchmark the checker against the loopback link farm (../shared/bench/farm.py).

What it measures, and why: the checker must be right, polite and fast at once.
- every verdict right: compared with make_doc.py's expected.json (a soft 404 must be soft_dead);
- polite: the farm's own count of the most requests in flight per host never exceeds --per-host;
- fast: wall time against the lower bound max over hosts of ceil(n_h / C) * L (one round trip per
  URL at C in flight per host), plus start-up; CPU seconds per 1,000 URLs;
- a rerun from a warm cache of 5,000 URLs must take under a second and send no request, from
  the command line too (`citeaudit check` in a subprocess: start-up, parse, cache, report);
- against the polite reference (`reference_checker.py`: raw asyncio GETs, the same per-host cap)
  on the same URLs, in process (after one small warm-up check) and from the command line, and
  on a large document (--big links) with the CLI's peak memory.

Every address is loopback (127.0.0.0/8). Run: `uv run python benchmarks/bench_check.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from citeaudit.check import CheckOptions, CheckRun, check
from citeaudit.check.cache import Cache
from citeaudit.models import LinkStatus

ROOT = Path(__file__).resolve().parents[1]
FARM_DIR = ROOT / "benchmarks" / "farm"  # a copy of ../shared/bench (see its README)
EXPECTED = {
    "ok": LinkStatus.ALIVE,
    "dead": LinkStatus.DEAD,
    "gone": LinkStatus.DEAD,
    "redir": LinkStatus.REDIRECTED,
    "soft404": LinkStatus.SOFT_DEAD,
    "ratelimit": LinkStatus.ALIVE,
    "slow": LinkStatus.ERROR,
    "reset": LinkStatus.ERROR,
}


def start_farm(tmp: Path, hosts: int, latency: float, cap: int) -> tuple[subprocess.Popen, int]:
    """Start farm.py on a free port; returns the process and the port."""
    ready = tmp / "farm.ready"
    proc = subprocess.Popen(
        [sys.executable, str(FARM_DIR / "farm.py"), "--hosts", str(hosts), "--port", "0",
         "--latency", str(latency), "--cap", str(cap), "--ready-file", str(ready),
         "--max-runtime", "600", "--slow-delay", "30"],
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while not ready.exists():
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise SystemExit("farm did not start")
        time.sleep(0.05)
    return proc, json.loads(ready.read_text())["port"]


def make_doc(tmp: Path, n: int, hosts: int, port: int, dup: float, name: str) -> dict:
    """Run make_doc.py and return its expected.json."""
    out = tmp / name
    subprocess.run(
        [sys.executable, str(FARM_DIR / "make_doc.py"), "--n", str(n), "--hosts", str(hosts),
         "--port", str(port), "--dup", str(dup), "--out-dir", str(out)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return json.loads((out / "expected.json").read_text())


def farm_stats(port: int) -> dict:
    """The farm's counters (GET /__stats on the control address)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__stats", timeout=5) as resp:
        return json.loads(resp.read())


def lower_bound(expected: dict, per_host: int, latency_ms: float) -> float:
    """max over hosts of ceil(n_h / C) * L, in seconds."""
    per = expected["meta"]["unique_per_host"].values()
    return max(math.ceil(n / per_host) for n in per) * latency_ms / 1000


def timed_check(urls: list[str], options: CheckOptions, **kw) -> tuple[CheckRun, float, float]:
    """Run check(); return (run, wall seconds, CPU seconds of this process)."""
    c0, t0 = time.process_time(), time.perf_counter()
    result = check(urls, options, **kw)
    return result, time.perf_counter() - t0, time.process_time() - c0


def wrong_verdicts(run, expected: dict) -> list[str]:
    """URLs whose verdict differs from what expected.json implies."""
    bad = []
    for url, info in expected["urls"].items():
        got = run.verdicts[url].status
        if got is not EXPECTED[info["kind"]]:
            bad.append(f"{url}: {info['kind']} -> {got} ({run.verdicts[url].reason})")
    return bad


def httpx_floor(urls: list[str], per_host: int) -> tuple[float, float]:
    """Wall and CPU seconds of bare httpx GETs of the same URLs, `per_host` at a time per host.

    No checker logic at all: what the HTTP library alone costs on this machine, so the checker's
    own overhead can be told from the library's.
    """
    import asyncio

    import httpx

    async def run() -> None:
        clients: dict[str, httpx.AsyncClient] = {}
        limits: dict[str, asyncio.Semaphore] = {}
        tls = httpx.create_ssl_context()  # once: loading the CA store costs ~20 ms a client

        async def one(url: str) -> None:
            host = httpx.URL(url).host
            if host not in clients:
                clients[host] = httpx.AsyncClient(timeout=10.0, verify=tls)
                limits[host] = asyncio.Semaphore(per_host)
            async with limits[host]:
                await clients[host].get(url)

        await asyncio.gather(*(one(u) for u in urls))
        for client in clients.values():
            await client.aclose()

    c0, t0 = time.process_time(), time.perf_counter()
    asyncio.run(run())
    return time.perf_counter() - t0, time.process_time() - c0


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by another process (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    import os

    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def startup_seconds() -> float:
    """Interpreter start plus importing the checker and its HTTP stack, as a probing run pays it."""
    t0 = time.perf_counter()
    # citeaudit.check loads its modules on first use: name what a run that probes loads
    code = "from citeaudit.check import check_urls, make_client"
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t0


def reference_wall(urls: list[str], per_host: int) -> float:
    """Wall seconds of the polite reference checker over `urls`."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from reference_checker import reference

    t0 = time.perf_counter()
    asyncio.run(reference(urls, per_host))
    return time.perf_counter() - t0


def cli_check(doc: Path, cache: Path, per_host: int) -> tuple[float, float, int, float]:
    """`citeaudit check DOC` in a subprocess: wall seconds, peak memory (MB), exit code, CPU s."""
    args = [sys.executable, "-c", "from citeaudit.cli import run; run()", "check", str(doc),
            "--cache", str(cache), "--no-archive", "--allow-private", "--canary", "localhost",
            "--per-host", str(per_host), "--timeout", "10", "-q", "--format", "json"]  # fmt: skip
    # as an installed copy runs: with bytecode cached (kept out of the tree, in a temp folder)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache.parent / "pycache")
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"citeaudit check failed ({proc.returncode}): {err.strip()[-500:]}")
    return wall, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table; exit 1 if a verdict is wrong or a limit broken."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=4000, help="links in the document (5%% repeats)")
    p.add_argument("--hosts", type=int, default=50)
    p.add_argument("--latency", type=float, default=50.0, help="farm latency, ms")
    p.add_argument("--per-host", type=int, default=4)
    p.add_argument("--concurrency", type=int, default=256)
    p.add_argument("--warm", type=int, default=5000, help="URLs in the warm-cache rerun")
    p.add_argument("--big", type=int, default=16000, help="links in the large run (0: none)")
    p.add_argument("--reruns", type=int, default=5, help="CLI warm reruns (the median counts)")
    a = p.parse_args(argv)
    if not (FARM_DIR / "farm.py").exists():
        raise SystemExit(f"farm.py not found at {FARM_DIR}")

    failures: list[str] = []
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        proc, port = start_farm(tmp, a.hosts, a.latency, a.per_host)
        try:
            expected = make_doc(tmp, a.n, a.hosts, port, 0.05, "doc")
            urls = list(expected["urls"])
            bound = lower_bound(expected, a.per_host, a.latency)
            start = startup_seconds()
            rows += [
                ("distinct URLs / hosts", f"{len(urls)} / {a.hosts}"),
                ("kinds", ", ".join(f"{k}={v}" for k, v in expected["meta"]["counts"].items())),
                ("lower bound (max ceil(n_h/C)*L)", f"{bound:.2f} s"),
                ("start-up (python + import)", f"{start:.2f} s"),
            ]
            # the farm's slow and reset kinds would measure timeouts, not the library
            plain = [u for u, i in expected["urls"].items() if i["kind"] not in ("slow", "reset")]
            floor_wall, floor_cpu = httpx_floor(plain, a.per_host)
            ref = reference_wall(plain, a.per_host)
            rows += [
                (
                    "bare httpx GETs, same URLs",
                    f"{floor_wall:.2f} s wall, {floor_cpu / len(plain) * 1000:.2f} CPU-s per 1k",
                ),
                ("polite reference (raw asyncio GETs)", f"{ref:.2f} s wall"),
            ]
            # one small check first: the first in a process imports the HTTP stack (about
            # 0.3 s); these rows measure the checking, the CLI rows below pay for start-up
            tiny = make_doc(tmp, 20, a.hosts, port, 0.0, "tiny")
            timed_check(list(tiny["urls"]), CheckOptions(allow_private=True, timeout=10.0))
            for label, first in (
                ("auto (default)", "auto"),
                ("HEAD first", "head"),
                ("GET first", "get"),
            ):
                before = farm_stats(port)["total_requests"]
                farm_before = process_cpu(proc.pid)
                options = CheckOptions(
                    per_host=a.per_host,
                    concurrency=a.concurrency,
                    allow_private=True,
                    timeout=10.0,
                    first_request=first,
                )
                run, wall, cpu = timed_check(urls, options)
                farm_cpu = process_cpu(proc.pid) - farm_before
                stats = farm_stats(port)
                bad = wrong_verdicts(run, expected)
                failures += [f"{label}: {b}" for b in bad[:10]]
                counts = Counter(str(v.status) for v in run.verdicts.values())
                per_url = (stats["total_requests"] - before) / len(urls)
                verdicts = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
                rows += [
                    (
                        f"[{label}] wall time",
                        f"{wall:.2f} s = {wall / bound:.2f}x bound; bound + start-up "
                        f"{bound + start:.2f} s -> {wall / (bound + start):.2f}x; "
                        f"{wall / ref:.2f}x the reference",
                    ),
                    (
                        f"[{label}] CPU",
                        f"{cpu:.2f} s = {cpu / len(urls) * 1000:.2f} s per 1k URLs "
                        f"(the farm meanwhile: {farm_cpu:.2f} s)",
                    ),
                    (
                        f"[{label}] requests",
                        f"{stats['total_requests'] - before} ({per_url:.2f}/URL)",
                    ),
                    (f"[{label}] wrong verdicts", f"{len(bad)} of {len(urls)}"),
                    (f"[{label}] verdicts", verdicts),
                ]
            # the same document from the command line: start-up, parse, store and report too,
            # after one small run that writes the bytecode cache, as any first run does once
            cli_check(tmp / "tiny" / "doc.txt", tmp / "tiny.sqlite", a.per_host)
            doc_wall, doc_mb, _, doc_cpu = cli_check(tmp / "doc" / "doc.txt", tmp / "doc.sqlite",
                                                     a.per_host)  # fmt: skip
            rows.append(
                (f"CLI cold, the same {len(urls)} URLs",
                 f"{doc_wall:.2f} s = {doc_wall / ref:.2f}x the reference, {doc_cpu:.2f} s CPU, "
                 f"peak {doc_mb:.0f} MB"),
            )  # fmt: skip
            stats = farm_stats(port)
            rows.append(
                ("farm max in flight per host", f"{stats['max_inflight_per_host']} "
                 f"(limit {a.per_host}; hosts over: {stats['hosts_over_cap']})")
            )  # fmt: skip
            if stats["max_inflight_per_host"] > a.per_host:
                failures.append("per-host limit exceeded")

            warm_expected = make_doc(tmp, a.warm, a.hosts, port, 0.0, "warm")
            warm_urls = list(warm_expected["urls"])
            cache = Cache(tmp / "cache.sqlite")
            options = CheckOptions(per_host=a.per_host, concurrency=a.concurrency,
                                   allow_private=True, timeout=10.0)  # fmt: skip
            _, cold, _ = timed_check(warm_urls, options, cache=cache)
            before = farm_stats(port)["total_requests"]
            warm_run, warm, warm_cpu = timed_check(warm_urls, options, cache=cache)
            sent = farm_stats(port)["total_requests"] - before
            cache.close()
            rows += [
                (f"cold run, {len(warm_urls)} URLs, into cache", f"{cold:.2f} s"),
                (f"warm rerun, {len(warm_urls)} URLs", f"{warm:.3f} s wall, {warm_cpu:.3f} s CPU, "
                 f"{warm_run.from_cache} from cache, {sent} requests"),
            ]  # fmt: skip
            if warm >= 1.0 or sent:
                failures.append(f"warm rerun took {warm:.2f} s and sent {sent} requests")

            # the same from the command line: a fresh process, document parse, report
            cli_cache = tmp / "cli.sqlite"
            doc = tmp / "warm" / "doc.txt"
            cli_cold, cli_cold_mb, _, _ = cli_check(doc, cli_cache, a.per_host)
            before = farm_stats(port)["total_requests"]
            # the median of several reruns: on a shared machine one run's wall time is noise
            reruns = sorted(cli_check(doc, cli_cache, a.per_host) for _ in range(a.reruns))
            cli_warm, cli_warm_mb, _, _ = reruns[len(reruns) // 2]
            cli_warm_cpu = sorted(r[3] for r in reruns)[len(reruns) // 2]
            sent = farm_stats(port)["total_requests"] - before
            rows += [
                (f"CLI cold, {len(warm_urls)} URLs",
                 f"{cli_cold:.2f} s, peak {cli_cold_mb:.0f} MB"),
                (f"CLI warm rerun, {len(warm_urls)} URLs (median of {a.reruns})",
                 f"{cli_warm:.2f} s wall ({reruns[0][0]:.2f}-{reruns[-1][0]:.2f}), "
                 f"{cli_warm_cpu:.2f} s CPU, peak {cli_warm_mb:.0f} MB, {sent} requests"),
            ]  # fmt: skip
            if cli_warm >= 1.0 or sent:
                failures.append(f"CLI warm rerun took {cli_warm:.2f} s and sent {sent} requests")

            if a.big:
                big = make_doc(tmp, a.big, a.hosts, port, 0.05, "big")
                big_urls = [u for u, i in big["urls"].items() if i["kind"] not in ("slow", "reset")]
                big_ref = reference_wall(big_urls, a.per_host)
                big_wall, big_mb, _, _ = cli_check(tmp / "big" / "doc.txt", tmp / "big.sqlite",
                                                   a.per_host)  # fmt: skip
                big_bound = lower_bound(big, a.per_host, a.latency)
                rows += [
                    (f"large: {len(big['urls'])} URLs, bound", f"{big_bound:.2f} s"),
                    ("large: polite reference", f"{big_ref:.2f} s"),
                    ("large: CLI cold run (into cache)",
                     f"{big_wall:.2f} s = {big_wall / big_ref:.2f}x the reference, "
                     f"peak {big_mb:.0f} MB"),
                ]  # fmt: skip
                if big_mb >= 150:
                    failures.append(f"large run peaked at {big_mb:.0f} MB")
        finally:
            proc.terminate()
            proc.wait(10)

    width = max(len(k) for k, _ in rows)
    print(f"{'measure'.ljust(width)} | value")
    print(f"{'-' * width}-+-{'-' * 40}")
    for k, v in rows:
        print(f"{k.ljust(width)} | {v}")
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
