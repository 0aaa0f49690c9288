"""What becomes of each cited URL before any probe, and the verdicts filed back as cited."""

from __future__ import annotations

from datetime import UTC, datetime

from citeaudit.audit import AuditOptions
from citeaudit.catalog.remap import parse_remap
from citeaudit.check.urlplan import as_cited, plan_urls
from citeaudit.documents import catalog_from_bytes
from citeaudit.models import LinkStatus, Verdict

NOW = datetime(2024, 1, 1, tzinfo=UTC)
REPORT = (
    b"R\n\nOne.[1]\n\nEndnotes\n\n"
    b"[1] https://a.test/x ; https://skip.test/y ; https://old.test/z ; [m](./m.md) ; [r](/r)\n"
)


def test_each_url_is_skipped_probed_as_itself_or_sent_elsewhere():
    catalog = catalog_from_bytes("r.md", REPORT)
    options = AuditOptions(
        exclude=("skip.test",),
        remap=(parse_remap("https://old.test/ https://new.test/"),),
        base_url="https://site.test/docs/",
    )
    plan = plan_urls([catalog], options, NOW)
    assert plan.fixed["https://skip.test/y"].status is LinkStatus.SKIPPED
    assert plan.probe == {
        "https://a.test/x": "https://a.test/x",
        "https://old.test/z": "https://new.test/z",
        "./m.md": "https://site.test/docs/m.md",
        "/r": "https://site.test/r",
    }
    assert {u: r.action for u, r in plan.applied.items()} == {
        "https://skip.test/y": "excluded",
        "https://old.test/z": "remapped",
        "./m.md": "resolved",
        "/r": "resolved",
    }
    probed = {"https://new.test/z": Verdict("https://new.test/z", LinkStatus.ALIVE, "200 OK")}
    filed = as_cited(plan, probed)
    assert filed["https://old.test/z"].url == "https://old.test/z"
    assert "remapped to https://new.test/z" in filed["https://old.test/z"].reason


def test_offline_probes_nothing_and_leaves_local_files_to_the_disk():
    catalog = catalog_from_bytes("r.md", REPORT)
    plan = plan_urls([catalog], AuditOptions(offline=True), NOW)
    assert plan.probe == {}
    assert {v.status for v in plan.fixed.values()} == {LinkStatus.SKIPPED}
    assert "./m.md" not in plan.fixed  # checked on disk, per document


def test_an_ftp_source_is_listed_and_skipped_never_probed():
    catalog = catalog_from_bytes(
        "r.md", b"R\n\nOne.[1]\n\nEndnotes\n\n[1] ftp://ftp.test/pub/a.csv\n"
    )
    plan = plan_urls([catalog], AuditOptions(), NOW)
    assert plan.probe == {}
    (verdict,) = plan.fixed.values()
    assert verdict.status is LinkStatus.SKIPPED and "ftp:// links are not checked" in verdict.reason
