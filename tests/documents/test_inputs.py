"""Which files a run reads: directories, globs, hidden folders, .gitignore, link-less files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from citeaudit.cli import main
from citeaudit.documents.inputs import expand_inputs, walk
from citeaudit.errors import InputError

REPORT = "Title\n\nA claim.[1]\n\nNotes\n\n[1] https://a.example/x\n"
LINKED = "Title\n\nA [linked](https://b.example/y) sentence.\n"
NO_LINKS = "Just a readme without any link.\n"


def make_tree(root: Path) -> None:
    (root / "reports" / "2023").mkdir(parents=True)
    (root / "reports" / "2023" / "a.md").write_text(REPORT)
    (root / "reports" / "b.md").write_text(LINKED)
    (root / "reports" / "README.md").write_text(NO_LINKS)
    (root / "reports" / ".drafts").mkdir()
    (root / "reports" / ".drafts" / "hidden.md").write_text(REPORT)
    (root / "reports" / "build").mkdir()
    (root / "reports" / "build" / "out.md").write_text(REPORT)
    (root / "reports" / "notes.log").write_text(REPORT)
    (root / "reports" / ".gitignore").write_text("build/\n*.tmp.md\n")
    (root / "reports" / "x.tmp.md").write_text(REPORT)


def test_walk_skips_hidden_ignored_and_unreadable_suffixes(tmp_path):
    make_tree(tmp_path)
    names = [p.relative_to(tmp_path / "reports").as_posix() for p in walk(tmp_path / "reports")]
    assert names == ["2023/a.md", "README.md", "b.md"]


def test_globs_are_expanded_and_found_files_are_optional(tmp_path, monkeypatch):
    make_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    found = expand_inputs(["reports/**/*.md"])
    # what reports/.gitignore lists (build/, *.tmp.md) is left out, as by a walk
    assert [f.path for f in found if not f.named] == [
        "reports/2023/a.md",
        "reports/README.md",
        "reports/b.md",
    ]
    # a glob inside the ignored folder names it: its own folder's .gitignore files apply
    assert [f.path for f in expand_inputs(["reports/build/*.md"])] == ["reports/build/out.md"]
    with pytest.raises(InputError, match="no file matches"):
        expand_inputs(["nothing/**/*.md"])


def test_parse_of_a_directory_skips_link_less_files_with_one_warning_each(tmp_path):
    make_tree(tmp_path)
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "reports"), "--format", "json"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "README.md" in warnings[0] and "skipped" in warnings[0]
    assert '"citation_styles"' in result.stdout


def test_a_named_link_less_file_is_still_an_error(tmp_path):
    path = tmp_path / "README.md"
    path.write_text(NO_LINKS)
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 2
    assert "no citations found" in result.stderr
