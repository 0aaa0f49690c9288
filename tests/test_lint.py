"""ruff (lint, import order, format) and mypy stay clean: CI runs them through the test suite."""

from __future__ import annotations

import ast
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


DEFERRED = "# deferred:"
"""The mark an import inside a function carries, followed by its reason (start-up time, an
optional dependency). A cycle is not a reason: move the shared name to the module it belongs to."""


def _deferred_without_reason(source: str) -> list[int]:
    """Lines of function-level imports with no `# deferred:` comment on them or just above.

    Consecutive import statements form one block: the comments above its first line cover all.
    """
    lines = source.splitlines()
    found: list[int] = []
    for func in ast.walk(ast.parse(source)):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for body in _bodies(func):
            first: ast.stmt | None = None
            for stmt in body:
                if not isinstance(stmt, ast.Import | ast.ImportFrom):
                    first = None
                    continue
                first = first or stmt
                own = lines[stmt.lineno - 1 : (stmt.end_lineno or stmt.lineno)]
                if not any(DEFERRED in line for line in [*own, *_comments_above(lines, first)]):
                    found.append(stmt.lineno)
    return found


def _comments_above(lines: list[str], stmt: ast.stmt) -> list[str]:
    """The comment lines right above a statement (a reason may take a few lines)."""
    out: list[str] = []
    index = stmt.lineno - 2
    while index >= 0 and lines[index].lstrip().startswith("#"):
        out.append(lines[index])
        index -= 1
    return out


def _bodies(func: ast.AST) -> list[list[ast.stmt]]:
    """Every statement list inside a function (if/try/with/loop bodies too), not nested defs'."""
    out: list[list[ast.stmt]] = []
    todo = [func]
    while todo:
        node = todo.pop()
        for name in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(node, name, None)
            if (
                isinstance(block, list)
                and block
                and isinstance(block[0], ast.stmt | ast.excepthandler)
            ):
                if isinstance(block[0], ast.stmt):
                    out.append(block)
                todo.extend(
                    b for b in block if not isinstance(b, ast.FunctionDef | ast.AsyncFunctionDef)
                )
    return out


def test_imports_sit_at_the_top_unless_deferred_for_a_reason() -> None:
    unmarked = {
        str(p.relative_to(ROOT)): lines
        for p in sorted((ROOT / "citeaudit").rglob("*.py"))
        if (lines := _deferred_without_reason(p.read_text(encoding="utf-8")))
    }
    assert not unmarked, f"imports inside functions without a {DEFERRED!r} reason: {unmarked}"


def test_the_import_walk_sees_an_unmarked_import() -> None:
    source = (
        "def f():\n"
        "    # deferred: start-up,\n"
        "    # a reason of two lines\n"
        "    import json\n"
        "    import csv\n"
        "    x = 1\n"
        "    import os\n"
        "    if x:\n"
        "        import re  # deferred: start-up\n"
        "        import sys\n"
        "    def g():\n"
        "        import io\n"
    )
    # csv shares the comment above its block; sys does not share re's trailing one
    assert sorted(_deferred_without_reason(source)) == [7, 10, 12]
