"""A catalog made ready for an audit: outlet aliases applied, ignored notes and claims out."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from citeaudit.judge.score import is_silenced
from citeaudit.models import Catalog


def apply_outlet_aliases(catalog: Catalog, aliases: Mapping[str, str]) -> Catalog:
    """Rename outlets the configuration declares to be one (e.g. a site's two domains)."""
    if not aliases:
        return catalog
    notes = tuple(
        dataclasses.replace(
            note,
            sources=tuple(
                dataclasses.replace(s, outlet=aliases.get(s.outlet, s.outlet)) for s in note.sources
            ),
        )
        for note in catalog.notes
    )
    return dataclasses.replace(catalog, notes=notes)


def without_ignored(catalog: Catalog) -> tuple[Catalog, int]:
    """Drop notes and claims silenced by an inline `citeaudit: ignore`; count what was dropped.

    A claim that cites only ignored notes goes too: its evidence is out of the audit, and
    scoring it on nothing would call it unsupported.
    """
    kept_notes = tuple(n for n in catalog.notes if not n.ignored)
    kept_claims = tuple(c for c in catalog.claims if not is_silenced(catalog, c))
    ignored = (len(catalog.notes) - len(kept_notes)) + (len(catalog.claims) - len(kept_claims))
    if not ignored:
        return catalog, 0
    return dataclasses.replace(catalog, notes=kept_notes, claims=kept_claims), ignored
