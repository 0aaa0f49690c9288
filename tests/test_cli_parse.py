"""The offline commands `parse`, `claims` and `urls`: formats, stdin, and one-line errors.

Most tests drive click in-process (fast); one runs the installed `citeaudit` script in a real
process so the "one line on stderr, never a traceback" promise is checked end to end.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from citeaudit.cli import main

REPORT = """\
# Militias in Deir ez Zor

August 3, 2023

Iran moved militias east.[1] Russia flew over Tanf.[2][3] The regime denied it.[4]

- Bullet claim backed by two outlets [3, 4]

## Endnotes

[1] Reuters, hxxps://www[.]reuters[.]com/world/a
[2] https://twitter.com/DeirEzzore/status/1677278853734051846 and https://x.com/DeirEzzore/status/1677278853734051999
[3] [Al-Monitor](https://www.al-monitor.com/originals/2023/07/x)
[4] https://sana.sy/en/?p=1 <https://www.al-monitor.com/originals/2023/07/y>
"""

# The fixed part of `citeaudit.catalog/1` (issue 2); more fields are allowed below the top.
CONTRACT = {
    "type": "object",
    "required": ["schema", "document", "citation_styles", "notes", "claims", "findings"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": "citeaudit.catalog/1"},
        "citation_styles": {
            "type": "array",
            "items": {"enum": ["endnotes", "footnotes", "inline", "bibliography"]},
        },
        "document": {
            "type": "object",
            "required": ["path", "title", "date"],
            "additionalProperties": False,
            "properties": {
                "path": {"type": "string"},
                "title": {"type": ["string", "null"]},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "date": {
                    "oneOf": [
                        {"type": "null"},
                        {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    ]
                },
            },
        },
        "notes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["number", "line", "text", "sources"],
                "properties": {
                    "number": {"type": "integer"},
                    "line": {"type": "integer"},
                    "text": {"type": "string"},
                    "sources": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["url", "as_written", "outlet", "flags"],
                            "properties": {
                                "url": {"type": "string"},
                                "as_written": {"type": "string"},
                                "outlet": {"type": "string"},
                                "flags": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    },
                },
            },
        },
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "line", "text", "notes"],
                "properties": {
                    "id": {"type": "integer"},
                    "line": {"type": "integer"},
                    "text": {"type": "string"},
                    "notes": {"type": "array", "items": {"type": "integer"}},
                },
            },
        },
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "notes", "urls", "message"],
                "properties": {
                    "kind": {"type": "string"},
                    "notes": {"type": "array", "items": {"type": "integer"}},
                    "urls": {"type": "array", "items": {"type": "string"}},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.md"
    path.write_text(REPORT, encoding="utf-8")
    return path


def run(*args: str, stdin: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


# -- parse -------------------------------------------------------------------------------------


def test_parse_json_follows_the_contract(report):
    result = run("parse", str(report), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, CONTRACT)
    assert data["document"] == {
        "path": str(report),
        "title": "Militias in Deir ez Zor",
        "date": "2023-08-03",
        "sha256": hashlib.sha256(report.read_bytes()).hexdigest(),
    }
    assert [n["number"] for n in data["notes"]] == [1, 2, 3, 4]
    (reuters,) = data["notes"][0]["sources"]
    assert reuters["url"] == "https://www.reuters.com/world/a"
    assert reuters["as_written"] == "hxxps://www[.]reuters[.]com/world/a"
    assert reuters["outlet"] == "reuters.com"
    assert reuters["flags"] == ["defanged"]
    assert [s["outlet"] for s in data["notes"][1]["sources"]] == ["twitter.com/DeirEzzore"] * 2
    assert [c["notes"] for c in data["claims"]] == [[1], [2, 3], [4], [3, 4]]
    assert data["claims"][3]["text"] == "Bullet claim backed by two outlets [3, 4]"
    assert result.stderr == ""


def test_parse_table(report):
    result = run("parse", str(report))
    assert result.exit_code == 0
    out = result.stdout
    assert "Militias in Deir ez Zor" in out
    assert "2023-08-03" in out
    assert "4 notes, 6 sources" in out
    assert "twitter.com/DeirEzzore" in out
    assert "defanged" in out


def test_parse_markdown(report):
    result = run("parse", str(report), "--format", "markdown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# Militias in Deir ez Zor"
    assert "| 1 | https://www.reuters.com/world/a | reuters.com | defanged |" in lines


def test_parse_date_option_overrides(report):
    result = run("parse", str(report), "--format", "json", "--date", "2020-01-02")
    assert json.loads(result.stdout)["document"]["date"] == "2020-01-02"


def test_parse_bad_date_is_a_usage_error(report):
    result = CliRunner().invoke(main, ["parse", str(report), "--date", "03/08/2023"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["parse", "--format", "yaml", "x.md"], "Invalid value for '--format'"),
        (["check", "x.md", "--per-host", "0"], "Invalid value for '--per-host'"),
        (["check"], "Missing argument"),
        (["nosuchcommand"], "No such command"),
        (["parse", "x.md", "--bogus"], "No such option"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args, says):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("citeaudit: error: ") and says in lines[0]
    assert "--help" in lines[0] and result.stdout == ""


def test_help_and_version_still_exit_0():
    from importlib.metadata import version

    import citeaudit

    shown = run("--version")
    # the installed package's version is the one the code carries (hatch reads it from there)
    assert shown.exit_code == 0 and version("citeaudit") == citeaudit.__version__
    assert shown.stdout.strip().endswith(citeaudit.__version__)
    for bare in ([], ["cache"], ["ledger"]):  # a group alone prints its help
        alone = run(*bare)
        assert alone.exit_code == 0 and alone.stdout.startswith("Usage:"), alone.output
    helped = run("check", "--help")
    assert helped.exit_code == 0 and "--first-request" in helped.stdout


def test_parse_reads_stdin():
    result = run("parse", "-", "--format", "json", stdin=REPORT.encode())
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["document"]["path"] == "-"
    assert len(data["notes"]) == 4


# -- claims ------------------------------------------------------------------------------------


def _claims(report: Path, *flags: str) -> list[dict]:
    pytest.importorskip("citeaudit.judge.score")
    result = run("claims", str(report), "--format", "json", *flags)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_claims_json_counts_sources_and_outlets(report):
    rows = {c["id"]: c for c in _claims(report)}
    assert [(rows[i]["notes"], rows[i]["sources"], rows[i]["outlets"]) for i in (1, 2, 3, 4)] == [
        ([1], 1, 1),
        ([2, 3], 3, 2),
        ([4], 2, 2),
        ([3, 4], 3, 2),
    ]


def test_claims_single_source(report):
    assert [c["id"] for c in _claims(report, "--single-source")] == [1]


def test_claims_single_outlet(report):
    assert [c["id"] for c in _claims(report, "--single-outlet")] == [1]


def test_claims_table(report):
    pytest.importorskip("citeaudit.judge.score")
    result = run("claims", str(report))
    assert result.exit_code == 0
    assert "Iran moved militias east.[1]" in result.stdout
    assert "4 claims" in result.stdout


# -- urls --------------------------------------------------------------------------------------

PROSE = "A memo with no notes.\nIt cites hxxp://evil[.]example/a and\n  <https://b.example/y>.\n"


def test_urls_text_one_a_line(tmp_path):
    path = tmp_path / "memo.txt"
    path.write_text(PROSE, encoding="utf-8")
    result = run("urls", str(path))
    assert result.exit_code == 0
    assert result.stdout == "http://evil.example/a\nhttps://b.example/y\n"


def test_urls_json(tmp_path):
    path = tmp_path / "memo.txt"
    path.write_text(PROSE, encoding="utf-8")
    result = run("urls", str(path), "--format", "json")
    rows = json.loads(result.stdout)
    assert [{k: r[k] for k in ("url", "as_written", "line", "flags")} for r in rows] == [
        {"url": "http://evil.example/a", "as_written": "hxxp://evil[.]example/a", "line": 2,
         "flags": ["defanged"]},
        {"url": "https://b.example/y", "as_written": "https://b.example/y", "line": 3, "flags": []},
    ]  # fmt: skip


def test_urls_reads_stdin():
    result = run("urls", "-", stdin="see www.a.example/x\n")
    assert result.stdout == "http://www.a.example/x\n"


# -- errors ------------------------------------------------------------------------------------


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    (tmp_path / "dir").mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    (tmp_path / "plain.txt").write_text("A title\n\nJust prose, no link and no note.\n")
    return {
        "missing": (tmp_path / "missing.txt", "no such file"),
        "directory": (tmp_path / "dir", "directory"),
        "empty": (tmp_path / "empty.txt", "empty"),
        "binary": (tmp_path / "binary.txt", "binary"),
        "no citations": (tmp_path / "plain.txt", "no citations found"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "binary", "no citations"])
@pytest.mark.parametrize("command", ["parse", "claims"])
def test_bad_input_is_one_line_and_exit_2(tmp_path, case, command):
    path, problem = _bad_inputs(tmp_path)[case]
    result = CliRunner().invoke(main, [command, str(path)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert problem in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "binary"])
def test_urls_bad_input_is_one_line_and_exit_2(tmp_path, case):
    path, problem = _bad_inputs(tmp_path)[case]
    result = CliRunner().invoke(main, ["urls", str(path)])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert str(path) in line and problem in line


def test_urls_needs_no_notes_section(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("A title\n\nJust prose, https://a.example/.\n")
    result = run("urls", str(path))
    assert result.exit_code == 0
    assert result.stdout == "https://a.example/\n"


def test_real_process_errors_are_one_line_without_traceback(tmp_path):
    script = Path(sys.executable).with_name("citeaudit")
    if not script.exists():
        pytest.skip("the citeaudit console script is not installed in this environment")
    missing = tmp_path / "nope.txt"
    proc = subprocess.run(
        [str(script), "parse", str(missing)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert str(missing) in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("fmt", "body", "url"),
    [
        ("rst", "Claim. [1]_\n\n.. [1]\n   https://a.example/rst\n", "https://a.example/rst"),
        ("asciidoc", "Claim.footnote:[https://a.example/adoc]\n", "https://a.example/adoc"),
        ("latex", "Claim.\\footnote{\\url{https://a.example/tex}}\n", "https://a.example/tex"),
    ],
)
def test_input_format_reads_markup_under_any_name(tmp_path: Path, fmt: str, body: str, url: str):
    doc = tmp_path / "notes.txt"
    doc.write_text(body, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["parse", str(doc), "--input-format", fmt, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    catalog = json.loads(result.stdout)
    assert [s["url"] for n in catalog["notes"] for s in n["sources"]] == [url]
