"""The HTML report's charts: laid out from the outlet scores and `report.common` counts."""

from __future__ import annotations

import dataclasses

import pytest

from citeaudit.judge.score import build_result
from citeaudit.models import Catalog, LinkStatus, Note, OutletScore, RunFacts, Verdict
from citeaudit.report import common
from citeaudit.report.html_charts import TOP_OUTLETS, kind_chart, outlet_chart
from citeaudit.report.html_view import document_view

from .conftest import DOCUMENT, VERDICTS, make_result, src


def test_outlet_chart_geometry():
    outlets = [
        OutletScore("big.example", 10, 6, 2, 3, 1, 4),
        OutletScore("small.example", 5, 5, 0, 0, 0, 1),
    ]
    chart = outlet_chart(outlets, "", nothing_checked=False)
    big, small = chart.bars
    assert [s.part for s in big.segments] == ["live", "archived", "lost", "unverified"]
    # Archived is what remains of the URLs once live, lost and unverified are counted.
    assert [s.value for s in big.segments] == [6, 1, 2, 1]
    for bar in chart.bars:
        ends = [s.x + s.width for s in bar.segments]
        assert [s.x for s in bar.segments[1:]] == pytest.approx(ends[:-1])
        assert bar.end == pytest.approx(ends[-1])
    assert big.end - big.segments[0].x == pytest.approx(250)
    assert small.end - small.segments[0].x == pytest.approx(125)
    assert (small.y, chart.height) == (22, 44)
    empty = outlet_chart(outlets, "", nothing_checked=True)
    assert empty.empty and "Nothing was checked" in empty.empty


def test_age_chart_tones_and_empty_states():
    view = document_view(make_result())
    ages = next(c for c in view.charts if c.kind == "age")
    assert [b.name for b in ages.bars] == list(common.CAPTURE_AGES)
    tones = [b.segments[0].part for b in ages.bars if b.segments]
    assert tones == ["near"]  # the one capture, 2 days after the document
    assert ages.empty is None and "1 URL with a capture." in ages.notes
    no_archive = dataclasses.replace(make_result(), run=RunFacts(archive=None))
    assert "not asked" in (
        next(c for c in document_view(no_archive).charts if c.kind == "age").empty or ""
    )


def test_kind_chart_stacks_each_kind_by_state():
    result = make_result()
    chart = kind_chart(result, "-2")
    kinds = common.sources_by_kind(result)
    assert (chart.id, chart.kind, chart.empty) == ("chart-kinds-2", "outlet-kind", None)
    assert [b.name for b in chart.bars] == list(common.OUTLET_KINDS)  # zeros listed too
    for bar in chart.bars:
        assert bar.total == sum(kinds[bar.name].values())
        assert {s.part: s.value for s in bar.segments} == {
            p: n for p, n in kinds[bar.name].items() if n
        }
    assert sum(b.total for b in chart.bars) == len(common.source_rows(result))
    # Every source of the fixture has a verdict: no unchecked part, nor in the legend.
    assert chart.legend == ("live", "archived", "lost", "unverified")
    unchecked = build_result(
        result.catalog, {u: v for u, v in VERDICTS.items() if "alpha" not in u}
    )
    assert kind_chart(unchecked, "").legend[-1] == "unchecked"
    assert chart.notes == ("1 URL from platform accounts: one person or group speaking.",)


def test_kind_chart_without_sources_says_so():
    empty = dataclasses.replace(make_result(), catalog=Catalog(DOCUMENT, (), ()), outlets=())
    chart = kind_chart(empty, "")
    assert chart.empty == "No sources." and "unchecked" not in chart.legend


def test_outlet_chart_counts_the_outlets_left_out():
    outlets = [OutletScore(f"o{i}.example", 1, 1, 0, 0, 0, 0) for i in range(TOP_OUTLETS + 1)]
    chart = outlet_chart(outlets, "", nothing_checked=False)
    assert chart.notes == ("1 more outlet in the outlet table below.",)


def test_kind_chart_says_who_is_unknown_behind_a_shortener():
    short = src("https://bit.ly/x", "bit.ly", 3)
    catalog = Catalog(DOCUMENT, (Note(1, 3, "", (short,)),), ())
    result = build_result(catalog, {short.url: Verdict(short.url, LinkStatus.ALIVE, "200 OK")})
    chart = kind_chart(result, "")
    assert [b.total for b in chart.bars if b.name == "shortener"] == [1]
    assert chart.notes == (
        "1 URL on a URL shortener that led to no other outlet: who published them is unknown.",
    )
