"""SARIF 2.1.0, so code scanning (GitHub, GitLab, IDEs) shows broken citations where written.

One result per occurrence of a link that needs attention, at the document and the line and column
where the URL is written: `error` when lost, `warning` when unverified, `note` when gone but
archived. Rule ids are per verdict (CA-DEAD, CA-SOFT-DEAD, CA-BLOCKED, ...), each with `help`
saying what it means and what to do. Claims at risk (CA-CLAIM-UNSUPPORTED, ...) are about the
writing, not the links, and would bury them in code scanning: `claims=True` adds them.

Paths are relative to `%SRCROOT%` (`originalUriBaseIds`): the git work tree of the documents,
else the current directory; a document outside it keeps an absolute `file:` URI. Every result
has a `partialFingerprints` entry made of rule, path, URL (or claim text) and the occurrence's
rank among the same URL's in the document, never the line: an alert survives edits above it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from citeaudit.models import AuditResult, LinkStatus, Risk
from citeaudit.report.annotations import (
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
from citeaudit.report.srcroot import SRCROOT, artifact_location, root_uri, source_root

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "notice": "note"}
_ROOT_TEXT = "The git work tree of the audited documents, else the folder citeaudit ran in."

# What each rule means, then what to do about it: the `help` code scanning shows with an alert.
_HELP: dict[LinkStatus | Risk, tuple[str, str]] = {
    LinkStatus.DEAD: (
        "The cited page is gone: the server answered 404 or 410, or the domain no longer exists.",
        "Replace the link with the page's new address or with an archived copy (the alert names "
        "one when a web archive has it). If no copy exists, find another source or reword the "
        "claim.",
    ),
    LinkStatus.SOFT_DEAD: (
        "The cited address still answers, but with a 'not found' page or the site's home page "
        "instead of the cited content.",
        "Open the link to confirm, then point it at the page's new address or at an archived copy.",
    ),
    LinkStatus.BLOCKED: (
        "The site refused the automated check (401, 403, 429 or a bot wall), so the link could "
        "not be verified.",
        "Open it in a browser. If it works, accept that status for the host in the "
        "configuration (`accept`) so later runs do not report it.",
    ),
    LinkStatus.ERROR: (
        "The check failed before the site answered: a timeout, a reset connection, a TLS "
        "problem or a server error (5xx).",
        "This is often temporary: run the check again. If it persists, the site may be gone; "
        "look for an archived copy.",
    ),
    LinkStatus.INVALID: (
        "The URL is truncated (it ends with '...') or malformed, so it can be neither checked "
        "nor followed by a reader.",
        "Replace it with the full, exact link.",
    ),
    LinkStatus.SKIPPED: (
        "The URL was not checked: the configuration excludes it, or it points at a private "
        "address.",
        "Nothing to do, unless it should be checked: then remove the exclusion.",
    ),
    LinkStatus.FAILING: (
        "The page failed recent checks, but not yet often or long enough to be called dead "
        "(see `--confirm`).",
        "Open it to see whether it is gone; it is reported as dead if it keeps failing.",
    ),
    LinkStatus.FRAGMENT_MISSING: (
        "The page answers, but the anchor (#fragment) or text fragment it is cited with is "
        "not on it: the section was renamed or removed.",
        "Point the link at the section's new anchor, or drop the fragment.",
    ),
    Risk.UNSUPPORTED: (
        "No source of the claim is live or archived, or the claim cites no URL.",
        "Find a live or archived source for it, or reword or remove the claim.",
    ),
    Risk.SINGLE_SOURCE: (
        "The claim rests on one distinct URL: if that page goes, nothing backs it.",
        "Add an independent second source where the claim matters.",
    ),
    Risk.SINGLE_OUTLET: (
        "Every source of the claim comes from one outlet.",
        "Add a source from another outlet to corroborate it.",
    ),
}
_DEFAULT_LEVEL = {
    LinkStatus.DEAD: "error",
    LinkStatus.SOFT_DEAD: "error",
    Risk.UNSUPPORTED: "warning",
}


def _help(key: LinkStatus | Risk) -> dict[str, str]:
    meaning, action = _HELP[key]
    return {
        "text": f"{meaning} {action}",
        "markdown": f"**What it means:** {meaning}\n\n**What to do:** {action}",
    }


def _descriptor(
    rule: str, name: str, short: str, full: str, key: LinkStatus | Risk
) -> dict[str, Any]:
    return {
        "id": rule,
        "name": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": _help(key),
        "helpUri": TOOL_URI,
        "defaultConfiguration": {
            "level": _DEFAULT_LEVEL.get(key, "note" if isinstance(key, Risk) else "warning")
        },
    }


def rules(*, claims: bool = False) -> list[dict[str, Any]]:
    """The reportingDescriptors of the run: one per verdict, then one per claim risk if asked."""
    out = [
        _descriptor(
            rule_id(s),
            s.value.title().replace("_", "") + "Source",
            f"{s.value.replace('_', ' ')} source",
            text,
            s,
        )
        for s, text in RULES.items()
    ]
    if claims:
        out += [
            _descriptor(
                claim_rule_id(r),
                "Claim" + r.value.title().replace("_", ""),
                f"{r.value.replace('_', '-')} claim",
                text,
                r,
            )
            for r, text in CLAIM_RULES.items()
        ]
    return out


def fingerprint(rule: str, path: str, url: str, ordinal: int) -> str:
    """A stable id for one finding: the same when lines move, new when the URL or rule changes.

    >>> fingerprint("CA-DEAD", "r.md", "https://a.example/x", 0)[:12]
    '12e78893aae0'
    """
    text = "\x00".join((rule, path, url, str(ordinal)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Places:
    """Artifact locations of the documents, and each finding's rank among its equals."""

    def __init__(self, root: Path, cwd: Path) -> None:
        self.root, self.cwd = root, cwd
        self.seen: dict[tuple[str, str, str], int] = {}

    def location(self, path: str, region: dict[str, Any]) -> list[dict[str, Any]]:
        where = artifact_location(path, self.root, self.cwd)
        return [{"physicalLocation": {"artifactLocation": where, "region": region}}]

    def fingerprint(self, rule: str, path: str, what: str) -> str:
        # the path as code scanning knows it: the same from any checkout folder
        uri = artifact_location(path, self.root, self.cwd)["uri"]
        ordinal = self.seen.get((rule, uri, what), 0)
        self.seen[(rule, uri, what)] = ordinal + 1
        return fingerprint(rule, uri, what, ordinal)


def _result(a: Annotation, places: _Places, index: dict[str, int]) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(a.line, 1), "startColumn": max(a.column, 1)}
    written = a.source.as_written
    if written and "\n" not in written:
        region["endColumn"] = region["startColumn"] + len(written)
        region["snippet"] = {"text": written}
    properties: dict[str, Any] = {"url": a.row.url, "note": a.note, "state": str(a.row.state)}
    if a.row.snapshot is not None:
        properties["archive"] = a.row.snapshot.url
    return {
        "ruleId": a.rule,
        "ruleIndex": index[a.rule],
        "level": _LEVEL[a.level],
        "message": {"text": a.message},
        "locations": places.location(a.path, region),
        "partialFingerprints": {
            "citeauditSource/v1": places.fingerprint(a.rule, a.path, a.row.url)
        },
        "properties": properties,
    }


def _claim_result(c: ClaimAnnotation, places: _Places, index: dict[str, int]) -> dict[str, Any]:
    text = " ".join(c.score.claim.text.split())
    region = {"startLine": max(c.line, 1), "startColumn": max(c.column, 1)}
    return {
        "ruleId": c.rule,
        "ruleIndex": index[c.rule],
        "level": _LEVEL[c.level],
        "message": {"text": c.message},
        "locations": places.location(c.path, region),
        "partialFingerprints": {"citeauditClaim/v1": places.fingerprint(c.rule, c.path, text)},
        "properties": {
            "claim": c.score.claim.id,
            "risk": str(c.score.risk),
            "urls": list(c.score.urls),
        },
    }


def to_sarif(
    results: Sequence[AuditResult],
    *,
    root: Path,
    cwd: Path | None = None,
    claims: bool = False,
) -> dict[str, Any]:
    """The SARIF log of every document as one run, paths relative to `root` where inside it.

    `cwd` is what relative document paths are relative to (default: `root`); `claims` adds a
    result per claim at risk.
    """
    places = _Places(root, cwd or root)
    descriptors = rules(claims=claims)
    index = {r["id"]: i for i, r in enumerate(descriptors)}
    out = [_result(a, places, index) for a in occurrences(results)]
    if claims:
        out += [_claim_result(c, places, index) for c in claim_annotations(results)]
    artifacts = {
        json.dumps(loc, sort_keys=True): loc
        for loc in (
            artifact_location(r.catalog.document.path, places.root, places.cwd) for r in results
        )
    }
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
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {
                    SRCROOT: {
                        "uri": root_uri(root),
                        "description": {"text": _ROOT_TEXT},
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": [{"location": loc} for loc in artifacts.values()],
                "results": out,
            }
        ],
    }


def render(results: Sequence[AuditResult], *, claims: bool = False, cwd: Path | None = None) -> str:
    """The SARIF 2.1.0 log as JSON text, paths relative to the documents' repository root."""
    here = cwd or Path.cwd()
    root = source_root((r.catalog.document.path for r in results), here)
    return json.dumps(to_sarif(results, root=root, cwd=here, claims=claims), indent=2) + "\n"
