"""The Markdown (pull-request comment) report against expected text, and its escaping."""

from __future__ import annotations

import dataclasses
import re

import pytest

from citeaudit.judge.policy import claim_subject, distinct, known_subjects, problems, split
from citeaudit.judge.score import build_result
from citeaudit.models import AuditResult, Catalog, Claim, LinkStatus, Note
from citeaudit.report import Format, markdown, render
from citeaudit.report.common import attention, claims_at_risk
from citeaudit.report.markdown import GITHUB_COMMENT_LIMIT, md_link, md_text
from tests.report.conftest import DOCUMENT, src, verdict

EXPECTED = """\
## citeaudit: Syria update

Document: `reports/syria.md`

> **Notice:** archive lookups were rate limited

| URLs | live | archived | lost | unverified | claims at risk |
| ---: | ---: | ---: | ---: | ---: | ---: |
| 9 | 2 | 1 | 2 | 4 | 5 of 6 |

Verdicts: 1 alive, 1 redirected, 2 dead, 1 soft_dead, 1 blocked, 1 error, 1 invalid, 1 skipped.
Ignored by inline comments: 1.

### To fix first (10 problems)

- lost source https://gamma.net/missing (no such domain)
- lost source https://eps.info/soft (page says 'not found')
- claim 3 (line 14) is unsupported: Only a soft-dead page says so.
- claim 4 (line 16) is unsupported: An official said so in an interview.
- dead source https://beta.org/gone
- unverified source https://x.com/acct/status/1 (blocked: bot wall (x.com))
- unverified source https://delta.ru/page (error: timeout after 15 s)
- unverified source https://trunc.com/artic (invalid: truncated URL)
- claim 3 (line 14) is single-source: Only a soft-dead page says so.
- claim 5 (line 18) is single-source: One alpha page says so.

<details><summary>Links that need attention (7)</summary>

| state | verdict | notes | URL | reason | use instead |
| --- | --- | --- | --- | --- | --- |
| lost | dead | 2 | https://gamma.net/missing | no such domain | none found |
| lost | soft_dead | 4 | https://eps.info/soft | page says 'not found' | none found |
| archived | dead | 2 | https://beta.org/gone | 404 Not Found | \
[2023-08-01](https://web.archive.org/web/20230801000000/https://beta.org/gone) |
| unverified | blocked | 3 | https://x.com/acct/status/1 | bot wall (x.com) |  |
| unverified | error | 3 | https://delta.ru/page | timeout after 15 s |  |
| unverified | invalid | 3 | https://trunc.com/artic | truncated URL |  |
| unverified | skipped | 5 | http://10.0.0.1/intranet | private address |  |

</details>

<details><summary>Claims at risk (5)</summary>

| risk | claim | line | score | sources | lost | outlets | text |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |
| **unsupported** | 3 | 14 | 0% | 1 | 1 | 1 | Only a soft-dead page says so. |
| **unsupported** | 4 | 16 | 0% | 0 | 0 | 0 | An official said so in an interview. |
| **single_source** | 5 | 18 | 100% | 1 | 0 | 1 | One alpha page says so. |
| **single_outlet** | 1 | 10 | 100% | 2 | 0 | 1 | Alpha said one thing twice. |
| **degraded** | 2 | 12 | 75% | 4 | 1 | 3 | Several outlets agree, one link is gone. |

</details>

### Hints

- 1 URL on x.com was unverifiable: consider \\`accept\\` for that host
"""


def test_fixed_report(result: AuditResult):
    assert render([result], Format.MARKDOWN) == EXPECTED


def test_nothing_to_report():
    from citeaudit.judge.score import build_result
    from citeaudit.models import Catalog, Claim, Note

    from .conftest import DOCUMENT, VERDICTS, A

    b = dataclasses.replace(A, url="https://b.org/", outlet="b.org")
    catalog = Catalog(
        dataclasses.replace(DOCUMENT, title=None),
        (Note(1, 40, "", (A,)), Note(2, 41, "", (b,))),
        (Claim(1, 1, "x", (1, 2)),),
    )
    verdicts = {A.url: VERDICTS[A.url], b.url: dataclasses.replace(VERDICTS[A.url], url=b.url)}
    text = render([build_result(catalog, verdicts)], Format.MARKDOWN)
    assert text.startswith("## citeaudit: `reports/syria.md`\n")
    assert "Every source is live and every claim is supported." in text
    assert "###" not in text


def test_several_documents_get_a_section_each(result: AuditResult):
    text = render([result, result], Format.MARKDOWN)
    assert text == EXPECTED + "\n---\n\n" + EXPECTED


def test_escaping_helpers():
    assert md_text("a|b <i> `c` [d](e) @f\nnext") == (
        "a\\|b &lt;i&gt; \\`c\\` \\[d\\](e) &#64;f next"
    )
    assert md_link("x", "https://a.org/p (1)") == "[x](https://a.org/p%20%281%29)"
    assert md_link("x", "javascript:alert(1)") == "javascript:alert(1)"


_STATUSES = (
    (LinkStatus.DEAD, "404 Not Found", 404),
    (LinkStatus.BLOCKED, "bot wall", 403),
    (LinkStatus.ERROR, "timeout after 15 s", None),
    (LinkStatus.ALIVE, "200 OK", 200),
    (LinkStatus.SOFT_DEAD, "page says 'not found'", 200),
)


def large_result(links: int, with_baseline: bool = False) -> AuditResult:
    """A document with `links` distinct URLs of mixed verdicts, one note and claim per URL."""
    sources = [
        src(f"https://outlet{i % 97}.example/story/{i}", f"o{i % 97}", i + 10) for i in range(links)
    ]
    notes = tuple(Note(i + 1, i + 10, f"Source {i}.", (s,)) for i, s in enumerate(sources))
    claims = tuple(
        Claim(i + 1, i + 1, f"Claim number {i} says so.", (i + 1,)) for i in range(links)
    )
    verdicts = {}
    for i, s in enumerate(sources):
        status, reason, http = _STATUSES[i % len(_STATUSES)]
        verdicts[s.url] = verdict(s.url, status, reason, http)
    result = build_result(Catalog(DOCUMENT, notes, claims), verdicts)
    if with_baseline:
        # Three in four problems known before the change, as on a long-lived report.
        keys = [p.key for p in problems(result)]
        result = dataclasses.replace(
            result, baseline=frozenset(k for i, k in enumerate(keys) if i % 4)
        )
    return result


def folds(text: str) -> list[str]:
    """The bodies of the `<details>` sections, checking each is written as GitHub renders it."""
    assert text.count("<details>") == text.count("</details>")
    bodies = re.findall(r"<details><summary>[^<\n]+</summary>\n(.*?)</details>", text, re.S)
    assert len(bodies) == text.count("<details>")
    for body in bodies:
        # GitHub renders Markdown inside <details> only after a blank line, and needs one before
        # the closing tag too, or the last table row swallows it.
        assert body.startswith("\n") and body.endswith("\n\n")
    return bodies


@pytest.mark.parametrize("links", [500, 5000])
@pytest.mark.parametrize("with_baseline", [False, True])
def test_large_report_fits_a_github_comment(links: int, with_baseline: bool):
    result = large_result(links, with_baseline)
    full = markdown.render([result], limit=None)
    text = render([result], Format.MARKDOWN)
    assert len(full) > GITHUB_COMMENT_LIMIT or links == 500
    assert len(text) <= GITHUB_COMMENT_LIMIT
    assert text.startswith("## citeaudit:")
    folds(text)
    if len(full) > GITHUB_COMMENT_LIMIT:
        assert "left out here; the full report is in" in text
        head = text.partition("<details>")[0]
        assert re.search(r"_Cut to fit: \d+ rows left out below; the full report is in", head)


def test_summary_and_problems_come_before_the_folded_lists(result: AuditResult):
    text = render([result], Format.MARKDOWN)
    summary = text.index("| URLs | live |")
    first = text.index("### To fix first (10 problems)")
    assert summary < first < text.index("<details>")
    assert [m for m in re.findall(r"<summary>([^<]+)</summary>", text)] == [
        "Links that need attention (7)",
        "Claims at risk (5)",
    ]
    bodies = folds(text)
    assert "| lost | dead | 2 | https://gamma.net/missing |" in bodies[0]


def test_the_open_list_is_the_worst_ten_and_says_how_many_more():
    result = large_result(100)
    text = render([result], Format.MARKDOWN)
    first = text.partition("### To fix first")[2].partition("<details>")[0]
    items = [line for line in first.splitlines() if line.startswith("- ")]
    assert len(items) == 10 and all(i.startswith("- lost source ") for i in items)
    shown = len(distinct(problems(result)))
    assert f"_{shown - 10} more in the lists below._" in first


def test_a_baseline_opens_with_the_new_problems():
    result = large_result(40, with_baseline=True)
    new, known = (distinct(p) for p in split(result))
    text = render([result], Format.MARKDOWN)
    head = text.partition("<details>")[0]
    assert f"### Compared with the baseline: {len(new)} new, {len(known)} already known" in head
    assert head.count("- new: ") == len(new)
    assert "### To fix first" not in text
    links = re.search(
        r"<summary>Links that need attention \((\d+) new, (\d+) already known\)", text
    )
    assert links is not None
    assert int(links[1]) + int(links[2]) == len(attention(result))


def test_a_last_resort_cut_closes_the_fold_it_cut_into():
    result = large_result(300)
    many = [dataclasses.replace(result, notices=("n" * 400,) * 40)] * 30
    text = markdown.render(many, limit=GITHUB_COMMENT_LIMIT)
    assert len(text) <= GITHUB_COMMENT_LIMIT
    assert text.rstrip().endswith("the full report is in the job summary or `--format json`._")
    folds(text)


def test_baseline_collapses_known_items_to_counts():
    result = large_result(40, with_baseline=True)
    new, known = (distinct(p) for p in split(result))
    text = render([result], Format.MARKDOWN)
    assert known and new
    assert "- already known:" not in text
    assert f"Already known: {len(known)} (" in text
    assert text.count("- new: ") == len(new)


def test_with_a_baseline_and_nothing_wrong_it_says_so():
    from .conftest import VERDICTS, A

    b = dataclasses.replace(A, url="https://b.org/", outlet="b.org")
    catalog = Catalog(
        DOCUMENT, (Note(1, 40, "", (A,)), Note(2, 41, "", (b,))), (Claim(1, 1, "x", (1, 2)),)
    )
    verdicts = {A.url: VERDICTS[A.url], b.url: dataclasses.replace(VERDICTS[A.url], url=b.url)}
    fine = dataclasses.replace(build_result(catalog, verdicts), baseline=frozenset())
    text = render([fine], Format.MARKDOWN)
    assert "Every source is live and every claim is supported." in text
    assert "### Compared with the baseline: 0 new, 0 already known" in text
    assert "<details>" not in text


def test_truncation_counts_what_it_left_out():
    result = large_result(300)
    rows = len(attention(result))
    text = markdown.render([result], limit=20_000)
    assert len(text) <= 20_000
    shown = sum(
        1
        for line in text.splitlines()
        if line.startswith("| lost ") or line.startswith("| unverified ")
    )
    assert f"_{rows - shown} more links left out here;" in text


def test_a_cached_verdict_is_marked_with_its_age(result: AuditResult):
    from datetime import timedelta

    url = "https://gamma.net/missing"
    when = result.verdicts[url].checked_at
    assert when is not None
    verdicts = {**result.verdicts, url: dataclasses.replace(result.verdicts[url], from_cache=True)}
    later = dataclasses.replace(result, verdicts=verdicts, generated_at=when + timedelta(hours=5))
    lines = render([later], Format.MARKDOWN).splitlines()
    row = next(line for line in lines if url in line and line.startswith("|"))
    assert "_(cached 5 h ago)_" in row


def test_without_archives_there_is_no_archive_column_or_hint(result: AuditResult):
    from citeaudit.judge.hints import hints
    from citeaudit.models import RunFacts

    plain = {u: dataclasses.replace(v, archive=None) for u, v in result.verdicts.items()}
    bare = dataclasses.replace(result, verdicts=plain, run=RunFacts(urls=9, archive=None))
    bare = dataclasses.replace(bare, hints=hints(bare))
    text = render([bare], Format.MARKDOWN)
    assert "use instead" not in text and "none found" not in text
    said = "\n".join(bare.hints)
    assert "archive copy" not in said and "memento" not in said
    assert "3 sources are gone: find another source" in said
    assert "Web archives were not asked" in text


def test_moved_links_and_typos_have_their_sections(result: AuditResult):
    from citeaudit.models import Finding, FindingKind, Hop

    url = "https://alpha.com/a2"
    moved = dataclasses.replace(
        result.verdicts[url], redirects=(Hop(url, 301),), final_url="https://www.alpha.com/a2"
    )
    typo = Finding(
        FindingKind.POSSIBLE_TYPO, "typo", (1, 2),
        ("https://alpha.com/a-long-path/article-one", "https://alpha.com/a-long-path/artcle-one"),
        confidence="high",
    )  # fmt: skip
    catalog = dataclasses.replace(result.catalog, findings=(typo,))
    text = render(
        [dataclasses.replace(result, catalog=catalog, verdicts={**result.verdicts, url: moved})],
        Format.MARKDOWN,
    )
    moved_part = text.partition("<summary>Moved for good: update the link (1)</summary>")[2]
    assert "https://www.alpha.com/a2" in moved_part.partition("</details>")[0]
    typo_part = text.partition("<summary>Possible typos (1)</summary>")[2].partition("</details>")[
        0
    ]
    assert "article-one" in typo_part and "artcle-one" in typo_part


def test_beside_a_baseline_only_what_changed_is_listed():
    result = large_result(60, with_baseline=True)
    known = known_subjects(result)
    text = markdown.render([result], limit=None)
    lines = text.splitlines()
    links = [line for line in lines if line.startswith(("| lost ", "| archived ", "| unverified "))]
    needing = attention(result)
    shown = {r.url for r in needing if any(f" {r.url} " in line for line in links)}
    assert shown and len(shown) < len(needing)
    assert shown == {r.url for r in needing if r.url not in known}
    left = len(needing) - len(shown)
    assert f"_{left} links already known from the baseline; not listed here._" in text
    claims = {int(m[1]) for line in lines if (m := re.match(r"\| \*\*\w+\*\* \| (\d+) \|", line))}
    at_risk = claims_at_risk(result)
    assert claims == {c.claim.id for c in at_risk if claim_subject(c.claim.text) not in known}
    assert f"_{len(at_risk) - len(claims)} claims already known from the baseline" in text
    # Without a baseline every row is listed and nothing is called known.
    plain = markdown.render([dataclasses.replace(result, baseline=None)], limit=None)
    assert "already known" not in plain and all(f" {r.url} " in plain for r in needing)


def test_a_cut_inside_a_fold_closes_it():
    text = "## x\n\n<details><summary>Links (900)</summary>\n\n" + "| row |\n" * 900
    cut = markdown._cut(text, 2_000)
    assert len(cut) <= 2_000
    assert cut.count("</details>") == 1
    assert "| row |\n\n</details>\n" in cut
    assert cut.endswith(
        "\n_Report cut at 2,000 characters; the full report is in the job summary"
        " or `--format json`._\n"
    )
