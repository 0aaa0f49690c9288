"""Helpers for the configuration tests: a repository with a document two folders down."""

from __future__ import annotations

from pathlib import Path

import pytest


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository root with a document two directories down."""
    write(tmp_path / "repo" / "docs" / "2023" / "report.md", "text\n")
    return tmp_path / "repo"


def doc(repo: Path) -> Path:
    return repo / "docs" / "2023" / "report.md"
