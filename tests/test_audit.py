"""The audit's pure helpers: configured outlet kinds over the built-in lists."""

from __future__ import annotations

from datetime import date

from citeaudit.audit import with_outlet_kinds
from citeaudit.models import Catalog, Claim, Document, Note, OutletKind, Source
from citeaudit.score import build_result


def test_configured_outlet_kinds_override_the_built_in_ones() -> None:
    urls = {"https://sana.sy/a": "sana.sy", "https://alwatan.sy/b": "alwatan.sy"}
    notes = tuple(
        Note(i, 10 + i, url, (Source(url, url, outlet),))
        for i, (url, outlet) in enumerate(urls.items(), 1)
    )
    catalog = Catalog(
        Document("r.md", None, date(2023, 8, 3)), notes, (Claim(1, 1, "Claim.", (1, 2)),)
    )
    result = build_result(catalog, {})
    assert {o.outlet: o.kind for o in result.outlets} == {
        "sana.sy": OutletKind.STATE_MEDIA,
        "alwatan.sy": None,
    }
    changed = with_outlet_kinds(result, {"alwatan.sy": "state_media", "sana.sy": ""})
    assert {o.outlet: o.kind for o in changed.outlets} == {
        "sana.sy": None,
        "alwatan.sy": OutletKind.STATE_MEDIA,
    }
