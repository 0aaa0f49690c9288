"""The `citeaudit.report/1` JSON report, and reading one back to re-render it offline.

One document gives one report object. Several documents give
`{"schema": "citeaudit.report/1", "documents": [<one report object each>]}`.

A report object has the keys of the checking issue (`schema`, `document`, `generated_at`,
`sources`, `claims`, `summary`) plus `outlets`, `notes`, `ignored_claims` (claims silenced by
an inline ignore, never scored), `findings`, `notices`, `hints` and `ignored`, so that `load()`
can rebuild the whole AuditResult without the network (`citeaudit report REPORT.json --format X`).
A source that was never checked has the verdict `unchecked`. Keys are a public contract: add,
never rename or drop.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import orjson

from citeaudit.errors import ReportError
from citeaudit.models import (
    REPORT_SCHEMA,
    AuditResult,
    Catalog,
    CitationStyle,
    Claim,
    ClaimScore,
    Document,
    Finding,
    FindingKind,
    Flag,
    Note,
    OutletKind,
    OutletScore,
    Risk,
    Source,
    Span,
    Verdict,
)
from citeaudit.report.common import (
    UNCHECKED,
    SourceRow,
    risk_counts,
    source_rows,
    state_counts,
    verdict_counts,
)
from citeaudit.score import score_claims, score_outlets

# JSON encoders escape C0 controls themselves; writing UTF-8 they let C1 controls (0x9b
# is a CSI on some terminals), line separators and bidi overrides through raw. Inside a JSON
# string a \\u escape means the same character, so the data is unchanged and stays inert.
_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def dumps(data: Any) -> str:
    """Indented JSON, non-ASCII text kept readable, control characters escaped."""
    # orjson: the standard library's encoder falls back to pure Python once indent is set,
    # a second per 6 MB report; orjson writes the same JSON (UTF-8, two-space indent) in C
    text = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8")
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _source_json(row: SourceRow) -> dict[str, Any]:
    v = row.verdict.to_json() if row.verdict else {}
    return {
        "url": row.url,
        "verdict": v.get("verdict", UNCHECKED),
        "reason": row.reason,
        "status": v.get("status"),
        "final_url": v.get("final_url"),
        "redirects": v.get("redirects", []),
        "title": v.get("title"),
        "outlet": row.outlet,
        "notes": list(row.notes),
        "checked_at": v.get("checked_at"),
        "elapsed_ms": v.get("elapsed_ms", 0),
        "from_cache": v.get("from_cache", False),
        "archive": v.get("archive"),
        "final_outlet": v.get("final_outlet"),
        "state": str(row.state),
    }


def to_json(result: AuditResult) -> dict[str, Any]:
    """The report object of one document."""
    catalog = result.catalog.to_json()
    rows = source_rows(result)
    return {
        "schema": REPORT_SCHEMA,
        "document": catalog["document"],
        "generated_at": result.generated_at.isoformat() if result.generated_at else None,
        "sources": [_source_json(r) for r in rows],
        "claims": [c.to_json() for c in result.claims],
        "outlets": [o.to_json() for o in result.outlets],
        "summary": {
            "urls": len(rows),
            "by_verdict": verdict_counts(result),
            "by_state": state_counts(result),
            "claims": len(result.claims),
            "by_risk": risk_counts(result),
            "ignored": result.ignored,
        },
        "notices": list(result.notices),
        "hints": list(result.hints),
        "ignored": result.ignored,
        "notes": catalog["notes"],
        "ignored_claims": [c.to_json() for c in result.catalog.claims if c.ignored],
        "findings": catalog["findings"],
    }


def render(results: Sequence[AuditResult]) -> str:
    """One report object for one document, a `documents` wrapper for several."""
    if len(results) == 1:
        return dumps(to_json(results[0]))
    return dumps({"schema": REPORT_SCHEMA, "documents": [to_json(r) for r in results]})


def _source(data: dict[str, Any]) -> Source:
    line = int(data.get("line", 1))
    return Source(
        url=data["url"],
        as_written=data.get("as_written", data["url"]),
        outlet=data.get("outlet", ""),
        flags=tuple(Flag(f) for f in data.get("flags", [])),
        span=Span(line, int(data.get("column", 1))),
        key=data.get("key", ""),
        alternates=tuple(data.get("alternates", [])),
    )


def _notes(data: dict[str, Any]) -> tuple[Note, ...]:
    if "notes" in data:
        return tuple(
            Note(
                number=int(n["number"]),
                line=int(n["line"]),
                text=n.get("text", ""),
                sources=tuple(_source(s) for s in n.get("sources", [])),
                ignored=bool(n.get("ignored", False)),
                page=n.get("page"),
                style=CitationStyle(n.get("style", "endnotes")),
                label=n.get("label"),
            )
            for n in data["notes"]
        )
    # A report written before notes were saved: rebuild bare notes from the sources' numbers.
    by_number: dict[int, list[Source]] = {}
    for s in data.get("sources", []):
        outlet = s.get("outlet", "")
        for number in s.get("notes", []):
            by_number.setdefault(int(number), []).append(Source(s["url"], s["url"], outlet))
    return tuple(Note(n, 0, "", tuple(by_number[n])) for n in sorted(by_number))


def _claim(data: dict[str, Any]) -> Claim:
    return Claim(
        id=int(data["id"]),
        line=int(data["line"]),
        text=data.get("text", ""),
        notes=tuple(int(n) for n in data.get("notes", [])),
        column=int(data.get("column", 1)),
        ignored=bool(data.get("ignored", False)),
    )


def _claim_score(data: dict[str, Any]) -> ClaimScore:
    counts = {
        k: int(data[k])
        for k in (
            "sources",
            "live",
            "archived",
            "recoverable",
            "lost",
            "unverified",
            "outlets",
            "live_outlets",
        )
    }
    return ClaimScore(
        claim=_claim(data),
        score=float(data["score"]),
        risk=Risk(data["risk"]),
        urls=tuple(data.get("urls", [])),
        **counts,
    )


def _finding(data: dict[str, Any]) -> Finding:
    return Finding(
        kind=FindingKind(data["kind"]),
        message=data.get("message", ""),
        notes=tuple(int(n) for n in data.get("notes", [])),
        urls=tuple(data.get("urls", [])),
        line=data.get("line"),
        confidence=data.get("confidence"),
    )


def _result(data: dict[str, Any]) -> AuditResult:
    if data.get("schema") != REPORT_SCHEMA:
        raise ReportError(f"not a {REPORT_SCHEMA} report (schema is {data.get('schema')!r})")
    doc = data["document"]
    document = Document(
        path=doc["path"],
        title=doc.get("title"),
        date=date.fromisoformat(doc["date"]) if doc.get("date") else None,
        sha256=doc.get("sha256"),
    )
    claims = [c for c in data.get("claims", []) if isinstance(c, dict)]
    catalog = Catalog(
        document=document,
        notes=_notes(data),
        claims=tuple(
            sorted(
                (_claim(c) for c in [*claims, *data.get("ignored_claims", [])]),
                key=lambda c: c.id,
            )
        ),
        findings=tuple(_finding(f) for f in data.get("findings", [])),
    )
    verdicts = {
        s["url"]: Verdict.from_json(s)
        for s in data.get("sources", [])
        if s.get("verdict") not in (None, UNCHECKED)
    }
    # The saved scores are what the run reported; rescore only what the file lacks.
    scores = tuple(_claim_score(c) for c in claims if "risk" in c)
    if len(scores) != len(claims):
        scores = score_claims(catalog, verdicts)
    outlets = (
        tuple(_outlet(o) for o in data["outlets"])
        if "outlets" in data
        else score_outlets(catalog, verdicts, scores)
    )
    generated = data.get("generated_at")
    return AuditResult(
        catalog=catalog,
        verdicts=verdicts,
        claims=scores,
        outlets=outlets,
        generated_at=datetime.fromisoformat(generated) if generated else None,
        notices=tuple(data.get("notices", [])),
        hints=tuple(data.get("hints", [])),
        ignored=int(data.get("ignored", 0)),
    )


def load(text: str) -> list[AuditResult]:
    """The results saved in a JSON report (one or several documents); ReportError if unreadable."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ReportError("not a citeaudit report: the JSON is not an object")
        if "documents" in data:
            if data.get("schema") != REPORT_SCHEMA:
                raise ReportError(f"not a {REPORT_SCHEMA} report")
            return [_result(d) for d in data["documents"]]
        return [_result(data)]
    except ReportError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ReportError(f"not a readable citeaudit report: {type(exc).__name__}: {exc}") from exc


def _outlet(data: dict[str, Any]) -> OutletScore:
    # reports written before outlet kinds existed have no "kind"
    kind = data.get("kind")
    return OutletScore(**{**data, "kind": OutletKind(kind) if kind else None})
