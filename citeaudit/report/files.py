"""Writing files safely: never over an input, and never half-written for a reader to see."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
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


def _identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of an existing file; standard input's own descriptor for `-`."""
    try:
        st = os.fstat(sys.stdin.fileno()) if path == "-" else os.stat(path)
    except (OSError, ValueError, AttributeError):
        return None
    # Only a regular file can be overwritten; a pipe or terminal on stdin shares nothing.
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def refuse_overwriting_inputs(
    outputs: Iterable[str | os.PathLike[str]], inputs: Iterable[str], *, advice: str = ""
) -> None:
    """ReportError if writing any output would replace an input (`-` is standard input).

    The same file is found by device and inode (hard links, symlinks, standard input read
    from a file), else by path; `advice` ends the message (what to do instead).
    """
    sources = [(doc, _identity(doc)) for doc in inputs]
    for path in outputs:
        target = Path(path)
        mine = _identity(str(target))
        for doc, theirs in sources:
            same = mine is not None and mine == theirs
            if same or (doc != "-" and target.resolve() == Path(doc).resolve()):
                shown = "standard input" if doc == "-" else doc
                tail = f" ({advice})" if advice else ""
                raise ReportError(f"{path}: refusing to overwrite the input document {shown}{tail}")
