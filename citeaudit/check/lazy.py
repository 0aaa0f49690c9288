"""A package's names imported from their modules on first use (PEP 562's module `__getattr__`).

Why: `citeaudit.check` and `citeaudit.check.archive` run first on every import below them, and
importing their probing modules eagerly loads httpx, httpcore and h11, which a run answered
wholly from the store never needs.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package` that imports each name of `homes` when first asked."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        setattr(sys.modules[package], name, value)  # asked once: later reads skip this hook
        return value

    return __getattr__
