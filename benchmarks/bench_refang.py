"""Benchmark refanging and URL finding: recovery of the defang vocabulary, speed, size limits.

Run it by hand (it is never collected by pytest):

    uv run --group bench python benchmarks/bench_refang.py [--quick] [--dev-zero]

Four measurements, each printed as a table, side by side with iocextract where it applies:

1. Recovery: every row of the defang table (tests/parse/refang_table.py: the forms of issue 11
   plus the rules ioc-fanger and iocextract document) written inside a sentence; a row counts
   when the exact URL comes out.
2. Speed of `urls` (`catalog.urls_in_text`: find, refang, normalize every URL) over ~1.5 MB of
   real endnotes (endnotes/isw-2023-08-03-syria.txt repeated, every URL varied so nothing is a
   cache hit), against `iocextract.extract_urls(refang=True)` on the same text. CPU time, best
   of three.
3. One note holding a million URLs: parsed, or refused with one line, within 10 s.
4. With --dev-zero: `citeaudit urls /dev/zero` is refused with one line at the 512 MB cap.

Targets (issue 11) are marked PASS or FAIL; the exit status is 1 if any fails. Nothing here
touches the network: sockets are disabled before iocextract is imported.
"""

from __future__ import annotations

import argparse
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from citeaudit.catalog import note_sources, urls_in_text  # noqa: E402
from citeaudit.errors import InputError  # noqa: E402
from citeaudit.models import Span  # noqa: E402
from citeaudit.parse.raw import RawNote  # noqa: E402
from citeaudit.parse.urls import find_urls  # noqa: E402
from tests.parse.refang_table import TABLE  # noqa: E402

ENDNOTES = ROOT / "endnotes" / "isw-2023-08-03-syria.txt"
_HOST = re.compile(r"(?<=://)(?:www\.)?([A-Za-z0-9-]+)")


def _no_network(*args: object, **kwargs: object) -> None:
    raise OSError("network disabled by bench_refang.py")


def disable_network() -> None:
    """Make any attempt to connect or resolve fail loudly (the benchmark must be offline)."""
    socket.socket.connect = _no_network  # type: ignore[method-assign]
    socket.create_connection = _no_network  # type: ignore[assignment]
    socket.getaddrinfo = _no_network  # type: ignore[assignment]


def cpu(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best CPU time of `repeat` runs (CPU, not wall: the machine is shared)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def citeaudit_recovers(written: str, url: str) -> bool:
    """Whether citeaudit finds exactly `url` in a sentence holding `written`."""
    return [r.url for r in find_urls(f"See {written} for details.")] == [url]


def iocextract_recovers(written: str, url: str) -> bool:
    """Whether iocextract (refang=True) yields exactly `url` from the same sentence."""
    import iocextract

    try:
        found = list(iocextract.extract_urls(f"See {written} for details.", refang=True))
    except Exception:  # noqa: BLE001 - a competitor's crash is a miss, not a benchmark failure
        return False
    return url in found


def recovery() -> tuple[float, float]:
    """Print the per-form table; return both recovery rates."""
    print(f"{'form as written':46} {'citeaudit':>9} {'iocextract':>10}")
    ours = theirs = 0
    for written, url, _ in TABLE:
        a, b = citeaudit_recovers(written, url), iocextract_recovers(written, url)
        ours += a
        theirs += b
        print(f"{written!r:46} {'yes' if a else '-':>9} {'yes' if b else '-':>10}")
    n = len(TABLE)
    print(f"{'recovered':46} {ours:>5}/{n:<3} {theirs:>6}/{n:<3}")
    return ours / n, theirs / n


def endnote_text(target: int) -> str:
    """About `target` bytes of the sample's text, every copy with its own hosts."""
    base = ENDNOTES.read_text(encoding="utf-8")
    parts: list[str] = []
    size = 0
    copy = 0
    while size < target:
        copy += 1
        part = _HOST.sub(lambda m, c=copy: f"{m.group(0)}{c}", base)  # type: ignore[misc]
        parts.append(part)
        size += len(part.encode())
    return "".join(parts)


def speed(quick: bool) -> tuple[float, float, int]:
    """Print the `urls` speed table; return both CPU times and the text size."""
    import iocextract

    text = endnote_text(300_000 if quick else 1_500_000)
    size = len(text.encode())
    ours = cpu(lambda: urls_in_text(text))
    theirs = cpu(lambda: list(iocextract.extract_urls(text, refang=True)))
    n_ours = len(urls_in_text(text))
    n_theirs = len(list(iocextract.extract_urls(text, refang=True)))
    print(f"{'extractor':34} {'CPU s':>7} {'MB/s':>7} {'URLs':>7}")
    for name, t, found in (
        ("citeaudit urls (find+normalize)", ours, n_ours),
        ("iocextract extract_urls(refang)", theirs, n_theirs),
    ):
        print(f"{name:34} {t:7.3f} {size / 1e6 / t:7.2f} {found:7}")
    print(f"text: {size / 1e6:.2f} MB; ratio iocextract/citeaudit = {theirs / ours:.2f}")
    return ours, theirs, size


def million(quick: bool) -> tuple[float, str]:
    """Parse one note of a million URLs (100,000 with --quick); return CPU time and outcome."""
    n = 100_000 if quick else 1_000_000
    text = " ".join(f"https://a{i}.example/x{i}" for i in range(n))
    note = RawNote(1, Span(1, 1), text)
    t0 = time.process_time()
    try:
        outcome = f"parsed {len(note_sources(note)):,} sources"
    except InputError as exc:
        outcome = f"refused: {exc}"
    elapsed = time.process_time() - t0
    print(f"{n:,} URLs in one note: {elapsed:.2f} s CPU, {outcome}")
    return elapsed, outcome


def per_url() -> float:
    """CPU microseconds per URL to find, refang and normalize 100,000 URLs in one note."""
    n = 100_000
    text = " ".join(f"https://a{i}.example/p/{i}?q={i}" for i in range(n))
    note = RawNote(1, Span(1, 1), text)
    t0 = time.process_time()
    note_sources(note)
    micros = (time.process_time() - t0) / n * 1e6
    print(f"{n:,} distinct URLs in one note: {micros:.1f} us CPU per URL (find + normalize)")
    return micros


def dev_zero() -> tuple[float, str, int]:
    """Run `citeaudit urls /dev/zero`; return wall seconds, its stderr and exit status."""
    t0 = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "citeaudit", "urls", "/dev/zero"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    elapsed = time.monotonic() - t0
    print(
        f"citeaudit urls /dev/zero: exit {done.returncode} after {elapsed:.1f} s: {done.stderr!r}"
    )
    return elapsed, done.stderr, done.returncode


def main() -> int:
    """Run every measurement and print PASS/FAIL per target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs")
    parser.add_argument("--dev-zero", action="store_true", help="also read /dev/zero to the cap")
    args = parser.parse_args()
    disable_network()
    targets: list[tuple[str, bool]] = []

    print("\n## Recovery of the defang table\n")
    ours, theirs = recovery()
    targets.append((f"recovery {ours:.0%} >= iocextract {theirs:.0%}", ours >= theirs))

    print("\n## `urls` over real endnotes\n")
    t_ours, t_theirs, _ = speed(args.quick)
    targets.append(("urls at least as fast as iocextract", t_ours <= t_theirs))

    print("\n## One note, a million URLs\n")
    elapsed, outcome = million(args.quick)
    one_line = "\n" not in outcome
    targets.append(("1M URLs parsed or refused with one line in < 10 s", elapsed < 10 and one_line))

    micros = per_url()
    targets.append(
        (f"catalog cost per URL {micros:.0f} us, under 300 us (was ~0.3 ms)", micros < 300)
    )

    if args.dev_zero:
        print("\n## /dev/zero\n")
        wall, stderr, code = dev_zero()
        ok = code != 0 and stderr.count("\n") == 1 and "MemoryError" not in stderr
        targets.append(("/dev/zero refused with one line", ok))

    print("\n## Targets\n")
    for name, ok in targets:
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(ok for _, ok in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
