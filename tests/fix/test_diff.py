"""The diff: valid for patch tools, every hunk naming its changes, a summary with reasons."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from citeaudit.fix.diff import summary, unified
from citeaudit.fix.model import Edit, FixKind, FixResult, Skipped


def edit(line: int, old: str, new: str, kind: FixKind = FixKind.REDIRECT, note: int = 1) -> Edit:
    return Edit(kind, 0, 0, old, new, f"because {kind}", line, 5, note, old or "u")


def test_hunks_name_their_changes_and_keep_one_line_of_context() -> None:
    before = "".join(f"line {i}\n" for i in range(1, 21))
    after = before.replace("line 3\n", "line three\n").replace("line 15\n", "line fifteen\n")
    edits = [edit(3, "3", "three"), edit(15, "15", "fifteen", FixKind.ARCHIVE, 9)]
    out = unified("notes.md", before, after, edits)
    assert out.splitlines() == [
        "--- a/notes.md",
        "+++ b/notes.md",
        "@@ -2,3 +2,3 @@ note 1 redirect",
        " line 2",
        "-line 3",
        "+line three",
        " line 4",
        "@@ -14,3 +14,3 @@ note 9 archive",
        " line 14",
        "-line 15",
        "+line fifteen",
        " line 16",
    ]


def test_no_change_is_no_diff_and_a_missing_final_newline_is_marked() -> None:
    assert unified("a.txt", "x\n", "x\n", []) == ""
    out = unified("a.txt", "a\nb", "a\nc", [edit(2, "b", "c")])
    assert out.endswith("-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n")


def test_form_feeds_stay_inside_their_line() -> None:
    out = unified("a.txt", "a\fb\nc\n", "a\fB\nc\n", [edit(1, "b", "B")])
    assert "-a\fb\n+a\fB\n" in out


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_apply_accepts_summary_and_diff(tmp_path: Path) -> None:
    before = "# T\n\n[1] http://old.example/a ; x\n[2] y\n"
    after = before.replace("http://old.example/a", "https://new.example/a")
    (tmp_path / "r.md").write_text(before)
    result = FixResult(
        "r.md",
        "markdown",
        before.encode(),
        after.encode(),
        (edit(3, "http://old.example/a", "https://new.example/a"),),
        (),
    )
    patch = summary(result) + unified("r.md", before, after, result.edits)
    (tmp_path / "fix.diff").write_text(patch)
    subprocess.run(["git", "apply", "fix.diff"], cwd=tmp_path, check=True)
    assert (tmp_path / "r.md").read_text() == after


def test_summary_lists_changes_and_fixes_not_made() -> None:
    result = FixResult(
        "r.md",
        "markdown",
        b"",
        b"",
        (
            edit(3, "", " [archived](https://w/x)", FixKind.ARCHIVE),
            edit(4, "http://a", "https://a"),
        ),
        (
            Skipped(
                FixKind.TYPO,
                "https://t.me/x/1",
                2,
                7,
                "possible typo, but no other spelling answered",
            ),
        ),
    )
    assert summary(result).splitlines() == [
        "citeaudit fix r.md: 2 changes, 1 fix not made",
        "  line 3 col 5 note 1, archive: added [archived](https://w/x)",
        "    because: because archive",
        "  line 4 col 5 note 1, redirect: http://a -> https://a",
        "    because: because redirect",
        "not made:",
        "  line 7 note 2, typo: https://t.me/x/1",
        "    possible typo, but no other spelling answered",
    ]
