"""The terminal report: problems first in one screen, capped groups, full tables on --verbose."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from citeaudit.judge.score import build_result
from citeaudit.models import (
    ArchiveSnapshot,
    AuditResult,
    Catalog,
    Claim,
    Document,
    Finding,
    FindingKind,
    Hop,
    LinkStatus,
    Note,
    RunFacts,
    Source,
    Span,
    Verdict,
)
from citeaudit.report import table
from citeaudit.report.table import Layout

NOW = datetime(2024, 5, 1, 12, tzinfo=UTC)


def test_sections_in_order(result: AuditResult):
    text = table.render([result], width=160)
    marks = [
        "notice: archive lookups were rate limited",
        "Syria update",
        "verdicts: 1 alive, 1 redirected, 2 dead, 1 soft_dead",
        "claims: 2 unsupported, 1 single_source, 1 single_outlet, 1 degraded, 1 ok",
        "Sources that are gone or unverified",
        "Claims at risk",
        "hint: 1 URL on x.com",
    ]
    positions = [text.index(m) for m in marks]
    assert positions == sorted(positions)
    assert "Outlets" not in text  # full tables only with --verbose


def test_verbose_shows_the_full_tables(result: AuditResult):
    text = table.render([result], width=200, layout=Layout(verbose=True))
    claims = text[text.index("Claims by risk") : text.index("Outlets")]
    rows = [line.split("│")[1].strip() for line in claims.splitlines() if line.startswith("│")]
    risks = [r for r in rows if r]
    assert risks == [
        "unsupported",
        "unsupported",
        "single_source",
        "single_outlet",
        "degraded",
        "ok",
    ]
    assert "Outlets" in text


def test_claims_at_risk_leave_the_ok_ones_out(result: AuditResult):
    text = table.render([result], width=200)
    claims = text[text.index("Claims at risk") :]
    assert "Four outlets say so." not in claims  # the only ok claim
    assert "Only a soft-dead page says so." in claims


def test_lost_sources_first_with_their_claims_and_the_copy_to_use(result: AuditResult):
    text = table.render([result], width=240)
    section = text[text.index("Sources that are gone") : text.index("Claims at risk")]
    lines = [line for line in section.splitlines() if "http" in line]
    assert lines[0].split()[0] == "lost" and "gamma.net/missing" in lines[0]
    assert "no archived copy" in lines[0]
    assert lines[0].split()[2] == "2"  # claim 2 rests on it
    archived = next(line for line in lines if "beta.org/gone" in line)
    assert "web.archive.org/web/20230801000000/https://beta.org/gone (2023-08-01)" in archived
    assert not any("alpha.com" in line for line in lines)


def test_no_attention_section_when_all_live(result: AuditResult):
    live = {
        url: dataclasses.replace(v, status=LinkStatus.ALIVE, archive=None)
        for url, v in result.verdicts.items()
    }
    text = table.render([dataclasses.replace(result, verdicts=live)], width=160)
    assert "Sources that are gone" not in text


def test_several_documents_are_separated(result: AuditResult):
    text = table.render([result, result], width=160)
    assert text.count("Claims at risk") == 2
    assert "─" * 40 in text


def test_hints_can_be_silenced(result: AuditResult):
    assert "hint:" in table.render([result])
    assert "hint:" not in table.render([result], layout=Layout(hints=False))


def test_without_archives_there_is_no_archive_column(result: AuditResult):
    plain = {u: dataclasses.replace(v, archive=None) for u, v in result.verdicts.items()}
    run = RunFacts(urls=9, archive=None)
    text = table.render([dataclasses.replace(result, verdicts=plain, run=run)], width=200)
    assert "use instead" not in text and "no archived copy" not in text
    assert "archives not asked" in text


def test_failed_archive_lookups_are_counted_in_the_summary(result: AuditResult):
    failed = ArchiveSnapshot(False, reason="archive error: HTTP 503")
    verdicts = dict(result.verdicts)
    url = "https://gamma.net/missing"
    verdicts[url] = dataclasses.replace(verdicts[url], archive=failed)
    run = RunFacts(urls=9, archive="wayback")
    text = table.render([dataclasses.replace(result, verdicts=verdicts, run=run)], width=200)
    assert "1 archive lookups failed" in text.split("╰")[0]  # inside the summary panel
    line = next(line for line in text.splitlines() if "gamma.net/missing" in line)
    assert "archive lookup failed" in line


def test_a_cached_verdict_says_how_old_it_is(result: AuditResult):
    url = "https://gamma.net/missing"
    verdicts = dict(result.verdicts)
    verdicts[url] = dataclasses.replace(
        verdicts[url], from_cache=True, checked_at=NOW - timedelta(hours=3)
    )
    cached = dataclasses.replace(result, verdicts=verdicts, generated_at=NOW)
    line = next(line for line in table.render([cached], width=240).splitlines() if url in line)
    assert "cached 3 h ago" in line


# -- size: one screen whatever the document ------------------------------------------------


def big_result(links: int) -> AuditResult:
    """A document of `links` URLs over 50 hosts: dead, archived, moved, blocked, typos."""
    notes, verdicts = [], {}
    for i in range(links):
        url = f"https://host{i % 50}.example/section/{i}/a-rather-long-article-slug-{i}"
        notes.append(
            Note(
                i + 1,
                1000 + i,
                url,
                (Source(url, url, f"host{i % 50}.example", span=Span(1000 + i, 5)),),
            )
        )
        kind = i % 20
        if kind == 0:
            verdicts[url] = Verdict(url, LinkStatus.DEAD, "404 Not Found", 404)
        elif kind == 1:
            snap = ArchiveSnapshot(True, url=f"https://web.archive.org/web/2023/{url}")
            verdicts[url] = Verdict(url, LinkStatus.DEAD, "410 Gone", 410, archive=snap)
        elif kind == 2:
            hops = (Hop(url, 301),)
            verdicts[url] = Verdict(
                url, LinkStatus.REDIRECTED, "200 OK", 200, final_url=url + "/new", redirects=hops
            )
        elif kind == 3:
            verdicts[url] = Verdict(url, LinkStatus.BLOCKED, "403 Forbidden", 403)
        else:
            verdicts[url] = Verdict(url, LinkStatus.ALIVE, "200 OK", 200)
    claims = tuple(
        Claim(
            j + 1, 10 + j, f"Claim number {j} says a thing at some length.", (2 * j + 1, 2 * j + 2)
        )
        for j in range(links // 2)
    )
    urls = [n.sources[0].url for n in notes]
    findings = tuple(
        Finding(
            FindingKind.POSSIBLE_TYPO,
            "typo",
            notes=(k, k + 1),
            urls=(urls[k], urls[k + 1]),
            confidence="high",
        )
        for k in range(0, min(links, 40), 4)
    )
    catalog = Catalog(Document("big.md", "Big", None), tuple(notes), claims, findings)
    return build_result(catalog, verdicts, generated_at=NOW)


@pytest.mark.parametrize("links", [500, 5000])
@pytest.mark.parametrize("width", [80, 120, 200])
def test_a_big_document_fits_in_80_lines(links: int, width: int):
    text = table.render([big_result(links)], width=width)
    lines = text.splitlines()
    assert len(lines) < 80, "\n".join(lines)
    assert all(len(line) <= width for line in lines)
    for group in ("Sources that are gone", "Moved for good", "Possible typos", "Claims at risk"):
        assert group in text
    assert "... and " in text and "more sources" in text  # capped, and says so
    verbose = table.render([big_result(links)], width=240, layout=Layout(verbose=True))
    # everything is there on request: the last claim, and no cut
    assert f"Claim number {links // 2 - 1} says" in verbose.replace("\n", " ")
    assert "... and " not in verbose


def test_the_cut_says_where_the_full_report_is():
    text = table.render([big_result(500)], layout=Layout(full_report="see r.html or --verbose"))
    assert "more sources (see r.html or --verbose)" in text


def test_moved_links_show_where_they_went():
    text = table.render([big_result(100)], width=200)
    section = text[text.index("Moved for good") : text.index("Possible typos")]
    assert "/a-rather-long-article-slug-2/new" in section


def test_typo_rows_show_where_the_spellings_differ():
    a = "https://news.example/world/middle-east/2023/08/03/syria-deir-ez-zor-clashes"
    b = "https://news.example/world/middle-east/2023/08/03/syria-deir-ez-zor-clahses"
    notes = (
        Note(1, 5, a, (Source(a, a, "news.example"),)),
        Note(2, 6, b, (Source(b, b, "news.example"),)),
    )
    finding = Finding(FindingKind.POSSIBLE_TYPO, "typo", (1, 2), (a, b), confidence="high")
    catalog = Catalog(Document("t.md", None, None), notes, (Claim(1, 1, "C.", (1, 2)),), (finding,))
    result = build_result(catalog, {u: Verdict(u, LinkStatus.ALIVE, "200 OK", 200) for u in (a, b)})
    row = next(line for line in table.render([result], width=80).splitlines() if "high" in line)
    assert "clashes" in row and "clahses" in row
