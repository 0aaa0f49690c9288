"""Relative links: resolved against the document, a web --base-url or the site's root folder."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from citeaudit.check.links import check_local, local_target, web_target
from citeaudit.models import LinkStatus

NOW = datetime(2024, 1, 1, tzinfo=UTC)


def test_a_relative_link_is_found_next_to_its_document(tmp_path: Path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "map one.png").write_bytes(b"png")
    doc = str(tmp_path / "reports" / "r.md")
    target = local_target("../img/map%20one.png#legend", doc)
    assert target is not None and target.fragment == "legend"
    assert check_local("../img/map%20one.png", target, NOW).status is LinkStatus.ALIVE
    missing = local_target("../img/none.png", doc)
    verdict = check_local("../img/none.png", missing, NOW)
    assert verdict.status is LinkStatus.DEAD and "none.png" in verdict.reason


def test_root_relative_needs_a_root(tmp_path: Path):
    assert check_local("/about", local_target("/about", "r.md"), NOW).status is LinkStatus.SKIPPED
    (tmp_path / "about").mkdir()
    rooted = local_target("/about", "r.md", str(tmp_path))
    assert rooted is not None and rooted.path == tmp_path / "about"
    assert check_local("/about", rooted, NOW).status is LinkStatus.ALIVE


def test_web_targets_follow_url_rules():
    assert web_target("../up.html", "https://example.org/a/b/") == "https://example.org/a/up.html"
    assert web_target("/x", "https://example.org/a/") == "https://example.org/x"
