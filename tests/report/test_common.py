"""What every format agrees on: the pure counts of `report.common`."""

from __future__ import annotations

from citeaudit.models import ArchiveSnapshot, AuditResult, Catalog, LinkStatus, Note, Verdict
from citeaudit.report import common

from .conftest import DOCUMENT, src


def test_capture_ages_buckets():
    def aged(days: int | None) -> AuditResult:
        snap = ArchiveSnapshot(True, "https://web.archive.org/x", days_from_document=days)
        a = src("https://a.example/", "a.example", 1)
        return AuditResult(
            Catalog(DOCUMENT, (Note(1, 1, "", (a,)),), ()),
            {a.url: Verdict(a.url, LinkStatus.DEAD, "404", archive=snap)},
        )

    def bucket(days: int | None) -> str:
        return next(k for k, n in common.capture_ages(aged(days)).items() if n)

    assert [bucket(d) for d in (-366, -365, -31, -30, -8, -7, 0, 7, 8, 30, 31, 365, 366)] == [
        "over a year before",
        "1–12 months before",
        "1–12 months before",
        "1–4 weeks before",
        "1–4 weeks before",
        "within a week",
        "within a week",
        "within a week",
        "1–4 weeks after",
        "1–4 weeks after",
        "1–12 months after",
        "1–12 months after",
        "over a year after",
    ]
    assert bucket(None) == common.AGE_UNKNOWN
