"""The citeaudit.report/1 JSON report: its keys, one or several documents, and reading it back."""

from __future__ import annotations

import dataclasses
import json

import pytest

from citeaudit.errors import ReportError
from citeaudit.models import REPORT_SCHEMA, AuditResult
from citeaudit.report import Format, render
from citeaudit.report.json import load, to_json

from .conftest import make_hostile

ISSUE_3_SOURCE_KEYS = {
    "url", "verdict", "reason", "status", "final_url", "redirects", "title", "outlet", "notes",
    "checked_at", "elapsed_ms", "from_cache", "archive",
}  # fmt: skip
CLAIM_KEYS = {
    "id", "line", "text", "notes", "sources", "live", "archived", "recoverable", "lost",
    "outlets", "live_outlets", "score", "risk",
}  # fmt: skip


def test_one_document_is_one_report_object(result: AuditResult):
    data = json.loads(render([result], Format.JSON))
    assert data["schema"] == REPORT_SCHEMA
    assert data["document"] == {
        "path": "reports/syria.md",
        "title": "Syria update",
        "date": "2023-08-03",
    }
    assert data["generated_at"] == "2024-05-01T12:05:00+00:00"
    assert len(data["sources"]) == 9
    assert all(set(s) >= ISSUE_3_SOURCE_KEYS for s in data["sources"])
    assert all(set(c) >= CLAIM_KEYS for c in data["claims"])
    assert data["summary"]["urls"] == 9
    assert data["summary"]["by_verdict"] == {
        "alive": 1, "redirected": 1, "dead": 2, "soft_dead": 1, "blocked": 1, "error": 1,
        "invalid": 1, "skipped": 1,
    }  # fmt: skip
    assert data["summary"]["by_risk"]["unsupported"] == 2


def test_sources_carry_outlet_citing_notes_and_archive(result: AuditResult):
    sources = {s["url"]: s for s in json.loads(render([result], Format.JSON))["sources"]}
    # Cited by notes 1 and 7: one entry, both numbers.
    assert sources["https://alpha.com/a2"]["notes"] == [1, 7]
    gone = sources["https://beta.org/gone"]
    assert (gone["verdict"], gone["state"], gone["outlet"]) == ("dead", "archived", "beta.org")
    assert gone["archive"]["url"].startswith("https://web.archive.org/web/20230801")
    assert sources["https://gamma.net/missing"]["state"] == "lost"


def test_claims_are_scored(result: AuditResult):
    claims = {c["id"]: c for c in json.loads(render([result], Format.JSON))["claims"]}
    assert (claims[2]["risk"], claims[2]["score"], claims[2]["lost"]) == ("degraded", 0.75, 1)
    assert (claims[4]["sources"], claims[4]["risk"]) == (0, "unsupported")
    assert claims[1]["risk"] == "single_outlet"


def test_several_documents_are_wrapped(result: AuditResult):
    other = dataclasses.replace(
        result,
        catalog=dataclasses.replace(
            result.catalog, document=dataclasses.replace(result.catalog.document, path="b.md")
        ),
    )
    data = json.loads(render([result, other], Format.JSON))
    assert data["schema"] == REPORT_SCHEMA
    assert [d["document"]["path"] for d in data["documents"]] == ["reports/syria.md", "b.md"]
    assert load(render([result, other], Format.JSON)) == [result, other]


def test_load_gives_back_the_same_result(result: AuditResult):
    (back,) = load(render([result], Format.JSON))
    assert back == result
    # ... so every format re-renders identically from a saved report.
    for fmt in (Format.MARKDOWN, Format.SARIF, Format.GITHUB, Format.TABLE):
        assert render([back], fmt) == render([result], fmt)


def test_everything_the_run_knew_reads_back(result: AuditResult):
    """Evidence, similarity, fingerprints, first failures, pages and the baseline survive."""
    from datetime import date

    from citeaudit.models import CitationStyle, Span

    url = next(iter(result.verdicts))
    rich = dataclasses.replace(
        result.verdicts[url],
        evidence=("drifted", "quote_missing"),
        similarity=0.123456789,
        fingerprint="ab12cd34",
        first_failed=date(2024, 4, 2),
    )
    notes = tuple(
        dataclasses.replace(
            n,
            page=3,
            style=CitationStyle.FOOTNOTES,
            label="iv",
            sources=tuple(dataclasses.replace(s, span=Span(s.span.line, 7, 3)) for s in n.sources),
        )
        for n in result.catalog.notes
    )
    claims = tuple(dataclasses.replace(c, page=2) for c in result.catalog.claims)
    whole = dataclasses.replace(
        result,
        catalog=dataclasses.replace(result.catalog, notes=notes, claims=claims),
        verdicts={**result.verdicts, url: rich},
        claims=tuple(
            dataclasses.replace(s, claim=dataclasses.replace(s.claim, page=2), score=2 / 3)
            for s in result.claims
        ),
        baseline=frozenset({"lost:https://beta.org/gone"}),
    )
    (back,) = load(render([whole], Format.JSON))
    assert back.verdicts[url] == rich
    assert back.catalog == whole.catalog
    assert back.claims == whole.claims
    assert back == whole


def test_load_hostile_text_round_trips():
    hostile = make_hostile()
    assert load(render([hostile], Format.JSON)) == [hostile]


def test_unchecked_sources_round_trip(result: AuditResult):
    offline = dataclasses.replace(result, verdicts={})
    data = to_json(offline)
    assert {s["verdict"] for s in data["sources"]} == {"unchecked"}
    (back,) = load(json.dumps(data))
    assert back.verdicts == {}


def test_report_without_saved_notes_or_scores_is_rebuilt(result: AuditResult):
    data = to_json(result)
    del data["notes"], data["outlets"]
    data["claims"] = []
    (back,) = load(json.dumps(data))
    assert back.verdicts == result.verdicts
    assert {n.number for n in back.catalog.notes} == {1, 2, 3, 4, 5, 7}
    assert sum(o.urls for o in back.outlets) == 9


@pytest.mark.parametrize(
    "text",
    ["not json", "[]", '{"schema": "other/1"}', '{"schema": "citeaudit.report/1"}'],
)
def test_load_rejects_what_is_not_a_report(text: str):
    with pytest.raises(ReportError):
        load(text)


def test_control_characters_are_escaped_not_raw():
    text = render([make_hostile()], Format.JSON)
    assert "\x1b" not in text and "\x9b" not in text
    assert "\\u001b[31m" in text


def test_ignored_flags_round_trip(result: AuditResult):
    notes = tuple(dataclasses.replace(n, ignored=n.number == 6) for n in result.catalog.notes)
    claims = tuple(dataclasses.replace(c, ignored=c.id == 4) for c in result.catalog.claims)
    from citeaudit.judge.score import build_result

    quiet = build_result(
        dataclasses.replace(result.catalog, notes=notes, claims=claims), result.verdicts
    )
    assert 4 not in [c.claim.id for c in quiet.claims]
    assert load(render([quiet], Format.JSON)) == [quiet]


def test_outlet_kinds_are_written_and_read_back(result: AuditResult):
    from citeaudit.models import OutletKind
    from citeaudit.report.json import load as load_report

    kinds = {o.outlet: o.kind for o in result.outlets}
    assert kinds["twitter.com/acct"] is OutletKind.SOCIAL and kinds["alpha.com"] is None
    data = json.loads(render([result], Format.JSON))
    assert {o["outlet"]: o["kind"] for o in data["outlets"]} == {
        o: (None if k is None else str(k)) for o, k in kinds.items()
    }
    # a report saved before kinds existed still loads
    for o in data["outlets"]:
        del o["kind"]
    (old,) = load_report(json.dumps(data))
    assert {o.outlet: o.kind for o in old.outlets} == {o: None for o in kinds}
