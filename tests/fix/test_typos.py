"""Typo corrections: proven by the check, one place apart, never a different article."""

from __future__ import annotations

from citeaudit.fix.typos import corrections, one_place_apart
from citeaudit.models import Finding, FindingKind, LinkStatus, Verdict


def v(url: str, status: LinkStatus) -> Verdict:
    return Verdict(url, status, str(status))


def test_one_place_apart() -> None:
    assert one_place_apart("https://a.example/x/story", "https://a.example/x/stroy")
    assert one_place_apart("https://eyeofeufrates.com/ar/1", "https://eyeofeuphrates.com/ar/1")
    assert not one_place_apart("https://a.example/x/1", "https://a.example/y/2")
    assert not one_place_apart("https://a.example/x?a=1", "https://a.example/y?a=2")
    assert not one_place_apart("https://a.example/x/1", "https://a.example/x/1/2")


def test_a_group_picks_the_one_live_spelling_of_the_same_page() -> None:
    urls = (
        "https://eyeofeufrates.com/ar/news/1",
        "https://eyeofephbrates.com/ar/news/1",
        "https://eyeofeuphrates.com/ar/news/2",
    )
    finding = Finding(FindingKind.POSSIBLE_TYPO, "", urls=urls)
    verdicts = {
        urls[0]: v(urls[0], LinkStatus.ALIVE),
        urls[1]: v(urls[1], LinkStatus.DEAD),
        urls[2]: v(urls[2], LinkStatus.DEAD),
    }
    found = corrections([finding], verdicts)
    assert found[urls[1]].candidate == urls[0]
    # The other dead one has no live spelling of its own page: nothing is invented for it.
    assert found[urls[2]].candidate is None
    assert urls[0] not in found  # alive: nothing to correct


def test_two_live_spellings_are_ambiguous() -> None:
    urls = ("https://a.example/x/1", "https://b.example/x/1", "https://c.example/x/1")
    finding = Finding(FindingKind.POSSIBLE_TYPO, "", urls=urls)
    verdicts = {u: v(u, LinkStatus.ALIVE) for u in urls[1:]} | {
        urls[0]: v(urls[0], LinkStatus.DEAD)
    }
    (c,) = corrections([finding], verdicts).values()
    assert c.candidate is None and "2 spellings answer" in c.reason


def test_an_unverified_written_url_is_not_corrected() -> None:
    urls = ("https://t.me/a1/9", "https://t.me/a2/9")
    finding = Finding(FindingKind.POSSIBLE_TYPO, "", urls=urls)
    verdicts = {urls[0]: v(urls[0], LinkStatus.BLOCKED), urls[1]: v(urls[1], LinkStatus.ALIVE)}
    assert corrections([finding], verdicts) == {}
