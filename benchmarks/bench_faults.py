"""Run the fault suite of issue 6 and print one table: fault, verdict, seconds, peak memory.

    uv run python benchmarks/bench_faults.py

Every fault (reset, half-open, slowloris, endless body, gzip bomb, header flood, bad TLS,
redirect loops and chains, redirects to other schemes and to cloud metadata, 429 storms with
absurd Retry-After, HEAD 200 / GET 404) is served on loopback by `tests/hardening/faults.py`,
the same definitions the tests use, and checked by the real checker with --timeout 1. A row is
PASS when the verdict is right and the run stayed within its budget; the exit status is 1 if
any row fails. Peak memory is the Python heap's peak during the check (tracemalloc).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trustme  # noqa: E402

from tests.hardening.faults import SCENARIOS, TIMEOUT, run_scenario  # noqa: E402


def main() -> int:
    """Run every scenario and print the table."""
    ca = trustme.CA()
    print(f"--timeout {TIMEOUT:g} s, --retries 0 unless the fault says otherwise\n")
    head = f"{'fault':<34} {'verdict':<9} {'seconds':>7} {'budget':>6} {'peak MB':>8}  ok    reason"
    print(head)
    print("-" * len(head))
    failed = 0
    for scenario in SCENARIOS:
        outcome = run_scenario(scenario, ca)
        v = outcome.verdict
        ok = v.status in scenario.expect and outcome.seconds < scenario.budget
        failed += not ok
        print(
            f"{scenario.name:<34} {v.status.value:<9} {outcome.seconds:>7.2f} "
            f"{scenario.budget:>6.1f} {outcome.peak_bytes / 1e6:>8.1f}  "
            f"{'PASS' if ok else 'FAIL'}  {v.reason[:70]}"
        )
    print(f"\n{len(SCENARIOS) - failed}/{len(SCENARIOS)} faults handled right and in time")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
