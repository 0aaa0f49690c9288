"""Write a fixed document: atomically, never over an input, with a backup when in place.

`-o OUT` writes a new file and refuses a path that is the document or the report being read.
`--in-place` first copies the original to `FILE.orig` (refusing when that backup already
exists, since overwriting it would lose an earlier original), then replaces the file through a
temporary file and a rename, so an interrupted run leaves either the old or the new document.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from citeaudit.errors import InputError, ReportError
from citeaudit.report.files import refuse_overwriting_inputs, write_bytes_atomic


def write_copy(out: str, data: bytes, *, inputs: Iterable[str]) -> None:
    """Write the fixed copy to `out`; ReportError when `out` is one of the `inputs`."""
    refuse_overwriting_inputs([out], inputs, advice="use --in-place")
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
