"""`citeaudit report`: a clean re-renderer of saved JSON reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from citeaudit.cli import main
from citeaudit.report import Format, render

from .report.conftest import make_result


def saved(tmp_path: Path) -> Path:
    path = tmp_path / "saved.json"
    path.write_text(render([make_result()], Format.JSON), encoding="utf-8")
    return path


def test_re_rendering_exits_0_although_the_report_has_lost_sources(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(saved(tmp_path)), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "## citeaudit: Syria update" in result.output


def test_fail_on_still_decides_the_exit_code(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(saved(tmp_path)), "--fail-on", "lost"])
    assert result.exit_code == 1


def test_every_format_renders_from_a_saved_report(tmp_path: Path) -> None:
    path = saved(tmp_path)
    for fmt in Format:
        out = tmp_path / f"out.{fmt.value}"
        result = CliRunner().invoke(main, ["report", str(path), "--format", fmt.value, "-o", out])
        assert result.exit_code == 0, (fmt, result.output)
        assert out.read_text(encoding="utf-8") == render([make_result()], fmt)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "not JSON"),
        ('{"schema": "citeaudit.report/1"}', "no 'document' key"),
        ('{"schema": "something/else"}', "not a citeaudit.report/1 report"),
        ("[1, 2]", "the JSON is not an object"),
    ],
)
def test_an_unreadable_report_is_one_line_naming_the_file(
    tmp_path: Path, content: str, words: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(path)])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"citeaudit: error: {path}: ")
    assert words in line
    assert "Traceback" not in result.output


def test_a_saved_report_keeps_every_key_it_was_given(tmp_path: Path) -> None:
    path = saved(tmp_path)
    out = tmp_path / "again.json"
    assert (
        CliRunner().invoke(main, ["report", str(path), "--format", "json", "-o", out]).exit_code
        == 0
    )
    assert json.loads(out.read_text()) == json.loads(path.read_text())
