"""The core types every stage shares: frozen, hashable, with a stable JSON form.

The catalog types (`catalog`, `flags`: Document, Span, Source, Note, Claim, Finding, Catalog)
come out of parsing and are offline facts about a document. The checking types (`verdict`,
`archive`: LinkStatus, Hop, ArchiveSnapshot, Verdict) describe what the network said about one
URL. Scores (`scores`: SourceState, Risk, ClaimScore, OutletScore) are pure functions of both;
`run` holds one run's result. Nothing here does I/O.

`to_json()` methods return plain dicts whose keys are a public contract (`citeaudit.catalog/1`,
`citeaudit.report/1`): add fields, never rename or drop them. `codec` holds the pieces they share.
"""

from citeaudit.models.archive import ArchiveMode, ArchiveOutcome, ArchiveSnapshot
from citeaudit.models.catalog import (
    CATALOG_SCHEMA,
    Catalog,
    Claim,
    Document,
    Finding,
    Note,
    Source,
    Span,
)
from citeaudit.models.flags import CitationStyle, FindingKind, Flag
from citeaudit.models.run import REPORT_SCHEMA, AppliedRule, AuditResult, RunFacts
from citeaudit.models.scores import ClaimScore, OutletKind, OutletScore, Risk, SourceState
from citeaudit.models.verdict import PERMANENT_REDIRECTS, Hop, LinkStatus, Verdict

__all__ = [
    "CATALOG_SCHEMA",
    "PERMANENT_REDIRECTS",
    "REPORT_SCHEMA",
    "AppliedRule",
    "ArchiveMode",
    "ArchiveOutcome",
    "ArchiveSnapshot",
    "AuditResult",
    "Catalog",
    "CitationStyle",
    "Claim",
    "ClaimScore",
    "Document",
    "Finding",
    "FindingKind",
    "Flag",
    "Hop",
    "LinkStatus",
    "Note",
    "OutletKind",
    "OutletScore",
    "Risk",
    "RunFacts",
    "Source",
    "SourceState",
    "Span",
    "Verdict",
]
