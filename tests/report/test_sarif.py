"""SARIF 2.1.0: valid against the official schema, one result per occurrence needing attention."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from citeaudit.models import AuditResult
from citeaudit.report import Format, render
from citeaudit.report.sarif import artifact_uri

from .conftest import make_hostile

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())


def validate(log: dict) -> None:
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    cls(SCHEMA, format_checker=cls.FORMAT_CHECKER).validate(log)


def test_schema_is_the_official_draft_4_one():
    assert jsonschema.validators.validator_for(SCHEMA) is jsonschema.Draft4Validator


def test_valid_against_the_schema(result: AuditResult):
    validate(json.loads(render([result], Format.SARIF)))
    validate(json.loads(render([result, make_hostile()], Format.SARIF)))


def test_the_schema_check_can_fail(result: AuditResult):
    log = json.loads(render([result], Format.SARIF))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validate(log)


def test_results_point_at_each_occurrence(result: AuditResult):
    run = json.loads(render([result], Format.SARIF))["runs"][0]
    found = [
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in run["results"]
    ]
    # Lost: error; unverified: warning; dead with an archived copy: note; skipped and live: none.
    assert found == [
        ("CA-DEAD", "note", 41, 5),
        ("CA-DEAD", "error", 41, 30),
        ("CA-BLOCKED", "warning", 42, 5),
        ("CA-ERROR", "warning", 42, 35),
        ("CA-INVALID", "warning", 42, 60),
        ("CA-SOFT-DEAD", "error", 43, 5),
        # then the claims at risk, at their lines (claims 2 and 6 are degraded or ok: not annotated)
        ("CA-CLAIM-SINGLE-OUTLET", "note", 10, 1),
        ("CA-CLAIM-UNSUPPORTED", "warning", 14, 1),
        ("CA-CLAIM-UNSUPPORTED", "warning", 16, 1),
        ("CA-CLAIM-SINGLE-SOURCE", "note", 18, 1),
    ]
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris == {"reports/syria.md"}
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    archived = run["results"][0]
    assert "web.archive.org/web/20230801000000" in archived["message"]["text"]
    assert "no such domain" in run["results"][1]["message"]["text"]


def test_a_url_cited_twice_gives_one_result_per_occurrence(result: AuditResult):
    import dataclasses

    from citeaudit.models import LinkStatus

    from .conftest import VERDICTS

    # Make the URL cited by notes 1 and 7 dead: two results, two lines.
    url = "https://alpha.com/a2"
    verdicts = dict(VERDICTS)
    verdicts[url] = dataclasses.replace(verdicts[url], status=LinkStatus.DEAD, reason="404")
    from citeaudit.score import build_result

    log = json.loads(render([build_result(result.catalog, verdicts)], Format.SARIF))
    lines = [
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in log["runs"][0]["results"]
        if r["properties"].get("url") == url
    ]
    assert lines == [40, 46]


def test_driver(result: AuditResult):
    driver = json.loads(render([result], Format.SARIF))["runs"][0]["tool"]["driver"]
    assert driver["name"] == "citeaudit" and driver["version"]
    assert {r["id"] for r in driver["rules"]} >= {"CA-DEAD", "CA-SOFT-DEAD", "CA-BLOCKED"}


def test_artifact_uri():
    assert artifact_uri("docs/a b.md") == "docs/a%20b.md"
    assert artifact_uri("/tmp/x.md") == "file:///tmp/x.md"


def test_fingerprints_survive_moved_lines_and_tell_occurrences_apart(result: AuditResult):
    import dataclasses

    from citeaudit.models import LinkStatus
    from citeaudit.score import build_result

    from .conftest import VERDICTS

    def prints(res: AuditResult) -> dict[tuple[str, int], str]:
        run = json.loads(render([res], Format.SARIF))["runs"][0]
        out: dict[tuple[str, int], str] = {}
        for r in run["results"]:
            if "url" not in r["properties"]:
                continue
            key = (r["properties"]["url"], r["properties"]["note"])
            out[key] = r["partialFingerprints"]["citeauditSource/v1"]
        return out

    url = "https://alpha.com/a2"
    verdicts = dict(VERDICTS)
    verdicts[url] = dataclasses.replace(verdicts[url], status=LinkStatus.DEAD, reason="404")
    before = prints(build_result(result.catalog, verdicts))
    # Three lines inserted above every note: lines change, fingerprints must not.
    notes = tuple(
        dataclasses.replace(
            n,
            line=n.line + 3,
            sources=tuple(
                dataclasses.replace(s, span=dataclasses.replace(s.span, line=s.span.line + 3))
                for s in n.sources
            ),
        )
        for n in result.catalog.notes
    )
    moved = dataclasses.replace(result.catalog, notes=notes)
    after = prints(build_result(moved, verdicts))
    assert after == before
    # The URL cited by notes 1 and 7 gives two results with two different fingerprints.
    assert before[(url, 1)] != before[(url, 7)]
    assert len(set(before.values())) == len(before)
