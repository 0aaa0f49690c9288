"""The ready-made integrations: the composite GitHub Action and the pre-commit hooks.

The YAML is loaded and its structure checked, and the action's audit script is run for real in
bash with a stand-in `citeaudit` on PATH, to see the arguments it would get and the exit code it
reports.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hooks() -> list[dict]:
    return yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def _step(action: dict, uses: str) -> dict:
    return next(s for s in action["runs"]["steps"] if s.get("uses", "").startswith(uses))


def test_action_is_composite_with_inputs(action):
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "fail-on", "format", "args"}
    assert action["inputs"]["paths"]["required"] is True
    assert action["inputs"]["fail-on"]["default"] == "lost"
    assert all(s.get("shell") == "bash" for s in action["runs"]["steps"] if "run" in s)


def test_action_installs_from_its_own_path(action):
    _step(action, "actions/setup-python@")
    install = next(s for s in action["runs"]["steps"] if "pip install" in s.get("run", ""))
    assert '"${{ github.action_path }}"' in install["run"]


def test_action_caches_between_runs(action):
    restore = _step(action, "actions/cache/restore@")
    save = _step(action, "actions/cache/save@")
    assert "${{ github.run_id }}" in restore["with"]["key"]
    assert restore["with"]["key"] == save["with"]["key"]
    assert restore["with"]["path"] == save["with"]["path"]
    assert restore["with"]["restore-keys"].strip() == "citeaudit-${{ runner.os }}-"
    assert "always()" in save["if"]
    steps = action["runs"]["steps"]
    audit = next(i for i, s in enumerate(steps) if s.get("id") == "audit")
    assert steps.index(restore) < audit < steps.index(save)


def test_action_uploads_sarif_always(action):
    upload = _step(action, "github/codeql-action/upload-sarif@")
    assert "always()" in upload["if"]
    assert upload["with"]["sarif_file"] == "citeaudit.sarif"
    audit = next(s for s in action["runs"]["steps"] if s.get("id") == "audit")
    assert "-o sarif=citeaudit.sarif" in audit["run"]


def test_inputs_never_pasted_into_scripts(action):
    # `${{ inputs.x }}` inside `run:` is a script-injection hole; inputs go through env instead.
    for step in action["runs"]["steps"]:
        assert "${{ inputs." not in step.get("run", ""), step.get("name")


def _run_audit_script(action: dict, tmp_path: Path, stub_exit: int, **inputs: str):
    audit = next(s for s in action["runs"]["steps"] if s.get("id") == "audit")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    stub = bindir / "citeaudit"
    stub.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGS_OUT"\nexit {stub_exit}\n')
    stub.chmod(stub.stat().st_mode | stat.S_IEXEC)
    (tmp_path / "docs" / "a").mkdir(parents=True)
    for name in ("docs/a/one.md", "docs/two.md"):
        (tmp_path / name).write_text("x\n")
    env = {
        "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
        "ARGS_OUT": str(tmp_path / "args.txt"),
        "GITHUB_OUTPUT": str(tmp_path / "github_output"),
        "CITEAUDIT_CACHE_DIR": str(tmp_path / "cache"),
        "CITEAUDIT_FAIL_ON": "lost",
        "CITEAUDIT_FORMAT": "github",
        "CITEAUDIT_ARGS": "",
    }
    env.update(inputs)
    proc = subprocess.run(
        [
            shutil.which("bash") or "bash",
            "--noprofile",
            "--norc",
            "-eo",
            "pipefail",
            "-c",
            audit["run"],
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert proc.returncode == 0, proc.stderr  # the step itself never fails; a later one does
    args = (tmp_path / "args.txt").read_text().splitlines()
    output = (tmp_path / "github_output").read_text()
    return args, output


def test_audit_script_passes_paths_and_args(action, tmp_path):
    args, output = _run_audit_script(
        action,
        tmp_path,
        1,
        CITEAUDIT_PATHS="docs/**/*.md\nreport with space.md",
        CITEAUDIT_ARGS="--per-host 2 --archive none",
        CITEAUDIT_FAIL_ON="lost,unsupported",
    )
    assert args[:4] == ["check", "docs/a/one.md", "docs/two.md", "report"]
    assert [args[i + 1] for i, a in enumerate(args) if a == "--fail-on"] == ["lost", "unsupported"]
    assert args[args.index("--format") + 1] == "github"
    assert args[args.index("--cache") + 1] == str(tmp_path / "cache" / "cache.sqlite")
    assert args[args.index("-o") + 1] == "sarif=citeaudit.sarif"
    assert args[-4:] == ["--per-host", "2", "--archive", "none"]
    assert output.strip() == "exit-code=1"
    assert (tmp_path / "cache").is_dir()


def test_audit_script_reports_success(action, tmp_path):
    args, output = _run_audit_script(action, tmp_path, 0, CITEAUDIT_PATHS="docs/two.md")
    assert args[:2] == ["check", "docs/two.md"]
    assert args[-1] == "sarif=citeaudit.sarif"  # no stray empty argument from empty args
    assert output.strip() == "exit-code=0"


def test_pre_commit_hooks(hooks):
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"citeaudit-parse", "citeaudit-check"}
    parse, check = by_id["citeaudit-parse"], by_id["citeaudit-check"]
    assert parse["entry"] == "citeaudit parse"  # offline: commits never wait on the network
    assert "stages" not in parse
    assert check["entry"] == "citeaudit check"
    assert check["stages"] == ["manual"]
    for hook in hooks:
        assert hook["language"] == "python"
        assert {"id", "name", "entry", "language"} <= set(hook)


def test_parse_hook_runs_on_several_files(hooks):
    # pre-commit appends every staged file to `entry`; the offline hook must take them all.
    from click.testing import CliRunner

    from citeaudit.cli import main

    entry = next(h for h in hooks if h["id"] == "citeaudit-parse")["entry"].split()
    assert entry[0] == "citeaudit"
    sample = str(ROOT / "endnotes" / "isw-2023-08-03-syria.txt")
    result = CliRunner().invoke(main, [*entry[1:], sample, sample])
    assert result.exit_code == 0, result.output
