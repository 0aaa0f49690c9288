"""The models' JSON codec: every model reads back from its own JSON form, whole."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from citeaudit.models import (
    AppliedRule,
    ArchiveOutcome,
    ArchiveSnapshot,
    Catalog,
    CitationStyle,
    Claim,
    ClaimScore,
    Document,
    Finding,
    FindingKind,
    Flag,
    Hop,
    LinkStatus,
    Note,
    OutletKind,
    OutletScore,
    Risk,
    RunFacts,
    Source,
    Span,
    Verdict,
)

WHEN = datetime(2024, 5, 1, 12, 5, tzinfo=UTC)
SOURCE = Source(
    url="https://news.test/a?b=1",
    as_written="hxxps://news[.]test/a?b=1",
    outlet="news.test",
    flags=(Flag.DEFANGED, Flag.DEFANGED_SCHEME),
    span=Span(7, 12, page=3),
    key="https://news.test/a?b=1",
    alternates=("https://news.test/ab=1",),
)
CLAIM = Claim(4, 9, "A sentence [3].", (3, 5), column=2, ignored=True, page=3)
SNAPSHOT = ArchiveSnapshot(
    True, "https://web.archive.org/web/2023/x", WHEN, "wayback", days_from_document=-2
)
VERDICT = Verdict(
    url="https://news.test/a?b=1",
    status=LinkStatus.REDIRECTED,
    reason="301 to https",
    http_status=200,
    final_url="https://www.news.test/a?b=1",
    redirects=(Hop("https://news.test/a?b=1", 301),),
    title="A page",
    checked_at=WHEN,
    elapsed_ms=41,
    from_cache=True,
    archive=SNAPSHOT,
    final_outlet="news.test",
    first_failed=date(2024, 4, 2),
    fingerprint="ab12",
    evidence=("drifted",),
    similarity=0.5,
)
CATALOG = Catalog(
    document=Document("reports/syria.md", "Syria update", date(2023, 8, 3), sha256="00ff"),
    notes=(
        Note(3, 20, "See hxxps://news[.]test", (SOURCE,), page=3, label="iii"),
        Note(5, 21, "", style=CitationStyle.INLINE, ignored=True),
    ),
    claims=(CLAIM,),
    findings=(Finding(FindingKind.POSSIBLE_TYPO, "two ways", (3, 5), ("a", "b"), 20, "medium"),),
)
MODELS: list[Any] = [
    SOURCE,
    CLAIM,
    CATALOG,
    SNAPSHOT,
    ArchiveSnapshot.none("not archived", archive="memento"),
    ArchiveSnapshot(False, reason="rate limited"),
    VERDICT,
    Verdict("https://gone.test/", LinkStatus.DEAD, "404"),
    ClaimScore(CLAIM, 2, 1, 0, 1, 1, 0, 2, 1, 0.5, Risk.DEGRADED, ("u1", "u2")),
    ClaimScore(CLAIM, 0, 0, 0, 0, 0, 0, 0, 0, None, Risk.UNSUPPORTED),
    OutletScore("t.me/news", 3, 1, 1, 1, 0, 2, kind=OutletKind.SOCIAL),
    OutletScore("news.test", 1, 1, 0, 0, 0, 1),
    RunFacts(
        urls=9,
        from_cache=2,
        requests=11,
        seconds=1.5,
        archive="wayback",
        archive_failed=1,
        settings={"exclude": ["x.test"], "per_host": 4},
        rules=(AppliedRule("https://a.test/", "remapped", "remap a b", "https://b.test/"),),
        network_available=False,
    ),
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: type(m).__name__)
def test_from_json_of_to_json_is_the_model(model: Any) -> None:
    # through real JSON text, so a value JSON cannot carry (a date, a tuple) would show
    data = json.loads(json.dumps(model.to_json()))
    assert type(model).from_json(data) == model


def test_an_unarchived_lookup_keeps_its_outcome() -> None:
    back = ArchiveSnapshot.from_json(ArchiveSnapshot.none("no capture").to_json())
    assert back.outcome is ArchiveOutcome.NONE and not back.failed


def test_reports_before_outcome_read_no_capture_as_none() -> None:
    legacy = {"available": False, "reason": "No capture near 2023-08-03"}
    assert ArchiveSnapshot.from_json(legacy).outcome is ArchiveOutcome.NONE
    assert ArchiveSnapshot.from_json({"available": False, "reason": "timeout"}).failed
