"""The HTML report's view model: pure, frozen, and built from `report.common` alone."""

from __future__ import annotations

import dataclasses

import pytest

from citeaudit.judge.score import build_result
from citeaudit.models import Catalog
from citeaudit.report import common
from citeaudit.report.html_view import document_view, page_view

from .conftest import CHECKED_AT, CLAIMS, DOCUMENT, NOTES, VERDICTS, make_result


def test_document_view_takes_its_lists_from_common():
    result = make_result()
    view = document_view(result)
    assert [s.url.full for s in view.attention] == [r.url for r in common.attention(result)]
    assert [s.url.full for s in view.sources] == [r.url for r in common.source_rows(result)]
    assert [c.id for c in view.claims] == [c.claim.id for c in common.claims_by_risk(result)]
    figures = {f.field: f.value for f in view.summary.figures}
    assert figures["urls"] == len(common.source_rows(result))
    assert figures["lost"] == common.state_counts(result)["lost"]
    assert figures["ignored"] == result.ignored == 1


def test_cached_verdicts_are_marked():
    verdicts = dict(VERDICTS)
    url = "https://alpha.com/a1"
    verdicts[url] = dataclasses.replace(verdicts[url], from_cache=True)
    result = build_result(
        Catalog(DOCUMENT, NOTES, CLAIMS),
        verdicts,
        generated_at=CHECKED_AT.replace(hour=15),
    )
    view = document_view(result)
    cached = {s.url.full: s.cached for s in view.sources}
    assert cached[url] == "cached 3 h ago"
    assert {u for u, c in cached.items() if c} == {url}


def test_view_model_is_frozen():
    view = page_view([make_result()])
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.documents[0].claims[0].text = "changed"  # type: ignore[misc]
    several = page_view([make_result(), make_result()])
    assert [d.suffix for d in several.documents] == ["-1", "-2"]
    assert several.title == "citeaudit: 2 documents"
