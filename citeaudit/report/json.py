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

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import orjson

from citeaudit.documents.gcpolicy import rare_collections
from citeaudit.errors import ReportError
from citeaudit.judge.score import score_claims, score_outlets
from citeaudit.models import (
    REPORT_SCHEMA,
    AuditResult,
    Catalog,
    Claim,
    ClaimScore,
    Document,
    Finding,
    Note,
    OutletScore,
    RunFacts,
    Source,
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
from citeaudit.report.json_stream import Streamed, chunks, pieces

# JSON encoders escape C0 controls themselves; writing UTF-8 they let C1 controls (0x9b
# is a CSI on some terminals), line separators and bidi overrides through raw. Inside a JSON
# string a \\u escape means the same character, so the data is unchanged and stays inert.
_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE


def dumps(data: Any) -> str:
    """Indented JSON, non-ASCII text kept readable, control characters escaped."""
    # orjson: the standard library's encoder falls back to pure Python once indent is set,
    # a second per 6 MB report; orjson writes the same JSON (UTF-8, two-space indent) in C
    return _escaped(orjson.dumps(data, option=_OPTIONS).decode("utf-8"))


def _escaped(text: str) -> str:
    if text.isascii() and "\x7f" not in text:
        # the only unsafe ASCII character is DEL; a string knows whether it is all ASCII, so
        # this costs one memchr where the regex took 50-70 ms over a 6 MB report
        return text
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _source_json(row: SourceRow) -> dict[str, Any]:
    # The verdict's whole JSON form (evidence, similarity, fingerprint, first_failed included),
    # so that a saved report reads back everything the run knew.
    out: dict[str, Any] = {"url": row.url, **_UNCHECKED_SOURCE}
    if row.verdict:
        out.update(row.verdict.to_json())
    out.update(url=row.url, reason=row.reason, outlet=row.outlet, notes=list(row.notes))
    out["state"] = str(row.state)
    return out


_UNCHECKED_SOURCE: dict[str, Any] = {
    "verdict": UNCHECKED,
    "status": None,
    "final_url": None,
    "redirects": [],
    "title": None,
    "checked_at": None,
    "elapsed_ms": 0,
    "from_cache": False,
    "archive": None,
    "final_outlet": None,
}


def to_json(result: AuditResult) -> dict[str, Any]:
    """The report object of one document."""
    return {k: list(v) if isinstance(v, Iterator) else v for k, v in _report(result).items()}


def _report(result: AuditResult) -> Streamed:
    # The long lists are iterators, produced as they are written (json_stream); to_json
    # makes them lists. The catalog's parts are read one by one: its whole JSON form would
    # also build every claim's, which the report does not show.
    catalog = result.catalog
    rows = source_rows(result)
    return Streamed(
        {
            "schema": REPORT_SCHEMA,
            "document": catalog.document.to_json(),
            "generated_at": result.generated_at.isoformat() if result.generated_at else None,
            "sources": map(_source_json, rows),
            "claims": (c.to_json() for c in result.claims),
            "outlets": (o.to_json() for o in result.outlets),
            "summary": {
                "urls": len(rows),
                "by_verdict": verdict_counts(result, rows),
                "by_state": state_counts(result, rows),
                "claims": len(result.claims),
                "by_risk": risk_counts(result),
                "ignored": result.ignored,
            },
            "notices": list(result.notices),
            "hints": list(result.hints),
            "ignored": result.ignored,
            "notes": (n.to_json() for n in catalog.notes),
            "ignored_claims": [c.to_json() for c in catalog.claims if c.ignored],
            "findings": [f.to_json() for f in catalog.findings],
            "baseline": None if result.baseline is None else sorted(result.baseline),
            "run": None if result.run is None else result.run.to_json(),
        }
    )


def render(results: Sequence[AuditResult]) -> str:
    """One report object for one document, a `documents` wrapper for several."""
    return "".join(render_chunks(results))


def render_chunks(results: Sequence[AuditResult]) -> Iterator[str]:
    """`render`'s text a megabyte at a time, produced as it is written."""
    # The report is a tree of small dicts and lists: with the default thresholds the collector
    # walked it (and the frozen run) 200 times per 5,000 sources, 40% of the rendering time.
    with rare_collections():
        if len(results) == 1:
            tree = _report(results[0])
        else:
            tree = Streamed(schema=REPORT_SCHEMA, documents=map(_report, results))
        # Item by item: the whole tree and its text at once set a large run's peak memory.
        # Escaped chunk by chunk: a character's escape does not depend on its neighbours.
        yield from chunks(itertools.chain(pieces(tree), "\n"), _escaped)


def _notes(data: dict[str, Any]) -> tuple[Note, ...]:
    if "notes" in data:
        return tuple(Note.from_json(n) for n in data["notes"])
    # A report written before notes were saved: rebuild bare notes from the sources' numbers.
    by_number: dict[int, list[Source]] = {}
    for s in data.get("sources", []):
        outlet = s.get("outlet", "")
        for number in s.get("notes", []):
            by_number.setdefault(int(number), []).append(Source(s["url"], s["url"], outlet))
    return tuple(Note(n, 0, "", tuple(by_number[n])) for n in sorted(by_number))


def _result(data: dict[str, Any]) -> AuditResult:
    if data.get("schema") != REPORT_SCHEMA:
        raise ReportError(f"not a {REPORT_SCHEMA} report (schema is {data.get('schema')!r})")
    document = Document.from_json(data["document"])
    claims = [c for c in data.get("claims", []) if isinstance(c, dict)]
    catalog = Catalog(
        document=document,
        notes=_notes(data),
        claims=tuple(
            sorted(
                (Claim.from_json(c) for c in [*claims, *data.get("ignored_claims", [])]),
                key=lambda c: c.id,
            )
        ),
        findings=tuple(Finding.from_json(f) for f in data.get("findings", [])),
    )
    verdicts = {
        s["url"]: Verdict.from_json(s)
        for s in data.get("sources", [])
        if s.get("verdict") not in (None, UNCHECKED)
    }
    # The saved scores are what the run reported; rescore only what the file lacks.
    scores = tuple(ClaimScore.from_json(c) for c in claims if "risk" in c)
    if len(scores) != len(claims):
        scores = score_claims(catalog, verdicts)
    outlets = (
        tuple(OutletScore.from_json(o) for o in data["outlets"])
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
        baseline=frozenset(data["baseline"]) if data.get("baseline") is not None else None,
        run=RunFacts.from_json(data["run"]) if data.get("run") else None,
    )


def load(text: str, *, name: str | None = None) -> list[AuditResult]:
    """The results saved in a JSON report (one or several documents); ReportError if unreadable.

    `name` (the file's path) starts every error message, so a user knows which file is wrong.
    """
    where = f"{name}: " if name else ""
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ReportError("not a citeaudit report: the JSON is not an object")
        if "documents" in data:
            if data.get("schema") != REPORT_SCHEMA:
                raise ReportError(f"not a {REPORT_SCHEMA} report")
            return [_result(d) for d in data["documents"]]
        return [_result(data)]
    except ReportError as exc:
        raise ReportError(f"{where}{exc}") from exc
    except json.JSONDecodeError as exc:
        raise ReportError(f"{where}not JSON ({exc.msg} at line {exc.lineno})") from exc
    except KeyError as exc:
        raise ReportError(f"{where}not a readable citeaudit report: no {exc} key") from exc
    except (ValueError, TypeError, AttributeError) as exc:
        raise ReportError(f"{where}not a readable citeaudit report: {exc}") from exc
