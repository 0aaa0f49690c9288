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
from typing import BinaryIO

from citeaudit.catalog import build_catalog
from citeaudit.documents.gcpolicy import rare_collections
from citeaudit.documents.inputs import expand_inputs
from citeaudit.errors import InputError
from citeaudit.models import Catalog
from citeaudit.parse.formats import read_document
from citeaudit.parse.raw import RawDocument

_MAX_INPUT_BYTES = 512 * 1024 * 1024
_CHUNK = 1 << 20


def read_input(path: str, *, limit: int = _MAX_INPUT_BYTES, stdin: BinaryIO | None = None) -> bytes:
    """The bytes of a document path, or of standard input for '-'; InputError otherwise.

    Reads at most `limit` bytes: an endless stream (`/dev/zero`, a pipe that never closes) is
    refused with one line at the cap, never a MemoryError.
    """
    if path == "-":
        return _read_capped(
            stdin if stdin is not None else sys.stdin.buffer, "standard input", limit
        )
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory, not a document")
    try:
        if p.stat().st_size > limit:
            raise InputError(f"{path}: file too large (over {_size(limit)})")
        # st_size is 0 for devices and pipes: the read itself is capped too
        with p.open("rb") as stream:
            return _read_capped(stream, path, limit)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _size(limit: int) -> str:
    return f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit} bytes"


def _read_capped(stream: BinaryIO, name: str, limit: int) -> bytes:
    """Read a whole stream, refusing it once it holds more than `limit` bytes."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise InputError(f"{name}: too large (over {_size(limit)}); refusing to read more")
        chunks.append(chunk)


def read_raw(
    path: str,
    data: bytes,
    *,
    input_format: str | None = None,
    require_notes: bool = True,
    site_links: bool = False,
) -> RawDocument:
    """Parse a document's bytes with the reader its format (detected or given) needs."""
    return read_document(
        Path(path), data, input_format, require_notes=require_notes, site_links=site_links
    )


def load_catalog(
    path: str,
    *,
    as_of: date | None = None,
    input_format: str | None = None,
    site_links: bool = False,
) -> Catalog:
    """Read and parse one document into its catalog (`site_links`: see `read_document`)."""
    with rare_collections():
        # the bytes are a temporary of this call only: freed before the catalog is built
        data = read_input(path)
        digest = hashlib.sha256(data).hexdigest()
        raw = read_raw(path, data, input_format=input_format, site_links=site_links)
        del data
        return _catalog(raw, path, as_of, digest)


def load_catalogs(
    paths: Sequence[str],
    *,
    as_of: date | None = None,
    input_format: str | None = None,
    warn: Callable[[str], None] | None = None,
    exclude_path: Sequence[str] = (),
    site_links: Callable[[str], bool] | None = None,
) -> list[Catalog]:
    """The catalogs of every file named, walked or matched; found files that fail are skipped.

    A file named itself that cannot be read stops the run (InputError). One found by walking a
    directory or expanding a glob is skipped with one warning (a README without links in a
    folder of reports is no reason to abort); if nothing readable remains, that is an error.
    `site_links(path)` says whether a document's HTML relative links are sources (its run has
    a `--base-url`).
    """
    catalogs: list[Catalog] = []
    skipped = 0
    for item in expand_inputs(list(paths), list(exclude_path)):
        try:
            own_site = site_links is not None and site_links(item.path)
            catalogs.append(
                load_catalog(item.path, as_of=as_of, input_format=input_format, site_links=own_site)
            )
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
    try:
        return build_catalog(raw, path, sha256=sha256)
    except InputError as exc:  # a note too large to parse: name the document
        raise InputError(f"{path}: {exc}") from exc
