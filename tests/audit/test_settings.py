"""The `check` command's flags and the configuration, combined into the checker's options."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from citeaudit.audit.request import CheckRequest
from citeaudit.audit.settings import audit_options
from citeaudit.cli import main
from citeaudit.config import Config, load_config
from citeaudit.errors import ConfigError
from citeaudit.evidence.drift import DEFAULT_DRIFT_THRESHOLD
from citeaudit.evidence.history import Confirm


def req(**options: object) -> CheckRequest:
    """A request for one document with these options."""
    return CheckRequest(files=("r.md",), **options)  # type: ignore[arg-type]


def test_first_request_is_auto_by_default_and_chosen_by_flag():
    default, _ = audit_options(Config(), req())
    assert default.check.first_request == "auto"
    for mode in ("head", "get"):
        chosen, _ = audit_options(Config(), req(first_request=mode))
        assert chosen.check.first_request == mode


def test_flags_win_over_configuration():
    options, _ = audit_options(Config(per_host=2, timeout=30.0), req(per_host=7))
    assert options.check.per_host == 7
    assert options.check.timeout == 30.0


def test_the_settings_name_the_files_they_came_from(tmp_path: Path) -> None:
    (tmp_path / "citeaudit.toml").write_text("retries = 1\n", encoding="utf-8")
    (tmp_path / ".citeauditignore").write_text("x.example\n", encoding="utf-8")
    tmp_path = tmp_path.resolve()  # the files are named as found: symlinks resolved
    echoed = audit_options(load_config(tmp_path / "report.md"), req())[0].settings
    assert echoed["config"] == str(tmp_path / "citeaudit.toml")
    assert echoed["ignore_file"] == str(tmp_path / ".citeauditignore")
    assert audit_options(Config(), req())[0].settings["ignore_file"] is None


def test_a_bad_resolve_entry_is_a_config_error():
    with pytest.raises(ConfigError, match="resolve"):
        audit_options(Config(), req(resolve=("nonsense",)))


def test_defaults_change_nothing() -> None:
    options, _ = audit_options(Config(), req())
    assert options.confirm is None and options.drift is None and options.now is None


def test_confirm_and_drift_flags() -> None:
    options, _ = audit_options(Config(), req(confirm="3:3", drift=True))
    assert options.confirm == Confirm(3, 3)
    assert options.drift is not None and options.drift.threshold == DEFAULT_DRIFT_THRESHOLD
    options, _ = audit_options(Config(), req(drift_threshold=0.8))
    assert options.drift is not None and options.drift.threshold == 0.8


def test_bad_confirm_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="N:DAYS"):
        audit_options(Config(), req(confirm="three"))


@pytest.mark.parametrize(
    "args",
    [
        ["--confirm", "0:3"],
        ["--drift-threshold", "1.5"],
        ["--baseline", "/nonexistent/base.json"],
        ["--max-wait", "0"],
        ["--max-wait", "soon"],
    ],
)
def test_cli_refuses_bad_values(tmp_path: Path, args: list[str]) -> None:
    doc = tmp_path / "r.txt"
    doc.write_text("Report\n\nOne.[1]\n\nEndnotes\n\n[1] http://a.test/\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(doc), "--no-cache", *args])
    assert result.exit_code == 2, result.output


def test_cli_refuses_bad_ia_keys(tmp_path: Path) -> None:
    doc = tmp_path / "r.txt"
    doc.write_text("Report\n\nOne.[1]\n\nEndnotes\n\n[1] http://a.test/\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["archive", str(doc), "--ia-keys", "nocolon", "--cache", str(tmp_path / "c.db")]
    )
    assert result.exit_code == 2 and "ACCESS:SECRET" in result.output


def test_max_wait_comes_from_the_file_and_the_flag_wins() -> None:
    assert audit_options(Config(), req())[0].check.max_wait == 30.0
    from_file, _ = audit_options(Config(max_wait=5.0), req())
    assert from_file.check.max_wait == 5.0
    flagged, _ = audit_options(Config(max_wait=5.0), req(max_wait=2.5))
    assert flagged.check.max_wait == 2.5


def test_max_wait_in_a_config_file_must_be_a_positive_number(tmp_path: Path) -> None:
    (tmp_path / "citeaudit.toml").write_text('max_wait = "soon"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="max_wait"):
        load_config(tmp_path / "report.md")


def test_store_and_cache_flags_each_replace_both_configured_stores(tmp_path: Path) -> None:
    from citeaudit.audit.settings import store_settings, store_target
    from citeaudit.check.store import StoreKind

    pg = Config(store="postgresql:///ev")
    sqlite = Config(cache=tmp_path / "c.sqlite3")
    assert store_settings(pg, None, None) == pg
    assert store_settings(pg, None, "x.db") == Config(cache=Path("x.db"))
    assert store_settings(sqlite, "postgres:///o", None) == Config(store="postgres:///o")
    assert store_target(pg, None, None).kind is StoreKind.POSTGRESQL
    assert store_target(sqlite, None, None).location == str(tmp_path / "c.sqlite3")
    with pytest.raises(ConfigError, match="two stores"):
        store_settings(Config(), "postgres:///o", "x.db")
    with pytest.raises(ConfigError, match="not a postgresql:// or postgres:// URL"):
        store_settings(Config(), "mysql://db/x", None)
    _, run = audit_options(pg, req())
    assert (run.store, run.cache_path) == ("postgresql:///ev", None)
    _, run = audit_options(pg, req(cache_path="x.db"))
    assert (run.store, run.cache_path) == (None, Path("x.db"))
