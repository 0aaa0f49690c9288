"""Files a document names beside itself (`.bib` files, `\\input` chapters), read safely.

A reader does no I/O itself: it is handed a `Loader`. The sibling loader reads relative names
only, from the document's own directory, as LaTeX does; an absolute name (`/etc/passwd`) is
never read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

Loader = Callable[[str], bytes | None]
"""Reads a file named by the document (`refs.bib`), relative to it; None when there is none."""


def sibling_loader(document: str) -> Loader:
    """A loader reading files beside `document` (its directory; the current one for `-`)."""
    base = Path(document).parent if document != "-" else Path(".")

    def load(name: str) -> bytes | None:
        relative = PurePosixPath(name.replace("\\", "/"))
        if relative.is_absolute() or not relative.parts or Path(name).is_absolute():
            return None
        target = base / relative
        try:
            return target.read_bytes() if target.is_file() else None
        except OSError:
            return None

    return load
