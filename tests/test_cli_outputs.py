"""`check -o`: an output never replaces an input, and the refusal comes before any probing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from citeaudit.errors import ReportError
from citeaudit.report.files import refuse_overwriting_inputs

from .check.servers import TestServer
from .loopback_report import HOSTS, write_report


def citeaudit(
    server: TestServer, *args: str, stdin: Path | None = None
) -> subprocess.CompletedProcess:
    resolve = [a for host in HOSTS for a in ("--resolve", f"{host}:{server.port}:127.0.0.1")]
    command = [sys.executable, "-m", "citeaudit", "check", *args, "--no-archive", "-q"]
    with open(stdin or os.devnull, "rb") as source:
        return subprocess.run(
            [*command, "--canary", "localhost", *resolve],
            stdin=source,
            capture_output=True,
            text=True,
            timeout=120,
        )


@pytest.mark.parametrize("spec", ["json={doc}", "{doc}", "markdown={link}", "html={hard}"])
def test_standard_input_read_from_a_file_is_never_overwritten(
    farm: TestServer, tmp_path: Path, spec: str
) -> None:
    doc = write_report(tmp_path / "r.txt", farm.port)
    (tmp_path / "link.txt").symlink_to(doc)
    os.link(doc, tmp_path / "hard.txt")
    before = doc.read_bytes()
    target = spec.format(doc=doc, link=tmp_path / "link.txt", hard=tmp_path / "hard.txt")
    done = citeaudit(farm, "-", "-o", target, stdin=doc)
    assert done.returncode == 2, done.stderr
    assert "refusing to overwrite the input document standard input" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert doc.read_bytes() == before
    assert farm.hits() == []  # refused before a single request


def test_a_named_input_is_refused_before_probing(farm: TestServer, tmp_path: Path) -> None:
    doc = write_report(tmp_path / "r.txt", farm.port)
    before = doc.read_bytes()
    done = citeaudit(farm, str(doc), "-o", f"json={doc}")
    assert done.returncode == 2
    assert f"refusing to overwrite the input document {doc}" in done.stderr
    assert doc.read_bytes() == before
    assert farm.hits() == []


def test_an_unrelated_output_is_written(farm: TestServer, tmp_path: Path) -> None:
    doc = write_report(tmp_path / "r.txt", farm.port)
    out = tmp_path / "out.json"
    done = citeaudit(farm, "-", "-o", f"json={out}", stdin=doc)
    assert done.returncode == 1, done.stderr  # gone.test is lost
    assert '"schema": "citeaudit.report/1"' in out.read_text()
    assert farm.hits()


def test_a_pipe_on_standard_input_shares_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("old")
    read, write = os.pipe()
    saved = sys.stdin
    try:
        with os.fdopen(read) as pipe:
            sys.stdin = pipe
            refuse_overwriting_inputs([out], ["-"])
    finally:
        sys.stdin = saved
        os.close(write)


def test_a_file_on_standard_input_is_recognised(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("the report")
    saved = sys.stdin
    try:
        with open(doc) as sys.stdin, pytest.raises(ReportError, match="standard input"):  # type: ignore[assignment]
            refuse_overwriting_inputs([tmp_path / "doc.md"], ["-"])
    finally:
        sys.stdin = saved


def _check(server: TestServer, doc: Path, *extra: str) -> Any:
    from click.testing import CliRunner

    from citeaudit.cli import main

    args = ["check", str(doc), "--no-archive", "--canary", "localhost", "--retries", "0"]
    for host in HOSTS:
        args += ["--resolve", f"{host}:{server.port}:127.0.0.1"]
    return CliRunner().invoke(main, [*args, *extra])


def test_o_writes_besides_the_terminal_report_never_instead(farm: TestServer, tmp_path: Path):
    doc = write_report(tmp_path / "r.txt", farm.port)
    html = tmp_path / "r.html"
    done = _check(farm, doc, "-o", f"html={html}")
    assert done.exit_code == 1
    assert html.read_text().lower().startswith("<!doctype html>")
    assert "Sources that are gone or unverified" in done.stdout
    assert "gone.test" in done.stdout


def test_the_run_ends_with_one_line_saying_what_it_did(farm: TestServer, tmp_path: Path):
    doc = write_report(tmp_path / "r.txt", farm.port)
    done = _check(farm, doc)
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("citeaudit: checked 4 URLs in 1 document (0 from the cache, ")
    assert last.endswith(" s")


def test_quiet_silences_hints_and_the_closing_line(farm: TestServer, tmp_path: Path):
    doc = write_report(tmp_path / "r.txt", farm.port)
    loud, quiet = _check(farm, doc), _check(farm, doc, "-q")
    assert "hint:" in loud.stdout and "hint:" not in quiet.stdout
    assert quiet.stderr == ""


def test_verbose_shows_every_claim_and_the_outlets(farm: TestServer, tmp_path: Path):
    doc = write_report(tmp_path / "r.txt", farm.port)
    short, full = _check(farm, doc, "-q"), _check(farm, doc, "-q", "--verbose")
    assert "Outlets" not in short.stdout
    assert "Outlets" in full.stdout and "Claims by risk" in full.stdout
