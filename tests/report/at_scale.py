"""The issue's "done when", measured on a real run: the farm, a generated document, `check`.

Shared by `tests/report/test_at_scale.py` (500 links) and `benchmarks/bench_report_sizes.py`
(500 and 5,000, by hand). The loopback link farm and its generator are the screenshot script's
(`docs/make_screenshots.py`): outlets named through `--resolve`, nothing leaves 127.0.0.0/8. A
first run writes every format; a second run, from the first one's cache, is compared with the
first run's report as a baseline, so every problem is already known.
"""

from __future__ import annotations

import collections
import importlib.util
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import xmlschema

HERE = Path(__file__).resolve().parent
SCRIPT = HERE.parents[1] / "docs" / "make_screenshots.py"
SARIF_SCHEMA = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
JUNIT_XSD = HERE.parent / "fixtures" / "junit" / "junit-10.xsd"
LEVELS = ("error", "warning", "notice")


def screenshot_script() -> ModuleType:
    """docs/make_screenshots.py as a module: its farm, Wayback stand-in and document writer."""
    spec = importlib.util.spec_from_file_location("make_screenshots", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Measured:
    """What one farm run's reports came to."""

    urls: int
    seconds: float
    terminal_lines: int
    markdown_chars: int
    baseline_markdown_chars: int
    summary_first: bool
    annotations: dict[str, int]
    sarif: dict[str, Any]
    junit: str
    folder: Path


def annotation_levels(text: str) -> list[str]:
    """The level of each workflow-command line (`::error ...` -> `error`)."""
    return [line[2:].split(" ", 1)[0].split("::", 1)[0] for line in text.splitlines()]


def validate_sarif(log: dict[str, Any]) -> None:
    """Raise unless the log is valid against the official SARIF 2.1.0 schema."""
    cls = jsonschema.validators.validator_for(SARIF_SCHEMA)
    cls(SARIF_SCHEMA, format_checker=cls.FORMAT_CHECKER).validate(log)


def validate_junit(text: str) -> None:
    """Raise unless the XML is valid against the committed junit-10.xsd."""
    xmlschema.XMLSchema(JUNIT_XSD).validate(text)


def _check(folder: Path, doc: Path, resolve: list[str], *extra: str) -> subprocess.CompletedProcess:
    command = [
        sys.executable, "-m", "citeaudit", "check", doc.name, *resolve, "--allow-private",
        "--canary", "localhost", "--cache", "cache.sqlite", "--no-archive", "--timeout", "2",
        "--retries", "1", "--per-host", "8", *extra,
    ]  # fmt: skip
    # No GitHub variables: the run must not append to a real job summary.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["COLUMNS"] = "120"
    return subprocess.run(
        command, cwd=folder, capture_output=True, text=True, env=env, timeout=900, check=False
    )


def farm_run(folder: Path, links: int) -> Measured:
    """Check a `links`-link farm document, write every format, and measure them."""
    script = screenshot_script()
    with script.farm(folder) as port:
        doc, resolve = script.write_document(folder, links, port)
        start = time.monotonic()
        first = _check(
            folder, doc, resolve, "-o", "json=r.json", "-o", "markdown=r.md", "-o",
            "sarif=r.sarif", "-o", "junit=r.xml", "-o", "github=r.github",
        )  # fmt: skip
        seconds = time.monotonic() - start
        assert first.returncode == 1, first.stderr  # 1: findings, which the farm is made to have
        again = _check(folder, doc, resolve, "-q", "--baseline", "r.json", "-o", "markdown=b.md")
        assert again.returncode == 0, again.stderr  # nothing new since the baseline
    github = (folder / "r.github").read_text(encoding="utf-8")
    levels = annotation_levels(github)
    report = json.loads((folder / "r.json").read_text(encoding="utf-8"))
    return Measured(
        urls=len(report["sources"]),
        seconds=seconds,
        terminal_lines=len(first.stdout.splitlines()),
        markdown_chars=len((folder / "r.md").read_text(encoding="utf-8")),
        baseline_markdown_chars=len((folder / "b.md").read_text(encoding="utf-8")),
        summary_first=github.startswith("::notice title=citeaudit summary::"),
        annotations=dict(collections.Counter(levels[1:])),
        sarif=json.loads((folder / "r.sarif").read_text(encoding="utf-8")),
        junit=(folder / "r.xml").read_text(encoding="utf-8"),
        folder=folder,
    )
