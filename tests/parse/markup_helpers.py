"""Shared by the markup reader tests: what a catalog says each claim cites, format-free."""

from __future__ import annotations

from pathlib import Path

from citeaudit.catalog import build_catalog
from citeaudit.models import Catalog, Span
from citeaudit.parse.formats import read_document

MARKUP = Path(__file__).resolve().parents[1] / "fixtures" / "markup"


def catalog_of(name: str) -> Catalog:
    """The catalog of a committed markup fixture, read the way the CLI reads it."""
    path = MARKUP / name
    return build_catalog(read_document(path, path.read_bytes()), str(path))


def cited_urls(catalog: Catalog) -> list[tuple[str, list[str]]]:
    """Per claim, in order: its first four words and every URL it cites, in order."""
    rows = []
    for claim in catalog.claims:
        urls = [s.url for n in claim.notes if (note := catalog.note(n)) for s in note.sources]
        rows.append((" ".join(claim.text.split()[:4]), urls))
    return rows


def all_urls(catalog: Catalog) -> set[str]:
    """Every source URL of every note."""
    return {s.url for n in catalog.notes for s in n.sources}


def where(text: str, needle: str) -> Span:
    """The line and column of the first occurrence of `needle` in `text`."""
    at = text.index(needle)
    return Span(text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1)
