"""Every entry point of the parsers imports on its own, first, in a fresh interpreter.

parse.urls reads the public suffix list from the catalog, and the catalog finds URLs with
parse.urls: a program that imports a parser before the catalog must not meet a half-loaded
module.
"""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module", ["citeaudit.parse.urls", "citeaudit.parse.formats", "citeaudit.parse.links"]
)
def test_imports_first_in_a_fresh_interpreter(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
