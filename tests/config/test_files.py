"""Finding the configuration: walking up, which file wins, `.citeauditignore`, unreadable files."""

from __future__ import annotations

import pytest

from citeaudit.config import Config, find_config, load_config, read_ignore_file
from citeaudit.errors import ConfigError

from .conftest import doc, write


def test_no_file_gives_defaults(repo):
    config = load_config(doc(repo))
    assert config == Config()
    assert config.per_host == 4 and config.fail_on == ("lost",) and config.source is None
    assert hash(config) == hash(Config())  # frozen and hashable, like every settings object


def test_pyproject_table_found_walking_up(repo):
    write(repo / "pyproject.toml", '[project]\nname = "x"\n\n[tool.citeaudit]\nper_host = 2\n')
    config = load_config(doc(repo))
    assert config.per_host == 2
    assert config.source == (repo / "pyproject.toml").resolve()


def test_pyproject_without_table_is_skipped(repo):
    write(repo / "docs" / "pyproject.toml", '[project]\nname = "docs"\n')
    write(repo / "pyproject.toml", "[tool.citeaudit]\ntimeout = 3\n")
    assert load_config(doc(repo)).timeout == 3.0


def test_nearest_file_wins_and_files_are_not_merged(repo):
    write(repo / "pyproject.toml", "[tool.citeaudit]\ntimeout = 3\nretries = 5\n")
    write(repo / "docs" / "citeaudit.toml", "timeout = 7\n")
    config = load_config(doc(repo))
    assert config.timeout == 7.0
    assert config.retries == 2  # the outer file is not read at all


def test_citeaudit_toml_beats_pyproject_in_the_same_directory(repo):
    write(repo / "pyproject.toml", "[tool.citeaudit]\ntimeout = 3\n")
    write(repo / "citeaudit.toml", "timeout = 9\n")
    assert load_config(doc(repo)).timeout == 9.0
    assert find_config(repo / "docs")[0].name == "citeaudit.toml"


def test_start_may_be_a_directory(repo):
    write(repo / "citeaudit.toml", "concurrency = 8\n")
    assert load_config(repo / "docs").concurrency == 8


def test_invalid_toml_is_an_error(repo):
    write(repo / "citeaudit.toml", "timeout = \n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(doc(repo))


def test_tool_citeaudit_must_be_a_table(repo):
    write(repo / "pyproject.toml", '[tool]\nciteaudit = "yes"\n')
    with pytest.raises(ConfigError, match=r"\[tool.citeaudit\] must be a table"):
        load_config(doc(repo))


def test_ignore_file_adds_to_exclude(repo):
    write(repo / "citeaudit.toml", 'exclude = ["a.example"]\n')
    write(
        repo / "docs" / ".citeauditignore",
        "# private hosts\n\nb.example\n  re:/login\\b  \nhttps://c.example/*\n",
    )
    config = load_config(doc(repo))
    assert config.exclude == ("a.example", "b.example", "re:/login\\b", "https://c.example/*")
    assert config.ignore_file == (repo / "docs" / ".citeauditignore").resolve()


def test_ignore_file_bad_regex_names_line(repo):
    write(repo / ".citeauditignore", "ok.example\nre:[\n")
    with pytest.raises(ConfigError, match=r"\.citeauditignore:2: invalid regular expression"):
        read_ignore_file(repo / ".citeauditignore")
