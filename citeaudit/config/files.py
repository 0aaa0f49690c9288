"""Finding and reading the files: the configuration and `.citeauditignore`, walking up."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from citeaudit.config.keys import parse_config
from citeaudit.config.model import Config
from citeaudit.config.patterns import check_pattern
from citeaudit.config.values import display
from citeaudit.errors import ConfigError

CONFIG_FILE = "citeaudit.toml"
PYPROJECT = "pyproject.toml"
IGNORE_FILE = ".citeauditignore"


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{display(path)}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{display(path)}: cannot read: {exc.strerror or exc}") from exc


def _directories(start: Path) -> Iterable[Path]:
    start = start.expanduser().resolve()
    if not start.is_dir():
        start = start.parent
    yield start
    yield from start.parents


def find_config(start: Path) -> tuple[Path, str, dict[str, Any]] | None:
    """The first configuration found walking up from `start`: (file, table name, its table)."""
    for directory in _directories(start):
        own = directory / CONFIG_FILE
        if own.is_file():
            return own, "", _load_toml(own)
        pyproject = directory / PYPROJECT
        if pyproject.is_file():
            tool = _load_toml(pyproject).get("tool", {})
            if isinstance(tool, dict) and "citeaudit" in tool:
                section = tool["citeaudit"]
                if not isinstance(section, dict):
                    raise ConfigError(f"{display(pyproject)}: [tool.citeaudit] must be a table")
                return pyproject, "tool.citeaudit", section
    return None


def find_ignore_file(start: Path) -> Path | None:
    """The first `.citeauditignore` walking up from `start`."""
    for directory in _directories(start):
        candidate = directory / IGNORE_FILE
        if candidate.is_file():
            return candidate
    return None


def read_ignore_file(path: Path) -> tuple[str, ...]:
    """The URL patterns of a `.citeauditignore`: one a line; blank lines, `#` comments skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{display(path)}: cannot read: {exc}") from exc
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        check_pattern(line, f"{display(path)}:{number}")
        out.append(line)
    return tuple(out)


def load_config(start: Path) -> Config:
    """The configuration that applies to a document at (or a directory) `start`."""
    found = find_config(start)
    config = parse_config(found[2], found[0], found[1]) if found else Config()
    ignore = find_ignore_file(start)
    if ignore is not None:
        config = dataclasses.replace(
            config,
            exclude=tuple(dict.fromkeys(config.exclude + read_ignore_file(ignore))),
            ignore_file=ignore,
        )
    return config
