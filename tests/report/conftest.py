"""A small fixed audit, built by hand from the models, that every report format is tested on.

Seven notes, nine distinct URLs with every verdict (one dead URL archived), and claims of every
risk. `hostile_result` is the same audit with page titles, reasons and document text that try
markup, ANSI escapes, HTML and table breaks.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from citeaudit.judge.score import build_result
from citeaudit.models import (
    ArchiveSnapshot,
    AuditResult,
    Catalog,
    Claim,
    Document,
    Flag,
    LinkStatus,
    Note,
    Source,
    Span,
    Verdict,
)

CHECKED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
HOSTILE = (
    "<script>alert(1)</script> \x1b[31m \x9b31m \u202e [bold]x[/bold] | a\nb\r ::error::boom"
    " @octocat `code` [link](https://evil.example)"
)


def src(url: str, outlet: str, line: int, column: int = 5, flags: tuple[Flag, ...] = ()) -> Source:
    return Source(url=url, as_written=url, outlet=outlet, flags=flags, span=Span(line, column))


A = src("https://alpha.com/a1", "alpha.com", 40)
B = src("https://alpha.com/a2", "alpha.com", 40, 28)
C = src("https://beta.org/gone", "beta.org", 41)
D = src("https://gamma.net/missing", "gamma.net", 41, 30)
E = src("https://x.com/acct/status/1", "twitter.com/acct", 42)
F = src("https://delta.ru/page", "delta.ru", 42, 35)
G = src("https://eps.info/soft", "eps.info", 43)
H = src("https://trunc.com/artic", "trunc.com", 42, 60, (Flag.TRUNCATED,))
K = src("http://10.0.0.1/intranet", "10.0.0.1", 44)
B7 = dataclasses.replace(B, span=Span(46, 5))

NOTES = (
    Note(1, 40, "Alpha, a1; alpha, a2.", (A, B)),
    Note(2, 41, "Beta; gamma.", (C, D)),
    Note(3, 42, "X post; delta; truncated.", (E, F, H)),
    Note(4, 43, "Eps.", (G,)),
    Note(5, 44, "Intranet.", (K,)),
    Note(6, 45, "Interview with an official, 2 August 2023.", ()),
    Note(7, 46, "Alpha again.", (B7,)),
)

CLAIMS = (
    Claim(1, 10, "Alpha said one thing twice.", (1,)),
    Claim(2, 12, "Several outlets agree, one link is gone.", (1, 2)),
    Claim(3, 14, "Only a soft-dead page says so.", (4,)),
    Claim(4, 16, "An official said so in an interview.", (6,)),
    Claim(5, 18, "One alpha page says so.", (7,)),
    Claim(6, 20, "Four outlets say so.", (1, 3)),
)

SNAPSHOT = ArchiveSnapshot(
    available=True,
    url="https://web.archive.org/web/20230801000000/https://beta.org/gone",
    timestamp=datetime(2023, 8, 1, tzinfo=UTC),
    archive="wayback",
    days_from_document=2,
)
NO_SNAPSHOT = ArchiveSnapshot.none("no capture found")


def verdict(url: str, status: LinkStatus, reason: str, http: int | None, **kw: object) -> Verdict:
    return Verdict(
        url=url,
        status=status,
        reason=reason,
        http_status=http,
        checked_at=CHECKED_AT,
        elapsed_ms=120,
        **kw,  # type: ignore[arg-type]
    )


VERDICTS = {
    A.url: verdict(A.url, LinkStatus.ALIVE, "200 OK", 200, title="Alpha one"),
    B.url: verdict(
        B.url,
        LinkStatus.REDIRECTED,
        "200 OK after 1 redirect",
        200,
        final_url="https://www.alpha.com/a2",
    ),
    C.url: verdict(C.url, LinkStatus.DEAD, "404 Not Found", 404, archive=SNAPSHOT),
    D.url: verdict(D.url, LinkStatus.DEAD, "no such domain", None, archive=NO_SNAPSHOT),
    E.url: verdict(E.url, LinkStatus.BLOCKED, "bot wall (x.com)", 403),
    F.url: verdict(F.url, LinkStatus.ERROR, "timeout after 15 s", None),
    G.url: verdict(G.url, LinkStatus.SOFT_DEAD, "page says 'not found'", 200),
    H.url: verdict(H.url, LinkStatus.INVALID, "truncated URL", None),
    K.url: verdict(K.url, LinkStatus.SKIPPED, "private address", None),
}

DOCUMENT = Document("reports/syria.md", "Syria update", date(2023, 8, 3))


def make_result() -> AuditResult:
    catalog = Catalog(DOCUMENT, NOTES, CLAIMS)
    return build_result(
        catalog,
        VERDICTS,
        notices=("archive lookups were rate limited",),
        hints=("1 URL on x.com was unverifiable: consider `accept` for that host",),
        generated_at=datetime(2024, 5, 1, 12, 5, tzinfo=UTC),
        ignored=1,
    )


def make_hostile() -> AuditResult:
    doc = dataclasses.replace(DOCUMENT, title=HOSTILE)
    claims = tuple(dataclasses.replace(c, text=f"{c.text} {HOSTILE}") for c in CLAIMS)
    verdicts = {
        url: dataclasses.replace(v, title=HOSTILE, reason=f"{v.reason} {HOSTILE}")
        for url, v in VERDICTS.items()
    }
    notes = tuple(dataclasses.replace(n, text=HOSTILE) for n in NOTES)
    return build_result(
        Catalog(doc, notes, claims), verdicts, notices=(HOSTILE,), hints=(HOSTILE,), ignored=1
    )


@pytest.fixture
def result() -> AuditResult:
    return make_result()


@pytest.fixture
def hostile_result() -> AuditResult:
    return make_hostile()
