"""Every command and every option of the CLI is documented in the README (sqlite-utils style)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from citeaudit.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "citeaudit") -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        full = f"{prefix} {name}"
        out.append((full, command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, full))
    return out


COMMANDS = _commands(main)
OPTIONS = [
    (name, opt)
    for name, command in COMMANDS
    for param in command.params
    if isinstance(param, click.Option)
    for opt in param.opts
    if opt.startswith("--") and opt != "--help"
]


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_command_is_documented(name: str) -> None:
    assert f"`{name}" in README or f"{name} " in README, name


@pytest.mark.parametrize(("name", "option"), OPTIONS)
def test_option_is_documented(name: str, option: str) -> None:
    assert f"`{option}" in README or f"{option} " in README or f"{option}]" in README, (
        name,
        option,
    )


def test_readme_shows_the_two_setup_commands() -> None:
    assert "uv run citeaudit check endnotes/isw-2023-08-03-syria.txt" in README
    assert "uv run pytest" in README


# --- issue 15: the options lychee users rely on ------------------------------------------------

LYCHEE_SETTINGS = (
    "exclude",
    "include",
    "exclude_path",
    "accept",
    "remap",
    "base_url",
    "header",
    "cookie_jar",
    "github_token",
    "max_redirects",
    "include_fragments",
    "require_https",
    "offline",
)
"""Each is one name: the `check` flag (dashes), the configuration key, the JSON settings key."""


def _lychee_section() -> str:
    start = README.index("## Coming from lychee")
    return README[start : README.index("\n## ", start + 1)]


@pytest.mark.parametrize("name", LYCHEE_SETTINGS)
def test_a_lychee_option_has_one_name_everywhere(name: str) -> None:
    from citeaudit.audit.request import CheckRequest
    from citeaudit.audit.settings import audit_options
    from citeaudit.config import Config
    from citeaudit.config.keys import KEYS

    check = main.commands["check"]
    flag = "--" + name.replace("_", "-")
    assert flag in {o for p in check.params for o in p.opts}, flag
    assert name in KEYS
    options, _ = audit_options(Config(), CheckRequest(files=("r.md",)))
    assert name in options.settings
    assert f"`{flag}" in _lychee_section()


def test_dump_inputs_is_a_flag_only():
    # Not a setting: a configuration key would make every later run list files and stop.
    from citeaudit.config.keys import KEYS

    assert "dump_inputs" not in KEYS and "`--dump-inputs`" in _lychee_section()
