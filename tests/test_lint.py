"""ruff (lint, import order, format) and mypy stay clean: CI runs them through the test suite."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff not installed")
def test_ruff_check() -> None:
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff not installed")
def test_ruff_format() -> None:
    result = _run("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = _run(sys.executable, "-m", "mypy", "citeaudit")
    assert result.returncode == 0, result.stdout + result.stderr


MAX_LINES = 400
"""STYLE.md: small modules. A module that grows past this is split along a seam."""


def test_every_module_is_small() -> None:
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in (ROOT / "citeaudit").rglob("*.py")
    }
    assert sizes  # the walk found the package
    too_big = {path: n for path, n in sizes.items() if n >= MAX_LINES}
    assert not too_big, f"modules of {MAX_LINES} lines or more: {too_big}"
