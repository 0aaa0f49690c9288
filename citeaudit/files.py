"""Writing a file so that a reader, or an interrupted run, never sees half of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from citeaudit.errors import ReportError


def write_bytes_atomic(
    path: str | os.PathLike[str], data: bytes, *, mode_from: Path | None = None
) -> None:
    """Write `data` to `path` via a temporary file in the same folder and a rename.

    The file gets the mode of `mode_from`, else of the file it replaces, else what a plain
    open() would give (mkstemp makes it private otherwise).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ReportError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        like = mode_from if mode_from is not None else (target if target.exists() else None)
        if like is not None:
            os.chmod(tmp, like.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ReportError(f"{path}: cannot write: {exc.strerror or exc}") from exc
