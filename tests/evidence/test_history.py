"""Confirmed deaths: `--confirm N:DAYS` over the probe history, pure and across real runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from citeaudit.audit import check_documents, store_key
from citeaudit.check.cache import Cache
from citeaudit.evidence.history import Confirm, confirm, failing_streak, parse_confirm, timeline
from citeaudit.judge.score import source_state
from citeaudit.models import LinkStatus, SourceState, Verdict

from ..check.servers import Reply, TestServer, page
from ..loopback_report import load, options, write_report

T0 = datetime(2030, 1, 1, 12, tzinfo=UTC)
URL = "http://gone.test/p"


def probe(status: LinkStatus, days: float) -> Verdict:
    return Verdict(URL, status, str(status), checked_at=T0 + timedelta(days=days))


def test_parse_confirm() -> None:
    assert parse_confirm("3:3") == Confirm(3, 3)
    assert parse_confirm("1:0").immediate
    for bad in ("0:1", "x", "2:-1", "a:b"):
        with pytest.raises(ValueError):
            parse_confirm(bad)


def test_default_confirms_at_once() -> None:
    dead = probe(LinkStatus.DEAD, 0)
    assert confirm(dead, [], Confirm(), now=T0) is dead


def test_needs_n_checks_spread_over_days() -> None:
    policy = Confirm(3, 3)
    history = [probe(LinkStatus.DEAD, 0), probe(LinkStatus.DEAD, 1)]
    # Three failures, but only two days apart: still failing, with the first failure's date.
    third = probe(LinkStatus.DEAD, 2)
    out = confirm(third, history, policy, now=T0)
    assert out.status is LinkStatus.FAILING
    assert out.first_failed == T0.date()
    assert "3 of 3" in out.reason
    assert source_state(out) is SourceState.UNVERIFIED  # failing is unverified, never lost
    # Three days after the first failure: confirmed dead.
    assert confirm(probe(LinkStatus.DEAD, 3), history, policy, now=T0).status is LinkStatus.DEAD
    # Long enough but too few checks.
    two = confirm(probe(LinkStatus.DEAD, 5), history[:1], policy, now=T0)
    assert two.status is LinkStatus.FAILING


def test_one_alive_result_resets_and_unverified_ones_do_not() -> None:
    history = [
        probe(LinkStatus.DEAD, 0),
        probe(LinkStatus.DEAD, 1),
        probe(LinkStatus.ALIVE, 2),
        probe(LinkStatus.ERROR, 3),
        probe(LinkStatus.DEAD, 4),
    ]
    streak = failing_streak(history, T0)
    assert [v.checked_at for v in streak] == [T0 + timedelta(days=4)]
    out = confirm(probe(LinkStatus.SOFT_DEAD, 8), history, Confirm(2, 3), now=T0)
    assert out.status is LinkStatus.SOFT_DEAD  # two failures (days 4 and 8), four days apart
    out = confirm(probe(LinkStatus.DEAD, 5), history, Confirm(3, 0), now=T0)
    assert out.status is LinkStatus.FAILING
    assert out.first_failed == (T0 + timedelta(days=4)).date()


def test_the_same_probe_counts_once() -> None:
    dead = probe(LinkStatus.DEAD, 0)
    assert confirm(dead, [dead, dead], Confirm(2, 0), now=T0).status is LinkStatus.FAILING


def test_failing_round_trips_through_json() -> None:
    out = confirm(probe(LinkStatus.DEAD, 0), [], Confirm(2, 0), now=T0)
    assert Verdict.from_json(out.to_json()) == out


def test_confirmation_across_runs_with_a_controllable_clock(
    server: TestServer, tmp_path: Path
) -> None:
    server.default("news.test", Reply(200, page("News", "story")))
    server.default("other.test", Reply(200, page("Other", "story")))
    gone = {"dead": True}
    server.route(
        "gone.test",
        "/prices",
        lambda seen: Reply(404, page("Not found")) if gone["dead"] else Reply(200, page("Prices")),
    )
    catalog = load(write_report(tmp_path / "r.txt", server.port))
    url = next(s.url for _, s in catalog.sources() if "gone.test" in s.url)
    policy = Confirm(3, 3)

    def run(day: float) -> Verdict:
        with Cache(tmp_path / "store.sqlite3") as store:
            opts = options(server, now=T0 + timedelta(days=day), confirm=policy)
            (result,) = check_documents([catalog], opts, cache=store)
        return result.verdicts[url]

    first = run(0)
    assert first.status is LinkStatus.FAILING and first.first_failed == T0.date()
    assert run(1).status is LinkStatus.FAILING
    assert run(2).status is LinkStatus.FAILING  # three checks but over two days
    assert run(3.5).status is LinkStatus.DEAD  # four checks over 3.5 days
    gone["dead"] = False
    assert run(4).status.is_live  # one alive result resets
    gone["dead"] = True
    again = run(5)
    assert again.status is LinkStatus.FAILING
    assert again.first_failed == (T0 + timedelta(days=5)).date()
    with Cache(tmp_path / "store.sqlite3") as store:
        rows = timeline(store.history(store_key(url)))
    # Every probe is kept with the injected time and the raw verdict (never the confirmed one).
    assert [r["verdict"] for r in rows] == ["dead"] * 4 + ["alive", "dead"]
    assert rows[0]["checked_at"] == T0.isoformat()
    assert rows[0]["status"] == 404


def test_confirm_without_a_store_counts_this_run_only(server: TestServer, tmp_path: Path) -> None:
    server.route("news.test", "/statement", Reply(200, page("Statement", "text")))
    server.route("news.test", "/a", Reply(200, page("A", "text")))
    server.route("other.test", "/b", Reply(200, page("B", "text")))
    catalog = load(write_report(tmp_path / "r.txt", server.port))
    gone = next(s.url for _, s in catalog.sources() if "gone.test" in s.url)
    (strict,) = check_documents([catalog], options(server, confirm=Confirm(2, 0)))
    assert strict.verdicts[gone].status is LinkStatus.FAILING
    (default,) = check_documents([catalog], options(server))
    assert default.verdicts[gone].status is LinkStatus.DEAD


def test_timeline_marks_the_probes_where_the_text_changed() -> None:
    day = datetime(2024, 1, 1, tzinfo=UTC)
    probes = [
        Verdict("http://a.test/", LinkStatus.ALIVE, "200 OK", 200, checked_at=day, fingerprint=f)
        for f in ("aaaa", None, "aaaa", "bbbb")
    ]
    assert [row["changed"] for row in timeline(probes)] == [None, None, False, True]
