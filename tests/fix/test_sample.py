"""The README's worked example of `fix`: the sample report, its outlets on loopback, a real diff."""

from __future__ import annotations

import re

import pytest

from . import outlets as small
from .sample_outlets import ROOT, SAMPLE, check_sample, worked_example

README = (ROOT / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.skipif(not (ROOT / SAMPLE).exists(), reason="sample report not present")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("sample")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        yield (folder, *worked_example(folder))


def test_every_change_of_the_diff_says_what_and_why(example) -> None:
    _, transcript, _, result = example
    summary, _, diff = transcript.partition("--- a/")
    kinds = {str(e.kind) for e in result.edits}
    assert kinds == {"archive", "typo", "redirect"}
    # The summary: one entry per change, each with its reason, then each fix not made.
    assert summary.count("    because: ") == len(result.edits)
    for edit in result.edits:
        assert f"line {edit.line} col {edit.column} note {edit.note}, {edit.kind}: " in summary
    # The diff: each hunk header names the notes and kinds of the changes inside it, and the
    # lines it changes are exactly the lines the changes name.
    headers = re.findall(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@ (.+)$", diff, re.M)
    assert headers
    named = {(e.note, str(e.kind)) for e in result.edits}
    seen = set()
    for start, length, why in headers:
        lines = range(int(start), int(start) + int(length or 1))
        inside = {(e.note, str(e.kind)) for e in result.edits if e.line in lines}
        assert why == "; ".join(sorted(f"note {n} {k}" for n, k in inside))
        seen |= inside
    assert seen == named
    minus = [
        line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")
    ]
    assert len(minus) == len({e.line for e in result.edits})


def test_checking_the_fixed_sample_again(example) -> None:
    folder, _, first, result = example
    fixed = folder / "fixed.txt"
    fixed.write_bytes(result.after)
    again = check_sample(str(fixed), folder)
    # Left lost: a post with no capture, and a misspelt domain whose right spelling nobody cited.
    assert small.lost(first) == sorted(
        [
            "https://apnews.com/article/iran-russia-syria-military-fighter-jets-449a4c6fc9ab90981914c77e2d2907f",
            "https://eyeofephbrates.com/ar/news/2023/07/13/9120",
            "https://t.me/jharmous/997",
            "https://t.me/jharnous/989",
        ]
    )
    assert small.lost(again) == [
        "https://eyeofephbrates.com/ar/news/2023/07/13/9120",
        "https://t.me/jharnous/989",
    ]
    # Left moved: the defanged kremlin.ru link, which fix writes live only with refang.
    assert small.permanent_redirects(again) == [
        "http://www.kremlin.ru/catalog/countries/SY/events/70676"
    ]


def test_the_readme_shows_this_very_run(example) -> None:
    _, transcript, _, _ = example
    assert transcript in README, (
        "the README's worked example of fix is out of date: "
        "replace it with the output of `uv run python -m tests.fix.sample_outlets`"
    )
