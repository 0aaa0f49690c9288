"""GitHub Actions workflow commands against expected text, and the escaping rules."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citeaudit.models import AuditResult
from citeaudit.report import Format, render
from citeaudit.report.common import risk_counts, state_counts
from citeaudit.report.github import SHOWN_PER_LEVEL, command, escape_data, escape_property
from tests.report.test_markdown import large_result

EXPECTED = """\
::notice title=citeaudit%3A reports/syria.md::9 URLs (1 alive, 1 redirected, 2 dead, 1 soft_dead, \
1 blocked, 1 error, 1 invalid, 1 skipped); 2 lost, 1 archived; 5 of 6 claims at risk; 1 ignored
::error file=reports/syria.md,line=41,col=30,title=CA-DEAD%3A dead source in note \
2::https://gamma.net/missing is dead (no such domain) and no archived copy was found
::error file=reports/syria.md,line=43,col=5,title=CA-SOFT-DEAD%3A soft dead source in note \
4::https://eps.info/soft is soft dead (page says 'not found') and no archived copy was found
::warning file=reports/syria.md,line=42,col=5,title=CA-BLOCKED%3A blocked source in note \
3::https://x.com/acct/status/1 could not be verified (blocked: bot wall (x.com))
::warning file=reports/syria.md,line=42,col=35,title=CA-ERROR%3A error source in note \
3::https://delta.ru/page could not be verified (error: timeout after 15 s)
::warning file=reports/syria.md,line=42,col=60,title=CA-INVALID%3A invalid source in note \
3::https://trunc.com/artic could not be verified (invalid: truncated URL)
::warning file=reports/syria.md,line=14,col=1,title=CA-CLAIM-UNSUPPORTED%3A claim 3 is \
unsupported::'Only a soft-dead page says so.': its only source is neither live nor archived
::warning file=reports/syria.md,line=16,col=1,title=CA-CLAIM-UNSUPPORTED%3A claim 4 is \
unsupported::'An official said so in an interview.' cites no URL
::notice file=reports/syria.md,line=41,col=5,title=CA-DEAD%3A dead source in note \
2::https://beta.org/gone is dead (404 Not Found); use the archived copy \
https://web.archive.org/web/20230801000000/https://beta.org/gone (2023-08-01)
::notice file=reports/syria.md,line=10,col=1,title=CA-CLAIM-SINGLE-OUTLET%3A claim 1 is \
single-outlet::'Alpha said one thing twice.' rests on 2 sources from a single outlet
::notice file=reports/syria.md,line=18,col=1,title=CA-CLAIM-SINGLE-SOURCE%3A claim 5 is \
single-source::'One alpha page says so.' rests on a single source: https://alpha.com/a2
"""


def test_fixed_report(result: AuditResult):
    assert render([result], Format.GITHUB) == EXPECTED


def test_escaping_rules():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert command("error", "m", file="d,1.md", line=3) == "::error file=d%2C1.md,line=3::m"
    assert command("notice", "x") == "::notice::x"


def _unescape(text: str) -> str:
    for escaped, raw in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


@given(st.text(alphabet="%:,\r\nab5A0D", max_size=30))
def test_property_escaping_round_trips_and_has_no_separators(text: str):
    escaped = escape_property(text)
    assert not any(c in escaped for c in ":,\r\n")
    assert _unescape(escaped) == text


def _levels(text: str) -> list[str]:
    return [line[2:].split(" ", 1)[0].split("::", 1)[0] for line in text.splitlines()]


@pytest.mark.parametrize("links", [500, 5000])
def test_annotations_capped_per_level_with_summary_first(links: int):
    text = render([large_result(links)], Format.GITHUB)
    lines = text.splitlines()
    counts = collections.Counter(_levels(text)[1:])
    assert lines[0].startswith("::notice title=citeaudit summary::")
    assert f"{links} URLs" in lines[0] and "not shown" in lines[0]
    assert all(counts[level] <= SHOWN_PER_LEVEL for level in ("error", "warning", "notice"))
    assert counts["error"] == SHOWN_PER_LEVEL
    # errors before warnings before notices
    order = {"error": 0, "warning": 1, "notice": 2}
    ranks = [order[level] for level in _levels(text)[1:]]
    assert ranks == sorted(ranks)


def test_no_environment_writes_nothing(result: AuditResult, monkeypatch, tmp_path: Path):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    monkeypatch.chdir(tmp_path)
    render([result], Format.GITHUB)
    assert list(tmp_path.iterdir()) == []


def test_step_summary_and_outputs(result: AuditResult, monkeypatch, tmp_path: Path):
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    render([result], Format.GITHUB)
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + render(
        [result], Format.MARKDOWN
    )
    values = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    states = state_counts(result)
    assert values == {
        "lost": str(states["lost"]),
        "dead": "3",  # 2 dead and 1 soft_dead in the fixture
        "unverified": str(states["unverified"]),
        "single-source": str(risk_counts(result)["single_source"]),
    }
