"""SARIF 2.1.0, so code-scanning tools (GitHub, GitLab, IDEs) show broken citations in place.

One result per occurrence of a source that needs attention, pointing at the document path and the
line and column where the URL is written: `error` when lost, `warning` when unverified, `note` when
gone but archived; rule ids are per verdict (CA-DEAD, CA-SOFT-DEAD, CA-BLOCKED, ...). Then one
result per claim at risk, at the claim's line: `warning` when unsupported, `note` when it rests
on a single source or a single outlet (CA-CLAIM-UNSUPPORTED, ...). Each result carries a
`partialFingerprints` entry made of rule, document, URL (or claim text) and occurrence, so code
scanning keeps one alert per problem when paragraphs are inserted above it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from citeaudit.models import AuditResult, LinkStatus, Risk
from citeaudit.report.common import (
    CLAIM_RULES,
    RULES,
    TOOL_NAME,
    TOOL_URI,
    TOOL_VERSION,
    Annotation,
    ClaimAnnotation,
    claim_annotations,
    claim_rule_id,
    occurrences,
    rule_id,
)

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "notice": "note"}
_RULE_IDS = [rule_id(s) for s in RULES] + [claim_rule_id(r) for r in CLAIM_RULES]


def artifact_uri(path: str) -> str:
    """A URI reference for a document path: relative paths stay relative (as code scanning wants).

    >>> artifact_uri("docs/my report.md")
    'docs/my%20report.md'
    """
    p = Path(path)
    if p.is_absolute():
        return p.as_uri()
    return quote(p.as_posix(), safe="/-._~")


def _rule(status: LinkStatus) -> dict[str, Any]:
    return {
        "id": rule_id(status),
        "name": status.value.title().replace("_", ""),
        "shortDescription": {"text": f"{status.value.replace('_', ' ')} source"},
        "fullDescription": {"text": RULES[status]},
        "helpUri": TOOL_URI,
    }


def fingerprint(rule: str, path: str, url: str, ordinal: int) -> str:
    """A stable id for one finding: the same when lines move, new when the URL or rule changes.

    >>> fingerprint("CA-DEAD", "r.md", "https://a.example/x", 0)[:12]
    '12e78893aae0'
    """
    text = "\x00".join((rule, path, url, str(ordinal)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _claim_rule(risk: Risk) -> dict[str, Any]:
    return {
        "id": claim_rule_id(risk),
        "name": "Claim" + risk.value.title().replace("_", ""),
        "shortDescription": {"text": f"{risk.value.replace('_', '-')} claim"},
        "fullDescription": {"text": CLAIM_RULES[risk]},
        "helpUri": TOOL_URI,
    }


def _location(path: str, region: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path)}, "region": region}}
    ]


def _claim_result(c: ClaimAnnotation, ordinal: int) -> dict[str, Any]:
    text = " ".join(c.score.claim.text.split())
    return {
        "ruleId": c.rule,
        "ruleIndex": _RULE_IDS.index(c.rule),
        "level": _LEVEL[c.level],
        "message": {"text": c.message},
        "locations": _location(
            c.path, {"startLine": max(c.line, 1), "startColumn": max(c.column, 1)}
        ),
        "partialFingerprints": {"citeauditClaim/v1": fingerprint(c.rule, c.path, text, ordinal)},
        "properties": {
            "claim": c.score.claim.id,
            "risk": str(c.score.risk),
            "urls": list(c.score.urls),
        },
    }


def _result(a: Annotation, ordinal: int) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": max(a.line, 1), "startColumn": max(a.column, 1)}
    written = a.source.as_written
    if written and "\n" not in written:
        region["endColumn"] = region["startColumn"] + len(written)
    properties: dict[str, Any] = {"url": a.row.url, "note": a.note, "state": str(a.row.state)}
    if a.row.snapshot is not None:
        properties["archive"] = a.row.snapshot.url
    return {
        "ruleId": a.rule,
        "ruleIndex": _RULE_IDS.index(a.rule),
        "level": _LEVEL[a.level],
        "message": {"text": a.message},
        "locations": _location(a.path, region),
        # code scanning matches results across runs by these; lines move when text is edited
        "partialFingerprints": {
            "citeauditSource/v1": fingerprint(a.rule, a.path, a.row.url, ordinal)
        },
        "properties": properties,
    }


def _results(results: Sequence[AuditResult]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for a in occurrences(results):
        key = (a.rule, a.path, a.row.url)
        ordinal = seen.get(key, 0)
        seen[key] = ordinal + 1
        out.append(_result(a, ordinal))
    for c in claim_annotations(results):
        key = (c.rule, c.path, " ".join(c.score.claim.text.split()))
        ordinal = seen.get(key, 0)
        seen[key] = ordinal + 1
        out.append(_claim_result(c, ordinal))
    return out


def to_sarif(results: Sequence[AuditResult]) -> dict[str, Any]:
    """The SARIF log of every document, as one run."""
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": TOOL_VERSION,
                        "informationUri": TOOL_URI,
                        "rules": [_rule(s) for s in RULES] + [_claim_rule(r) for r in CLAIM_RULES],
                    }
                },
                "artifacts": [
                    {"location": {"uri": uri}}
                    for uri in dict.fromkeys(artifact_uri(r.catalog.document.path) for r in results)
                ],
                "results": _results(results),
            }
        ],
    }


def render(results: Sequence[AuditResult]) -> str:
    """The SARIF 2.1.0 log as JSON text."""
    return json.dumps(to_sarif(results), indent=2) + "\n"
