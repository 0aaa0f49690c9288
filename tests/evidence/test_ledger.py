"""The evidence ledger: JSON Lines export, merge on import, byte-for-byte stable round trip."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from citeaudit.check.cache import Cache
from citeaudit.cli import main
from citeaudit.evidence.ledger import (
    LEDGER_SCHEMA,
    LedgerError,
    export_ledger,
    import_ledger,
    latest_verdicts,
    read_ledger,
)
from citeaudit.models import ArchiveSnapshot, LinkStatus, Verdict

T0 = datetime(2030, 1, 1, 12, tzinfo=UTC)


def fill(store: Cache) -> None:
    snap = ArchiveSnapshot(
        True, "https://web.archive.org/web/20240301000000/http://a.test/", T0, "Internet Archive", 3
    )
    store.put(Verdict("http://b.test/x", LinkStatus.DEAD, "404 Not Found", 404, checked_at=T0))
    store.put(
        Verdict(
            "http://a.test/",
            LinkStatus.ALIVE,
            "200 OK — «ünïcode»",
            200,
            final_url="http://a.test/",
            checked_at=T0 + timedelta(days=1),
            archive=snap,
            fingerprint="0123456789abcdef",
        )
    )
    store.put(Verdict("http://a.test/", LinkStatus.ERROR, "timeout", checked_at=T0))
    store.put_archive("http://a.test/", date(2024, 3, 1), snap, checked_at=T0)


def test_export_is_sorted_canonical_and_round_trips_byte_for_byte(tmp_path: Path) -> None:
    with Cache(tmp_path / "one.sqlite3") as store:
        fill(store)
        assert export_ledger(store, tmp_path / "one.jsonl") == 4
    first = (tmp_path / "one.jsonl").read_bytes()
    lines = first.decode().splitlines()
    assert json.loads(lines[0]) == {"schema": LEDGER_SCHEMA}
    records = [json.loads(line) for line in lines[1:]]
    assert [(r["kind"], r["url"]) for r in records] == [
        ("probe", "http://a.test/"),
        ("probe", "http://a.test/"),
        ("probe", "http://b.test/x"),
        ("archive", "http://a.test/"),
    ]
    assert records[0]["checked_at"] < records[1]["checked_at"]
    assert "«ünïcode»" in first.decode()  # readable diffs: UTF-8 kept, not escaped
    assert all(", " not in line and ": " not in line.split('"reason"')[0] for line in lines)
    with Cache(tmp_path / "two.sqlite3") as other:
        stats = import_ledger(other, tmp_path / "one.jsonl")
        assert (stats.probes_added, stats.archives_added) == (3, 1)
        export_ledger(other, tmp_path / "two.jsonl")
        assert other.history("http://a.test/")[-1].fingerprint == "0123456789abcdef"
    assert (tmp_path / "two.jsonl").read_bytes() == first


def test_import_merges_without_duplicates(tmp_path: Path) -> None:
    with Cache(tmp_path / "one.sqlite3") as store:
        fill(store)
        export_ledger(store, tmp_path / "l.jsonl")
        stats = import_ledger(store, tmp_path / "l.jsonl")
        assert (stats.probes_added, stats.probes_known) == (0, 3)
        assert (stats.archives_added, stats.archives_known) == (0, 1)
        assert store.info()["probes"] == 3
    with Cache(tmp_path / "mixed.sqlite3") as mixed:
        mixed.put(Verdict("http://c.test/", LinkStatus.ALIVE, "200 OK", 200, checked_at=T0))
        stats = import_ledger(mixed, tmp_path / "l.jsonl")
        assert stats.probes_added == 3
        assert mixed.info()["urls"] == 3 and mixed.info()["probes"] == 4


def test_latest_verdicts_takes_the_newest_probe(tmp_path: Path) -> None:
    with Cache(tmp_path / "s.sqlite3") as store:
        fill(store)
        export_ledger(store, tmp_path / "l.jsonl")
    newest = latest_verdicts(read_ledger(tmp_path / "l.jsonl"))
    assert newest["http://a.test/"].status is LinkStatus.ALIVE
    assert newest["http://b.test/x"].status is LinkStatus.DEAD


@pytest.mark.parametrize(
    "text", ['{"schema": "other/9"}\n', "not json\n", '{"kind": "probe"}\n', "[1]\n"]
)
def test_malformed_ledgers_are_refused(tmp_path: Path, text: str) -> None:
    (tmp_path / "bad.jsonl").write_text(text)
    with pytest.raises(LedgerError):
        read_ledger(tmp_path / "bad.jsonl")


def test_cli_export_import_and_history(tmp_path: Path) -> None:
    with Cache(tmp_path / "s.sqlite3") as store:
        fill(store)
    runner = CliRunner()
    out = runner.invoke(
        main,
        ["ledger", "export", str(tmp_path / "l.jsonl"), "--cache", str(tmp_path / "s.sqlite3")],
    )
    assert out.exit_code == 0, out.output
    assert "4 records" in out.output
    out = runner.invoke(
        main,
        ["ledger", "import", str(tmp_path / "l.jsonl"), "--cache", str(tmp_path / "t.sqlite3")],
    )
    assert out.exit_code == 0, out.output
    assert "3 probes added, 0 already known" in out.output
    out = runner.invoke(main, ["history", "http://a.test/", "--cache", str(tmp_path / "t.sqlite3")])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0] == "http://a.test/"
    assert "error" in lines[1] and "alive" in lines[2] and "web.archive.org" in lines[2]
    out = runner.invoke(
        main,
        ["history", "http://b.test/x", "--format", "json", "--cache", str(tmp_path / "t.sqlite3")],
    )
    data = json.loads(out.output)
    assert [p["verdict"] for p in data["probes"]] == ["dead"]
    assert data["probes"][0]["status"] == 404
    out = runner.invoke(main, ["history", "http://z.test/", "--cache", str(tmp_path / "t.sqlite3")])
    assert "no history" in out.output
