"""Wire the stages: read a document, build its catalog, check it, score it.

This is the library entry point the CLI (and other programs) call. It owns the small amount of
I/O that is not network: reading the file the user named. Everything it calls is either pure
(parse, catalog, score) or handed in (the HTTP client, the cache), so tests can drive it.
"""

from __future__ import annotations

import dataclasses
import sys
from datetime import date
from pathlib import Path

from citeaudit.catalog import build_catalog
from citeaudit.errors import InputError
from citeaudit.models import Catalog
from citeaudit.parse.raw import RawDocument
from citeaudit.parse.text import decode, parse_text

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
    """Parse a document's bytes with the reader its format needs."""
    try:
        from citeaudit.parse.formats import read_document
    except ImportError:  # pragma: no cover - readers for other formats not installed
        read_document = None
    if read_document is not None and input_format not in ("text", "markdown"):
        suffix = Path(path).suffix.lower()
        binary_like = data[:5] == b"%PDF-" or data[:2] == b"PK" or suffix in (".html", ".htm")
        if binary_like or input_format is not None:
            return read_document(Path(path), data, input_format)
    text, findings = decode(data, path)
    return parse_text(text, path, findings=findings, require_notes=require_notes)


def load_catalog(
    path: str, *, as_of: date | None = None, input_format: str | None = None
) -> Catalog:
    """Read and parse one document into its catalog."""
    raw = read_raw(path, read_input(path), input_format=input_format)
    if as_of is not None:
        raw = dataclasses.replace(raw, date=as_of)
    return build_catalog(raw, path)
