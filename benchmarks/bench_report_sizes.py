"""The report sizes at 500 and 5,000 links on the loopback farm, beside the limits they must keep.

A real run each (`tests/report/at_scale.py`: the screenshot script's farm and generated
document, `citeaudit check` writing every format, then a second run from the cache beside the
first run's report as a baseline). Prints one row per measure: the terminal's lines without
--verbose, the Markdown's characters with and without a baseline, the GitHub annotations per
level, whether SARIF passes the official schema (and the SARIF multitool's GitHub rules, when
installed) and JUnit the committed junit-10.xsd.

    uv run python benchmarks/bench_report_sizes.py [--links 500 5000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.report.at_scale import LEVELS, farm_run, validate_junit, validate_sarif  # noqa: E402
from tests.report.test_sarif import _multitool, github_problems  # noqa: E402


def _ok(check: object, *args: object) -> str:
    try:
        check(*args)  # type: ignore[operator]
    except Exception as error:  # noqa: BLE001  (any failure is what the table reports)
        return f"invalid: {str(error).splitlines()[0][:60]}"
    return "valid"


def main(argv: list[str] | None = None) -> int:
    """Run the farm at each size and print the measures side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, nargs="+", default=[500, 5000])
    args = parser.parse_args(argv)
    tool = _multitool()
    rows: dict[str, list[str]] = {}
    limits = {
        "URLs checked": "",
        "check run, s": "",
        "terminal lines": "< 80",
        "Markdown chars": "<= 65,536",
        "Markdown chars, baseline": "<= 65,536",
        **{f"GitHub {level}": "<= 10" for level in LEVELS},
        "GitHub summary first": "yes",
        "SARIF schema": "valid",
        "SARIF GitHub rules": "no problems",
        "JUnit XSD": "valid",
    }
    for links in args.links:
        with tempfile.TemporaryDirectory() as tmp:
            m = farm_run(Path(tmp), links)
            github = "not installed"
            if tool:
                found = github_problems(tool, m.sarif, Path(tmp))
                github = "no problems" if not found else f"{len(found)} problems"
            values = {
                "URLs checked": f"{m.urls:,}",
                "check run, s": f"{m.seconds:.1f}",
                "terminal lines": str(m.terminal_lines),
                "Markdown chars": f"{m.markdown_chars:,}",
                "Markdown chars, baseline": f"{m.baseline_markdown_chars:,}",
                **{f"GitHub {level}": str(m.annotations.get(level, 0)) for level in LEVELS},
                "GitHub summary first": "yes" if m.summary_first else "no",
                "SARIF schema": _ok(validate_sarif, m.sarif),
                "SARIF GitHub rules": github,
                "JUnit XSD": _ok(validate_junit, m.junit),
            }
        for name, value in values.items():
            rows.setdefault(name, []).append(value)
    header = ["measure", "limit", *(f"{n:,} links" for n in args.links)]
    table = [header] + [[name, limits[name], *values] for name, values in rows.items()]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for r in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
