"""GitHub Actions workflow commands against expected text, and the escaping rules."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from citeaudit.models import AuditResult
from citeaudit.report import Format, render
from citeaudit.report.github import command, escape_data, escape_property

EXPECTED = """\
::notice file=reports/syria.md,line=41,col=5,title=CA-DEAD%3A dead source in note 2::\
https://beta.org/gone is dead (404 Not Found); use the archived copy \
https://web.archive.org/web/20230801000000/https://beta.org/gone (2023-08-01)
::error file=reports/syria.md,line=41,col=30,title=CA-DEAD%3A dead source in note 2::\
https://gamma.net/missing is dead (no such domain) and no archived copy was found
::warning file=reports/syria.md,line=42,col=5,title=CA-BLOCKED%3A blocked source in note 3::\
https://x.com/acct/status/1 could not be verified (blocked: bot wall (x.com))
::warning file=reports/syria.md,line=42,col=35,title=CA-ERROR%3A error source in note 3::\
https://delta.ru/page could not be verified (error: timeout after 15 s)
::warning file=reports/syria.md,line=42,col=60,title=CA-INVALID%3A invalid source in note 3::\
https://trunc.com/artic could not be verified (invalid: truncated URL)
::error file=reports/syria.md,line=43,col=5,title=CA-SOFT-DEAD%3A soft dead source in note 4::\
https://eps.info/soft is soft dead (page says 'not found') and no archived copy was found
::notice file=reports/syria.md,line=10,col=1,title=CA-CLAIM-SINGLE-OUTLET%3A claim 1 is \
single-outlet::'Alpha said one thing twice.' rests on 2 sources from a single outlet
::warning file=reports/syria.md,line=14,col=1,title=CA-CLAIM-UNSUPPORTED%3A claim 3 is \
unsupported::'Only a soft-dead page says so.': its only source is neither live nor archived
::warning file=reports/syria.md,line=16,col=1,title=CA-CLAIM-UNSUPPORTED%3A claim 4 is \
unsupported::'An official said so in an interview.' cites no URL
::notice file=reports/syria.md,line=18,col=1,title=CA-CLAIM-SINGLE-SOURCE%3A claim 5 is \
single-source::'One alpha page says so.' rests on a single source: https://alpha.com/a2
::notice title=citeaudit%3A reports/syria.md::9 URLs (1 alive, 1 redirected, 2 dead, \
1 soft_dead, 1 blocked, 1 error, 1 invalid, 1 skipped); 2 lost, 1 archived; \
5 of 6 claims at risk; 1 ignored
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
