"""The layers follow the data: parsing, the catalog, scoring and reporting never reach the network.

Every import is read with `ast` (those inside functions too) and followed through citeaudit's own
modules, so a reporter that reaches `citeaudit.check` by way of another module fails here.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "citeaudit"

PURE = (
    "citeaudit.report",
    "citeaudit.parse",
    "citeaudit.catalog",
    "citeaudit.catalog.findings",
    "citeaudit.catalog.normalize",
    "citeaudit.catalog.outlets",
    "citeaudit.models",
    "citeaudit.judge.score",
    "citeaudit.judge.policy",
    "citeaudit.judge.hints",
    "citeaudit.judge.acceptance",
)
"""Modules (and packages) that must never import citeaudit.check."""


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in PACKAGE.rglob("*.py")}


@cache
def imports(module: str) -> frozenset[str]:
    """The citeaudit modules one module imports, anywhere in its code."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            candidates = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        else:
            continue
        out.update(c for c in candidates if c in MODULES)
    return frozenset(out)


def reach(module: str) -> dict[str, list[str]]:
    """Every module reachable from `module`, with one import path to it."""
    paths: dict[str, list[str]] = {module: [module]}
    todo = [module]
    while todo:
        current = todo.pop()
        for dep in imports(current):
            if dep not in paths:
                paths[dep] = paths[current] + [dep]
                todo.append(dep)
    return paths


def pure_modules() -> list[str]:
    return sorted(m for m in MODULES if any(m == p or m.startswith(p + ".") for p in PURE))


@pytest.mark.parametrize("module", pure_modules())
def test_never_reaches_the_network(module: str) -> None:
    found = {m: path for m, path in reach(module).items() if m.startswith("citeaudit.check")}
    assert not found, " -> ".join(next(iter(found.values())))


def test_the_walk_sees_the_orchestrator_reach_the_network() -> None:
    # the check itself can fail: the orchestrator does reach citeaudit.check
    assert any(m.startswith("citeaudit.check") for m in reach("citeaudit.audit"))
    assert "citeaudit.report.json" in pure_modules()


# Each module is imported first, with every citeaudit module forgotten before it, so an import
# cycle that only bites in one order (the reason imports used to hide inside functions) fails.
_EACH_FIRST = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "citeaudit" or m.startswith("citeaudit.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
"""


def test_every_module_imports_first() -> None:
    modules = sorted(m for m in MODULES if not m.endswith("__main__"))
    result = subprocess.run(
        [sys.executable, "-c", _EACH_FIRST, *modules], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "", result.stdout


def test_the_first_import_walk_sees_a_cycle(tmp_path: Path) -> None:
    package = tmp_path / "cyc"
    package.mkdir()
    (package / "__init__.py").write_text("from cyc.a import A\n")
    (package / "a.py").write_text("from cyc.b import B\nA = 1\n")
    (package / "b.py").write_text("from cyc.a import A\nB = 2\n")
    result = subprocess.run(
        [sys.executable, "-c", _EACH_FIRST.replace("citeaudit", "cyc"), "cyc.b"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert "cyc.b: ImportError" in result.stdout


TOP_LEVEL = {"__init__", "__main__", "cli", "errors"}
"""The only modules at the top of the package: every other one lives in the folder of its stage."""


def test_the_top_level_holds_only_the_entry_points() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == TOP_LEVEL, f"move {sorted(top - TOP_LEVEL)} into the package of their stage"
