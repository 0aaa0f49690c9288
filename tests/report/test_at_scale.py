"""Reports that fit their readers at any size: a 500-link farm run, and 5,000 URLs rendered.

The farm run is real (the loopback farm, a generated 500-link document, `citeaudit check` as a user
runs it), so every limit is checked on what a user would get. At 5,000 links the limits depend
only on the result, not on how it was probed: those are checked on a synthetic 5,000-URL result,
without network (the terminal, Markdown and GitHub limits in test_table, test_markdown and
test_github; SARIF and JUnit validity here). `benchmarks/bench_report_sizes.py` runs the farm at
5,000 too and prints the same measures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citeaudit.report import Format, render
from citeaudit.report.github import SHOWN_PER_LEVEL
from citeaudit.report.markdown import GITHUB_COMMENT_LIMIT
from citeaudit.report.sarif import to_sarif

from .at_scale import LEVELS, Measured, farm_run, validate_junit, validate_sarif
from .test_markdown import large_result
from .test_sarif import github_problems, multitool  # noqa: F401  (multitool: a fixture)

LINKS = 500


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> Measured:
    return farm_run(tmp_path_factory.mktemp("farm"), LINKS)


def test_the_terminal_fits_one_screen(measured: Measured) -> None:
    assert measured.urls > 400  # the generator repeats a few URLs
    assert 20 < measured.terminal_lines < 80


def test_the_markdown_fits_a_github_comment_with_and_without_a_baseline(measured: Measured):
    assert measured.markdown_chars <= GITHUB_COMMENT_LIMIT
    assert measured.baseline_markdown_chars <= GITHUB_COMMENT_LIMIT
    # Beside a baseline that knows everything, the lists collapse to counts.
    assert measured.baseline_markdown_chars < measured.markdown_chars / 2
    text = (measured.folder / "r.md").read_text(encoding="utf-8")
    assert text.count("<details>") == text.count("</details>") >= 3


def test_github_shows_a_summary_then_at_most_ten_a_level(measured: Measured) -> None:
    assert measured.summary_first
    assert set(measured.annotations) <= set(LEVELS)
    assert all(n <= SHOWN_PER_LEVEL for n in measured.annotations.values())
    assert measured.annotations.get("error") == SHOWN_PER_LEVEL  # the farm has many lost links


def test_sarif_and_junit_are_valid(measured: Measured) -> None:
    validate_sarif(measured.sarif)
    validate_junit(measured.junit)
    assert measured.sarif["runs"][0]["results"]


def test_sarif_passes_github_rules(measured: Measured, multitool: str, tmp_path: Path):  # noqa: F811
    assert github_problems(multitool, measured.sarif, tmp_path) == []


def test_sarif_and_junit_of_5000_urls_are_valid() -> None:
    result = large_result(5000)
    log = to_sarif([result], root=Path("/work/repo"))
    validate_sarif(log)
    assert len(log["runs"][0]["results"]) > 1000
    junit = render([result], Format.JUNIT)
    validate_junit(junit)
    assert junit.count("<testcase ") == 5000
