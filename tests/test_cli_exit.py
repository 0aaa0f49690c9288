"""The `citeaudit` program leaves through `cli.run`: output whole, status kept, no teardown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from citeaudit.cli import main


def _program(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citeaudit", *args], capture_output=True, text=True, timeout=120
    )


def test_a_large_output_reaches_the_pipe_whole(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("".join(f"[{i}] https://example{i}.org/page/{i}\n" for i in range(1, 3001)))
    done = _program("urls", str(doc))
    assert done.returncode == 0, done.stderr
    # the same bytes as the command gives in process, where nothing exits early
    assert done.stdout == CliRunner().invoke(main, ["urls", str(doc)]).output
    assert done.stdout.count("\n") >= 3000


def test_usage_errors_keep_their_status_and_one_line() -> None:
    done = _program("check", "--no-such-option")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_missing_input_is_an_error_on_stderr(tmp_path: Path) -> None:
    done = _program("check", str(tmp_path / "missing.md"), "--offline", "-q")
    assert done.returncode == 2
    assert "missing.md" in done.stderr
