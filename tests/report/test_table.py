"""The rich terminal report: sections, order, and the archive copy to use instead."""

from __future__ import annotations

import dataclasses

from citeaudit.models import AuditResult
from citeaudit.report import table


def test_sections_in_order(result: AuditResult):
    text = table.render([result], width=160)
    marks = [
        "notice: archive lookups were rate limited",
        "Syria update",
        "verdicts: 1 alive, 1 redirected, 2 dead, 1 soft_dead",
        "claims: 2 unsupported, 1 single_source, 1 single_outlet, 1 degraded, 1 ok",
        "Claims by risk",
        "Sources needing attention",
        "Outlets",
        "hint: 1 URL on x.com",
    ]
    positions = [text.index(m) for m in marks]
    assert positions == sorted(positions)


def test_claims_sorted_worst_first(result: AuditResult):
    text = table.render([result], width=200)
    claims = text[text.index("Claims by risk") : text.index("Sources needing attention")]
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


def test_lost_sources_first_with_the_copy_to_use(result: AuditResult):
    text = table.render([result], width=240)
    section = text[text.index("Sources needing attention") : text.index("Outlets")]
    lines = [line for line in section.splitlines() if line.startswith("│")]
    assert "lost" in lines[0] and "gamma.net/missing" in lines[0]
    assert "no archived copy" in lines[0]
    archived = next(line for line in lines if "beta.org/gone" in line)
    assert "web.archive.org/web/20230801000000/https://beta.org/gone (2023-08-01)" in archived
    assert not any("alpha.com" in line for line in lines)


def test_no_attention_section_when_all_live(result: AuditResult):
    live = {
        url: dataclasses.replace(v, status=type(v.status).ALIVE, archive=None)
        for url, v in result.verdicts.items()
    }
    text = table.render([dataclasses.replace(result, verdicts=live)], width=160)
    assert "Sources needing attention" not in text


def test_several_documents_are_separated(result: AuditResult):
    text = table.render([result, result], width=160)
    assert text.count("Claims by risk") == 2
    assert "─" * 40 in text
