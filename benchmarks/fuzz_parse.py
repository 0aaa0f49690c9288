"""Fuzz every input format's parser for a fixed time and print executions and crashes.

    uv run python benchmarks/fuzz_parse.py --seconds 60 [--seed N] [--save DIR]

Each format gets an equal share of the time. A crash is any exception other than citeaudit's
own errors (an InputError is the right answer to a broken file) or a parse running past the
hang limit; crashing inputs are written to --save (default: a temporary directory) so each can
become a regression test. Exit status 1 when anything crashed. Never run by the test suite.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hardening.fuzzing import MUTATORS, fuzz  # noqa: E402


def main() -> int:
    """Run the fuzzer and print one table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--save", type=Path, default=None)
    ap.add_argument("--formats", default=",".join(MUTATORS))
    args = ap.parse_args()
    warnings.simplefilter("ignore")  # bs4 warns about every undecodable byte
    formats = args.formats.split(",")
    save = args.save or Path(tempfile.mkdtemp(prefix="citeaudit-fuzz-"))
    save.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    rows = []
    total_crashes = 0
    for fmt in formats:
        t0 = time.monotonic()
        runs, crashes = fuzz(fmt, args.seconds / len(formats), rng, time.monotonic)
        took = time.monotonic() - t0
        kinds = Counter(f"{c.kind}: {c.message}" for c in crashes)
        for i, crash in enumerate(crashes):
            (save / f"{fmt}-{i}.bin").write_bytes(crash.data)
        rows.append((fmt, runs, runs / took if took else 0.0, len(crashes), len(kinds)))
        total_crashes += len(crashes)
        for kind, n in kinds.most_common(5):
            print(f"  {fmt}: {n} x {kind}", file=sys.stderr)
    print(f"{'format':<10} {'executions':>10} {'exec/s':>8} {'crashes':>8} {'unique':>7}")
    for fmt, runs, rate, n, unique in rows:
        print(f"{fmt:<10} {runs:>10} {rate:>8.1f} {n:>8} {unique:>7}")
    print(f"{'total':<10} {sum(r[1] for r in rows):>10} {'':>8} {total_crashes:>8}")
    if total_crashes:
        print(f"crashing inputs saved in {save}", file=sys.stderr)
    return 1 if total_crashes else 0


if __name__ == "__main__":
    sys.exit(main())
