"""Read the documents a user names and turn each into its catalog.

The only I/O here is reading the file (or standard input); format detection and parsing are
delegated to the readers, and the catalog is built by the pure `catalog` module.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from citeaudit.catalog import build_catalog
from citeaudit.errors import InputError
from citeaudit.gcpolicy import rare_collections
from citeaudit.inputs import expand_inputs
from citeaudit.models import Catalog
from citeaudit.parse.formats import read_document
from citeaudit.parse.raw import RawDocument

_MAX_INPUT_BYTES = 512 * 1024 * 1024


def read_input(path: str) -> bytes:
    """The bytes of a document path, or of standard input for '-'; InputError otherwise."""
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory, not a document")
    try:
        if p.stat().st_size > _MAX_INPUT_BYTES:
            raise InputError(f"{path}: file too large (over {_MAX_INPUT_BYTES >> 20} MB)")
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def read_raw(
    path: str, data: bytes, *, input_format: str | None = None, require_notes: bool = True
) -> RawDocument:
    """Parse a document's bytes with the reader its format (detected or given) needs."""
    return read_document(Path(path), data, input_format, require_notes=require_notes)


def load_catalog(
    path: str, *, as_of: date | None = None, input_format: str | None = None
) -> Catalog:
    """Read and parse one document into its catalog."""
    with rare_collections():
        # the bytes are a temporary of this call only: freed before the catalog is built
        data = read_input(path)
        digest = hashlib.sha256(data).hexdigest()
        raw = read_raw(path, data, input_format=input_format)
        del data
        return _catalog(raw, path, as_of, digest)


def load_catalogs(
    paths: Sequence[str],
    *,
    as_of: date | None = None,
    input_format: str | None = None,
    warn: Callable[[str], None] | None = None,
    exclude_path: Sequence[str] = (),
) -> list[Catalog]:
    """The catalogs of every file named, walked or matched; found files that fail are skipped.

    A file named itself that cannot be read stops the run (InputError). One found by walking a
    directory or expanding a glob is skipped with one warning (a README without links in a
    folder of reports is no reason to abort); if nothing readable remains, that is an error.
    """
    catalogs: list[Catalog] = []
    skipped = 0
    for item in expand_inputs(list(paths), list(exclude_path)):
        try:
            catalogs.append(load_catalog(item.path, as_of=as_of, input_format=input_format))
        except InputError as exc:
            if item.named:
                raise
            skipped += 1
            if warn is not None:
                warn(f"{exc}; skipped")
    if not catalogs:
        left_out = " and the others left out by --exclude-path" if exclude_path else ""
        raise InputError(f"{', '.join(paths)}: no readable report ({skipped} skipped{left_out})")
    return catalogs


def catalog_from_bytes(
    path: str, data: bytes, *, as_of: date | None = None, input_format: str | None = None
) -> Catalog:
    """Parse a document's bytes into its catalog (`path` names it and picks the format)."""
    with rare_collections():
        raw = read_raw(path, data, input_format=input_format)
        return _catalog(raw, path, as_of, hashlib.sha256(data).hexdigest())


def _catalog(raw: RawDocument, path: str, as_of: date | None, sha256: str) -> Catalog:
    if as_of is not None:
        raw = dataclasses.replace(raw, date=as_of)
    return build_catalog(raw, path, sha256=sha256)
