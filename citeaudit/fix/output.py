"""Write a fixed document: atomically, never over an input, with a backup when in place.

`-o OUT` writes a new file and refuses a path that is the document or the report being read.
`--in-place` first copies the original to `FILE.orig` (refusing when that backup already
exists, since overwriting it would lose an earlier original), then replaces the file through a
temporary file and a rename, so an interrupted run leaves either the old or the new document.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from citeaudit.errors import InputError, ReportError


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def write_bytes_atomic(
    path: str | os.PathLike[str], data: bytes, *, mode_from: Path | None = None
) -> None:
    """Write `data` to `path` via a temporary file in the same folder and a rename."""
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


def write_copy(out: str, data: bytes, *, inputs: Iterable[str]) -> None:
    """Write the fixed copy to `out`; ReportError when `out` is one of the `inputs`."""
    for name in inputs:
        if name != "-" and _same(Path(out), Path(name)):
            raise ReportError(f"{out}: refusing to overwrite the input {name} (use --in-place)")
    write_bytes_atomic(out, data)


def backup_path(path: str) -> Path:
    """Where `--in-place` keeps the original."""
    return Path(f"{path}.orig")


def write_in_place(path: str, original: bytes, data: bytes) -> Path:
    """Keep `original` as FILE.orig, then replace FILE with `data`; the backup's path."""
    target = Path(path)
    backup = backup_path(path)
    if target.read_bytes() != original:
        raise InputError(f"{path}: changed while it was being fixed; nothing written")
    try:
        # "x": created here or not at all, so an earlier backup is never overwritten
        with open(backup, "xb") as fh:
            fh.write(original)
            fh.flush()
            os.fsync(fh.fileno())
        shutil.copystat(target, backup)
    except FileExistsError:
        raise InputError(
            f"{backup}: a backup already exists; move it away before fixing {path} in place"
        ) from None
    except OSError as exc:
        raise ReportError(f"{backup}: cannot write the backup: {exc.strerror or exc}") from exc
    write_bytes_atomic(target, data, mode_from=backup)
    return backup
