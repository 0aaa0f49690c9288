"""What every format agrees on: the pure counts of `report.common`."""

from __future__ import annotations

from citeaudit.judge.score import build_result
from citeaudit.models import (
    ArchiveSnapshot,
    AuditResult,
    Catalog,
    LinkStatus,
    Note,
    OutletKind,
    SourceState,
    Verdict,
)
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


def _kinds_audit(**kw: object) -> AuditResult:
    """Sources of every outlet kind: a state outlet, a government, an account, two shortlinks."""
    urls = {
        "https://sana.sy/a": ("sana.sy", LinkStatus.ALIVE, None),
        "https://www.army.mil/b": ("army.mil", LinkStatus.DEAD, None),
        "https://www.dod.gov/c": ("dod.gov", LinkStatus.ALIVE, None),
        "https://t.me/chan/5": ("t.me/chan", LinkStatus.BLOCKED, None),
        "https://bit.ly/gone": ("bit.ly", LinkStatus.DEAD, None),
        # followed: the shortlink leans on its target's outlet, a news site
        "https://bit.ly/news": ("bit.ly", LinkStatus.ALIVE, "news.example"),
        "https://news.example/d": ("news.example", LinkStatus.ALIVE, None),
        "https://blog.example/e": ("blog.example", None, None),
    }
    sources = tuple(src(u, outlet, 10 + i) for i, (u, (outlet, _, _)) in enumerate(urls.items()))
    verdicts = {
        u: Verdict(u, status, "r", final_outlet=final)
        for u, (_, status, final) in urls.items()
        if status is not None
    }
    catalog = Catalog(DOCUMENT, (Note(1, 10, "", sources),), ())
    return build_result(catalog, verdicts, **kw)  # type: ignore[arg-type]


def test_sources_by_kind_counts_each_url_once_by_kind_and_state():
    kinds = common.sources_by_kind(_kinds_audit())
    assert list(kinds) == list(common.OUTLET_KINDS)
    assert all(list(states) == [str(s) for s in SourceState] for states in kinds.values())
    nonzero = {k: {s: n for s, n in v.items() if n} for k, v in kinds.items() if any(v.values())}
    assert nonzero == {
        "state media": {"live": 1},
        "government": {"live": 1, "lost": 1},
        "platform account": {"unverified": 1},
        "shortener": {"lost": 1},
        "other website": {"live": 2, "unchecked": 1},
    }
    total = sum(n for states in kinds.values() for n in states.values())
    assert total == len(common.source_rows(_kinds_audit()))


def _archive_audit(**kw: object) -> AuditResult:
    """Archive copies on an archive's own domain and on a government's, beside the page."""
    urls = {
        "https://web.archive.org/web/2023/https://news.example/d": "archive.org",
        "https://archive.ph/AbCd1": "archive.ph",
        "https://webarchive.loc.gov/all/2023/https://news.example/d": "loc.gov",
        "https://www.loc.gov/item/x/": "loc.gov",
        "https://mirror.example/news.example/d": "mirror.example",
        "https://news.example/d": "news.example",
    }
    sources = tuple(src(u, outlet, 10 + i) for i, (u, outlet) in enumerate(urls.items()))
    verdicts = {u: Verdict(u, LinkStatus.ALIVE, "r") for u in urls}
    catalog = Catalog(DOCUMENT, (Note(1, 10, "", sources),), ())
    return build_result(catalog, verdicts, **kw)  # type: ignore[arg-type]


def test_archive_copies_are_their_own_kind_whoever_runs_the_archive():
    kinds = common.sources_by_kind(_archive_audit())
    live = {k: v["live"] for k, v in kinds.items() if v["live"]}
    # the Library of Congress's capture is a copy; its catalogue page is the government's
    assert live == {"archive copy": 3, "government": 1, "other website": 2}
    outlets = {o.outlet: o.kind for o in _archive_audit().outlets}
    assert outlets["archive.org"] is outlets["archive.ph"] is OutletKind.ARCHIVE
    assert outlets["loc.gov"] is OutletKind.GOVERNMENT


def test_the_outlet_kinds_setting_names_more_archives():
    kinds = common.sources_by_kind(_archive_audit(outlet_kinds={"mirror.example": "archive"}))
    assert kinds["archive copy"]["live"] == 4
    assert kinds["other website"]["live"] == 1


def test_sources_by_kind_follows_the_outlet_kinds_setting():
    corrected = _kinds_audit(outlet_kinds={"news.example": "state_media", "sana.sy": ""})
    kinds = common.sources_by_kind(corrected)
    assert kinds["state media"] == {**dict.fromkeys(kinds["state media"], 0), "live": 2}
    assert kinds["other website"]["live"] == 1  # sana.sy, corrected to no kind
