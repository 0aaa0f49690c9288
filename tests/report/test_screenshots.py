"""docs/make_screenshots.py: the README's screenshots come from a real run on the loopback farm.

A small run of the same script (40 links instead of 500) so the script cannot rot unnoticed: the
farm starts, `citeaudit check` probes every link and asks the Wayback stand-in, and Chromium shoots
the page it wrote.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from .browser import chromium_path

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "make_screenshots.py"


def _script():
    spec = importlib.util.spec_from_file_location("make_screenshots", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_screenshots_come_from_a_farm_run(tmp_path: Path) -> None:
    chromium_path()  # skip (or fail in CI) without Chromium
    pytest.importorskip("playwright.sync_api")
    from PIL import Image

    out, kept = tmp_path / "out", tmp_path / "run"
    out.mkdir()
    assert _script().main(["--links", "40", "--out", str(out), "--keep", str(kept)]) == 0
    for name in ("html-report.png", "html-report-claims.png"):
        assert Image.open(out / name).size == (1280, 2000)
    report = json.loads((kept / "farm-report.json").read_text(encoding="utf-8"))
    sources = report["sources"]
    assert {"alive", "dead"} <= {s["verdict"] for s in sources}  # probed on the farm
    assert all(s["url"].split("/")[2].split(":")[1].isdigit() for s in sources)  # its port
    assert report["run"]["archive"] == "wayback" and any(s["archive"] for s in sources)
    html = (kept / "farm-report.html").read_text(encoding="utf-8")
    assert 'id="chart-kinds"' in html and 'data-outlet-kind="government"' in html
