"""The README's worked example of `--baseline`, made by a real run on loopback outlets.

The sample's outlets are played as in `tests/fix/sample_outlets.py`. The first run saves its
report; before the second, every reuters.com link starts answering 404, and the second run is
compared with the first. Run as a script (`uv run python -m tests.evidence.baseline_example`) it
prints the transcript; `tests/evidence/test_baseline.py` checks the README shows exactly it.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
from pathlib import Path
from unittest import mock

from citeaudit.audit import check_documents
from citeaudit.documents import load_catalog
from citeaudit.evidence.baseline import apply_baseline, from_results
from citeaudit.judge.policy import exit_code, parse_fail_on
from citeaudit.report import Format, render

from ..fix import sample_outlets
from ..fix.sample_outlets import ROOT, SAMPLE, outlets

REUTERS = "www.reuters.com"


def transcript(folder: Path) -> str:
    """Check the sample twice on loopback outlets, the second time against the first."""
    catalog = load_catalog(SAMPLE)
    reuters = {s.url for _, s in catalog.sources() if REUTERS in s.url}
    fail_on = parse_fail_on(("lost",))
    with outlets(catalog, folder / "ca.pem") as options:
        plain = dataclasses.replace(options, archive=None)  # the transcript's --no-archive
        first = check_documents([catalog], plain)
    with (
        mock.patch.object(sample_outlets, "DEAD", sample_outlets.DEAD | reuters),
        outlets(catalog, folder / "ca.pem") as options,
    ):
        again = check_documents([catalog], dataclasses.replace(options, archive=None))
    compared = apply_baseline(again, from_results(first))
    return (
        f"$ uv run citeaudit check {SAMPLE} --format json -o baseline.json\n"
        f"[exit {exit_code(first, fail_on)}]\n"
        f"$ uv run citeaudit check {SAMPLE} --format markdown --baseline baseline.json\n"
        + render(compared, Format.MARKDOWN)
        + f"[exit {exit_code(compared, fail_on)}]\n"
    )


def main() -> None:
    """Print the worked example (run from the repository root)."""
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as folder:
        sys.stdout.write(transcript(Path(folder)))


if __name__ == "__main__":
    main()
