"""The format registry: every Format renders, hostile text stays inert everywhere, safe writes."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from citeaudit.errors import ReportError
from citeaudit.models import AuditResult
from citeaudit.report import (
    RENDERERS,
    Format,
    default_format,
    parse_output,
    render,
    reporter,
    write_atomic,
)

from .conftest import make_hostile, make_result


def formats() -> list[Format]:
    return list(Format)


def test_registry_is_exhaustive():
    assert set(RENDERERS) == set(Format)


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_implements_the_one_interface(fmt: Format, result: AuditResult):
    """Each format's module has `render(results)`, taking one document or several alike."""
    render_format = reporter(fmt)
    assert render_format([result]) == render([result], fmt)
    assert render_format([result, result])


@pytest.mark.parametrize("fmt", formats())
def test_every_format_renders_the_fixed_report(fmt: Format, result: AuditResult):
    text = render([result], fmt)
    assert isinstance(text, str) and text.strip()
    # Every format names the lost URL somewhere.
    assert "gamma.net/missing" in text
    assert render([result], fmt.value) == text


@pytest.mark.parametrize("fmt", formats())
def test_every_format_renders_several_documents(fmt: Format):
    text = render([make_result(), make_hostile()], fmt)
    assert text.count("gamma.net/missing") >= 2


def test_unknown_format_is_a_report_error(result: AuditResult):
    with pytest.raises(ReportError, match="'pdf'"):
        render([result], "pdf")


CONTROL = ("\x1b", "\x9b", "\u202e", "\r")


@pytest.mark.parametrize("fmt", formats())
def test_hostile_text_stays_inert(fmt: Format):
    text = render([make_hostile()], fmt)
    assert not any(c in text for c in CONTROL), fmt
    if fmt is Format.JSON or fmt is Format.SARIF:
        json.loads(text)  # still one valid document
    if fmt is Format.JUNIT:
        ET.fromstring(text.split("?>", 1)[1])
    if fmt in (Format.MARKDOWN, Format.HTML, Format.JUNIT):
        # Formats read as markup; terminal text and annotations show it as plain text.
        assert "<script>alert(1)</script>" not in text


def test_hostile_markup_is_shown_literally_in_the_table():
    from citeaudit.report import table

    text = table.render([make_hostile()], width=400)
    assert "[bold]x[/bold]" in text
    assert "\x1b" not in table.render([make_hostile()], width=400, color=False)
    # With colour on, rich adds its own styles, but the page's escape sequences are gone.
    coloured = table.render([make_hostile()], width=400, color=True)
    assert "\x1b[" in coloured
    assert "[31m 31m" in coloured and "\x1b[31m 31m" not in coloured


def test_hostile_text_cannot_start_a_github_command():
    hostile, clean = render([make_hostile()], Format.GITHUB), render([make_result()], Format.GITHUB)
    assert len(hostile.splitlines()) == len(clean.splitlines())
    assert all(line.startswith("::") for line in hostile.splitlines())


def test_hostile_text_cannot_break_markdown_tables_or_mention():
    hostile = render([make_hostile()], Format.MARKDOWN)
    clean = render([make_result()], Format.MARKDOWN)
    assert len(hostile.splitlines()) == len(clean.splitlines())
    unescaped_pipes = [
        line.replace("\\|", "").count("|") for line in hostile.splitlines() if line.startswith("|")
    ]
    expected = [line.count("|") for line in clean.splitlines() if line.startswith("|")]
    assert unescaped_pipes == expected
    assert "@octocat" not in hostile
    assert "\\[link\\](https://evil.example)" in hostile  # shown, never a link
    assert "[link](" not in hostile


def test_default_format():
    assert default_format({"GITHUB_ACTIONS": "true"}) is Format.GITHUB
    assert default_format({"GITHUB_ACTIONS": "false"}) is Format.TABLE
    assert default_format({}) is Format.TABLE


def test_parse_output():
    assert parse_output("sarif=out/a=b.sarif") == (Format.SARIF, "out/a=b.sarif")
    with pytest.raises(ReportError, match="FORMAT=PATH"):
        parse_output("report.json")
    with pytest.raises(ReportError, match="'xml'"):
        parse_output("xml=a.xml")


def test_write_atomic_replaces_and_leaves_no_temp_file(tmp_path: Path):
    target = tmp_path / "report.md"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new ü\n")
    assert target.read_text(encoding="utf-8") == "new ü\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["report.md"]


def test_write_atomic_new_file_gets_the_usual_mode(tmp_path: Path):
    target = tmp_path / "new.json"
    write_atomic(str(target), "{}")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_write_atomic_refuses_an_input_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    doc = tmp_path / "doc.md"
    doc.write_text("the report")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ReportError, match="input document"):
        write_atomic("./doc.md", "x", inputs=[str(doc)])
    link = tmp_path / "link.md"
    link.symlink_to(doc)
    with pytest.raises(ReportError, match="input document"):
        write_atomic(link, "x", inputs=["doc.md"])
    assert doc.read_text() == "the report"


def test_write_atomic_into_a_missing_directory_is_a_report_error(tmp_path: Path):
    with pytest.raises(ReportError, match="cannot write"):
        write_atomic(tmp_path / "no" / "such" / "dir.md", "x")
