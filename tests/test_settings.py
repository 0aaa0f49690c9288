"""The `check` command's flags and the configuration, combined into the checker's options."""

from __future__ import annotations

import pytest

from citeaudit.config import Config
from citeaudit.errors import ConfigError
from citeaudit.settings import audit_options


def test_first_request_is_auto_by_default_and_chosen_by_flag():
    default, _ = audit_options(Config(), {})
    assert default.check.first_request == "auto"
    for mode in ("head", "get"):
        chosen, _ = audit_options(Config(), {"first_request": mode})
        assert chosen.check.first_request == mode


def test_flags_win_over_configuration():
    options, _ = audit_options(Config(per_host=2, timeout=30.0), {"per_host": 7})
    assert options.check.per_host == 7
    assert options.check.timeout == 30.0


def test_a_bad_resolve_entry_is_a_config_error():
    with pytest.raises(ConfigError, match="resolve"):
        audit_options(Config(), {"resolve": ("nonsense",)})
