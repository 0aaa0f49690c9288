"""Exit codes for every `--fail-on` choice, on small hand-built audits."""

from __future__ import annotations

import pytest

from citeaudit.errors import ConfigError
from citeaudit.judge.policy import DEFAULT_FAIL_ON, FailOn, exit_code, found, parse_fail_on
from citeaudit.judge.score import build_result
from citeaudit.models import (
    ArchiveSnapshot,
    AuditResult,
    Catalog,
    Claim,
    Document,
    LinkStatus,
    Note,
    Source,
    Verdict,
)

SNAP = ArchiveSnapshot(True, url="https://web.archive.org/web/2023/x")


def audit(
    *links: tuple[str, LinkStatus, bool], claims: tuple[tuple[int, ...], ...] = ()
) -> AuditResult:
    """One note per link; each claim cites the notes given (default: one claim citing all)."""
    notes = tuple(
        Note(i + 1, 10 + i, "", (Source(url, url, url.split("/")[2]),))
        for i, (url, _, _) in enumerate(links)
    )
    cites = claims or (tuple(n.number for n in notes),)
    verdicts = {
        url: Verdict(url, status, status.value, archive=SNAP if snap else None)
        for url, status, snap in links
    }
    catalog = Catalog(
        Document("d.md", None, None),
        notes,
        tuple(Claim(i + 1, i + 1, "", c) for i, c in enumerate(cites)),
    )
    return build_result(catalog, verdicts)


CLEAN = audit(
    ("https://a.com/1", LinkStatus.ALIVE, False), ("https://b.com/1", LinkStatus.ALIVE, False)
)
LOST = audit(
    ("https://a.com/1", LinkStatus.ALIVE, False), ("https://b.com/1", LinkStatus.DEAD, False)
)
ARCHIVED = audit(
    ("https://a.com/1", LinkStatus.ALIVE, False), ("https://b.com/1", LinkStatus.SOFT_DEAD, True)
)
BLOCKED = audit(
    ("https://a.com/1", LinkStatus.ALIVE, False), ("https://b.com/1", LinkStatus.BLOCKED, False)
)
SKIPPED = audit(
    ("https://a.com/1", LinkStatus.ALIVE, False), ("https://b.com/1", LinkStatus.SKIPPED, False)
)
SINGLE = audit(("https://a.com/1", LinkStatus.ALIVE, False))
UNSUPPORTED = audit(
    ("https://a.com/1", LinkStatus.ERROR, False), ("https://b.com/1", LinkStatus.BLOCKED, False)
)


@pytest.mark.parametrize(
    ("result", "conditions"),
    [
        (CLEAN, set()),
        (LOST, {FailOn.LOST, FailOn.DEAD}),
        (ARCHIVED, {FailOn.DEAD}),
        (BLOCKED, {FailOn.UNVERIFIED}),
        (SKIPPED, set()),
        (SINGLE, {FailOn.SINGLE_SOURCE}),
        (UNSUPPORTED, {FailOn.UNVERIFIED, FailOn.UNSUPPORTED}),
    ],
    ids=["clean", "lost", "archived", "blocked", "skipped", "single", "unsupported"],
)
def test_found_conditions(result: AuditResult, conditions: set[FailOn]):
    assert found(result) == conditions


@pytest.mark.parametrize("fail_on", [f for f in FailOn if f is not FailOn.NEVER])
def test_each_choice_fails_exactly_when_its_condition_is_found(fail_on: FailOn):
    all_results = [CLEAN, LOST, ARCHIVED, BLOCKED, SKIPPED, SINGLE, UNSUPPORTED]
    for result in all_results:
        assert exit_code([result], {fail_on}) == (1 if fail_on in found(result) else 0)
    assert exit_code([CLEAN], {fail_on}) == 0
    assert exit_code(all_results, {fail_on}) == 1


def test_never_always_passes_and_default_is_lost():
    assert exit_code([LOST, UNSUPPORTED], {FailOn.NEVER, FailOn.LOST}) == 0
    assert {FailOn.LOST} == DEFAULT_FAIL_ON
    assert exit_code([ARCHIVED]) == 0
    assert exit_code([CLEAN, LOST]) == 1


def test_several_conditions_any_of_them_fails():
    assert exit_code([BLOCKED], {FailOn.LOST, FailOn.UNVERIFIED}) == 1
    assert exit_code([BLOCKED], {FailOn.LOST, FailOn.DEAD}) == 0


def test_parse_fail_on():
    assert parse_fail_on(["lost,single_source", " Unverified "]) == {
        FailOn.LOST,
        FailOn.SINGLE_SOURCE,
        FailOn.UNVERIFIED,
    }
    assert parse_fail_on([]) == DEFAULT_FAIL_ON
    with pytest.raises(ConfigError, match="'gone'"):
        parse_fail_on(["lost,gone"])


def test_only_the_documents_own_urls_count():
    # Verdicts shared between documents: a dead URL of another document does not fail this one.
    url = "https://a.com/1"
    base = audit((url, LinkStatus.ALIVE, False), ("https://b.com/1", LinkStatus.ALIVE, False))
    shared = dict(base.verdicts)
    shared["https://elsewhere.org/x"] = Verdict("https://elsewhere.org/x", LinkStatus.DEAD, "gone")
    result = build_result(base.catalog, shared)
    assert exit_code([result], {FailOn.LOST, FailOn.DEAD}) == 0


def test_ignored_notes_do_not_fail_the_run():
    import dataclasses

    notes = tuple(dataclasses.replace(n, ignored=n.number == 2) for n in LOST.catalog.notes)
    result = build_result(dataclasses.replace(LOST.catalog, notes=notes), LOST.verdicts)
    assert exit_code([result], {FailOn.LOST, FailOn.DEAD}) == 0
