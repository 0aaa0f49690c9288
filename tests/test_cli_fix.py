"""`citeaudit fix`: a diff by default, -o a copy, --in-place with a backup, never over an input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from citeaudit.cli import main

from .check.servers import TestServer
from .fix import outlets


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def checked(server: TestServer, tmp_path: Path) -> tuple[Path, Path, TestServer]:
    """A report on loopback outlets and its saved JSON report."""
    from .fix.test_run import saved_report

    outlets.serve(server)
    doc = outlets.write(tmp_path / "report.md", server.port)
    return doc, saved_report(doc, server, tmp_path), server


def test_default_prints_the_diff_and_changes_nothing(checked) -> None:
    doc, report, server = checked
    before = doc.read_bytes()
    result = run("fix", str(doc), "--from", str(report))
    assert result.exit_code == 0, result.stderr
    assert doc.read_bytes() == before
    assert not Path(f"{doc}.orig").exists()
    out = result.stdout
    assert out.startswith(f"citeaudit fix {doc}: 5 changes, 1 fix not made\n")
    assert f"--- a/{str(doc).lstrip('/')}\n" in out
    assert "@@ -8,6 +8,6 @@ note 1 archive; note 2 redirect; note 3 typo; note 4 truncated" in out
    assert f"-[2] http://moved.test:{server.port}/old and again" in out
    assert f"+[2] http://news.test:{server.port}/new and again" in out


def test_output_writes_the_copy_and_never_an_input(checked, tmp_path: Path) -> None:
    doc, report, _ = checked
    before = doc.read_bytes()
    out = tmp_path / "fixed.md"
    result = run("fix", str(doc), "--from", str(report), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # the diff only with --diff
    assert "5 change(s) made, 1 not made" in result.stderr
    assert out.read_bytes() != before and doc.read_bytes() == before
    for target in (doc, report):
        refused = run("fix", str(doc), "--from", str(report), "-o", str(target))
        assert refused.exit_code == 2
        assert "refusing to overwrite the input" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    assert doc.read_bytes() == before


def test_in_place_keeps_a_backup_and_refuses_a_stale_report(checked) -> None:
    doc, report, _ = checked
    before = doc.read_bytes()
    result = run("fix", str(doc), "--from", str(report), "--in-place", "--diff")
    assert result.exit_code == 0, result.stderr
    assert Path(f"{doc}.orig").read_bytes() == before
    assert doc.read_bytes() != before and "+[2] http://news.test" in result.stdout
    fixed = doc.read_bytes()
    # The report was made from the original: the file changed since, so no second pass.
    again = run("fix", str(doc), "--from", str(report), "--in-place")
    assert again.exit_code == 2 and "refusing to fix in place" in again.stderr
    assert doc.read_bytes() == fixed


def test_in_place_never_overwrites_an_earlier_backup(checked) -> None:
    doc, report, _ = checked
    backup = Path(f"{doc}.orig")
    backup.write_bytes(b"an older original")
    result = run("fix", str(doc), "--from", str(report), "--in-place")
    assert result.exit_code == 2 and "a backup already exists" in result.stderr
    assert backup.read_bytes() == b"an older original"


def test_json_lists_every_change_with_its_reason(checked) -> None:
    doc, report, server = checked
    result = run("fix", str(doc), "--from", str(report), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "citeaudit.fix/1" and data["document"] == str(doc)
    assert [c["kind"] for c in data["changes"]] == [
        "archive", "redirect", "redirect", "typo", "truncated",
    ]  # fmt: skip
    typo = data["changes"][3]
    assert typo["old"] == f"http://news.test:{server.port}/wages-reprt-for-march"
    assert typo["new"] == f"http://news.test:{server.port}/wages-report-for-march"
    assert "is dead (404 Not Found)" in typo["reason"] and typo["line"] == 11
    assert [s["kind"] for s in data["skipped"]] == ["redirect"]


def test_fix_checks_by_itself_without_a_report(server: TestServer, tmp_path: Path) -> None:
    outlets.serve(server)
    doc = outlets.write(tmp_path / "report.md", server.port)
    resolve = [f"--resolve={h}:{server.port}:127.0.0.1" for h in outlets.HOSTS]
    result = run(
        "fix", str(doc), *resolve, "--canary", "localhost", "--no-cache",
        "--wayback-endpoint", server.url("archive.test", ""), "--apply", "redirect,archive",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"citeaudit fix {doc}: 3 changes")
    assert "[archived](http://archive.test:" in result.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--apply", "everything"], "unknown fix 'everything'"),
        (["-o", "x.md", "--in-place"], "not both"),
    ],
)
def test_bad_options_are_one_line_usage_errors(checked, args: list[str], says: str) -> None:
    doc, report, _ = checked
    result = run("fix", str(doc), "--from", str(report), *args)
    assert result.exit_code == 2 and says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_pdf_is_refused_in_one_line(tmp_path: Path) -> None:
    pdf = Path(__file__).resolve().parent / "fixtures" / "formats" / "links-and-breaks.pdf"
    report = tmp_path / "r.json"
    report.write_text("{}")
    result = run("fix", str(pdf), "--from", str(report))
    assert result.exit_code == 2 and "PDF is read-only" in result.stderr
