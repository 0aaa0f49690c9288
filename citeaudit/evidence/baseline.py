"""Baselines for CI: judge a change on what it breaks, not on what was already broken.

Why it exists: a long report always has a few dead links; a pull request that fixes a typo should
not fail because of them. `--baseline REPORT.json` (a saved `check --format json`) or
`--baseline LEDGER.jsonl` (an evidence ledger) names what was already known; the run then fails
only on problems that are new, and the Markdown and GitHub outputs list "new" and "already known"
separately.

A problem is a key: `lost:URL`, `dead:URL`, `unverified:URL` for sources, and
`single-source:CLAIM` / `unsupported:CLAIM` for claims, where CLAIM is the claim's text with its
whitespace collapsed (claim ids move when a paragraph is inserted; the text does not). From a
ledger, the baseline's claim problems are those of the current document scored with the ledger's
newest verdicts. Everything here is pure except `load_baseline`, which reads one file. Which
problems are new (`split`, `distinct`) is the policy's business: reporters read it from there
without reaching the store.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeaudit.errors import CiteauditError
from citeaudit.evidence.ledger import LEDGER_SCHEMA, latest_verdicts, parse
from citeaudit.judge.policy import problems
from citeaudit.judge.score import build_result
from citeaudit.models import AuditResult, Catalog, Verdict
from citeaudit.report.json import load


class BaselineError(CiteauditError):
    """A baseline file that is neither a JSON report nor a ledger."""


@dataclass(frozen=True, slots=True)
class Baseline:
    """What a baseline file knew: problem keys (a report) or verdicts (a ledger)."""

    keys: frozenset[str] = frozenset()
    verdicts: dict[str, Verdict] | None = None

    def known_for(self, catalog: Catalog) -> frozenset[str]:
        """The problem keys the baseline knew, for this document."""
        if self.verdicts is None:
            return self.keys
        own = {s.url: self.verdicts[s.url] for _, s in catalog.sources() if s.url in self.verdicts}
        if not own:
            return frozenset()
        return frozenset(p.key for p in problems(build_result(catalog, own)))


def from_results(results: Sequence[AuditResult]) -> Baseline:
    """A baseline made of the problems of saved results."""
    return Baseline(keys=frozenset(p.key for r in results for p in problems(r)))


def load_baseline(path: str | Path) -> Baseline:
    """Read a JSON report or a JSON Lines ledger; BaselineError when it is neither."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from exc
    first = text.lstrip().split("\n", 1)[0]
    try:
        header: Any = json.loads(first)
    except json.JSONDecodeError:
        header = None
    if isinstance(header, dict) and header.get("schema") == LEDGER_SCHEMA:
        return Baseline(verdicts=latest_verdicts(parse(text, name=str(path))))
    try:
        return from_results(load(text))
    except CiteauditError as exc:
        raise BaselineError(f"baseline {path}: not a JSON report or a ledger ({exc})") from exc


def apply_baseline(results: Sequence[AuditResult], baseline: Baseline) -> list[AuditResult]:
    """The results, each told what its baseline already knew."""
    return [dataclasses.replace(r, baseline=baseline.known_for(r.catalog)) for r in results]
