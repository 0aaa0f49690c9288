"""Every key the configuration accepts and how it is read; the command line's values joined in."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from citeaudit.config.model import Config
from citeaudit.config.tables import (
    read_accept,
    read_aliases,
    read_headers,
    read_kinds,
    read_per_host,
)
from citeaudit.config.values import (
    display,
    read_archive,
    read_base_url,
    read_bool,
    read_cache_path,
    read_fail_on,
    read_file,
    read_float,
    read_int,
    read_path_patterns,
    read_remaps,
    read_store_url,
    read_str,
    read_token,
    read_url_patterns,
    where,
)
from citeaudit.errors import ConfigError

READERS: dict[str, Any] = {
    "exclude": lambda p, t, v: {"exclude": read_url_patterns(p, t, v)},
    "per_host": read_per_host,
    "timeout": lambda p, t, v: {"timeout": read_float(p, t, "timeout", v)},
    "max_wait": lambda p, t, v: {"max_wait": read_float(p, t, "max_wait", v)},
    "accept": lambda p, t, v: {"accept": read_accept(p, t, v)},
    "outlet_aliases": lambda p, t, v: {"outlet_aliases": read_aliases(p, t, v)},
    "outlet_kinds": lambda p, t, v: {"outlet_kinds": read_kinds(p, t, v)},
    "fail_on": lambda p, t, v: {"fail_on": read_fail_on(p, t, v)},
    "concurrency": lambda p, t, v: {"concurrency": read_int(p, t, "concurrency", v, 1)},
    "retries": lambda p, t, v: {"retries": read_int(p, t, "retries", v, 0)},
    "user_agent": lambda p, t, v: {"user_agent": read_str(p, t, "user_agent", v)},
    "archive": lambda p, t, v: {"archive": read_archive(p, t, v)},
    "cache": lambda p, t, v: {"cache": read_cache_path(p, t, v)},
    "include": lambda p, t, v: {"include": read_url_patterns(p, t, v, "include")},
    "exclude_path": lambda p, t, v: {"exclude_path": read_path_patterns(p, t, v)},
    "max_redirects": lambda p, t, v: {"max_redirects": read_int(p, t, "max_redirects", v, 0)},
    "header": lambda p, t, v: {"header": read_headers(p, t, v)},
    "remap": lambda p, t, v: {"remap": read_remaps(p, t, v)},
    "base_url": lambda p, t, v: {"base_url": read_base_url(p, t, v)},
    "offline": lambda p, t, v: {"offline": read_bool(p, t, "offline", v)},
    "include_fragments": lambda p, t, v: {
        "include_fragments": read_bool(p, t, "include_fragments", v)
    },
    "require_https": lambda p, t, v: {"require_https": read_bool(p, t, "require_https", v)},
    "github_token": lambda p, t, v: {"github_token": read_token(p, t, v)},
    "cookie_jar": lambda p, t, v: {"cookie_jar": read_file(p, t, "cookie_jar", v)},
    "store": lambda p, t, v: {"store": read_store_url(p, t, v)},
}
KEYS: tuple[str, ...] = tuple(READERS)
"""Every key the configuration accepts."""


def parse_config(data: Mapping[str, Any], path: Path, table: str = "") -> Config:
    """A Config from one file's already-parsed table; ConfigError names any bad key."""
    values: dict[str, Any] = {"source": path}
    for key, value in data.items():
        reader = READERS.get(key)
        if reader is None:
            close = difflib.get_close_matches(key.replace("-", "_"), KEYS, n=1)
            if not close:
                close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            inside = f" in [{table}]" if table else ""
            raise ConfigError(f"{display(path)}: unknown key '{key}'{inside}{hint}")
        values.update(reader(path, table, value))
    if "cache" in values and "store" in values:
        raise ConfigError(f"{where(path, table)}'cache' and 'store' name two stores; keep one")
    return Config(**values)


def merge(config: Config, cli_overrides: Mapping[str, Any]) -> Config:
    """Command-line values that were given (not None) win over the files' ones.

    Keys are Config field names (`per_host` may also be a {host: limit} mapping, `accept` and
    `outlet_aliases` mappings). `exclude`, `include`, `exclude_path`, `header` and `accept`
    from the command line are added to the files' ones: each is cumulative.
    """
    changes: dict[str, Any] = {}
    cli = Path("<command line>")
    for key, value in cli_overrides.items():
        try:
            if value is None or (key in _CUMULATIVE + ("fail_on",) and not value):
                continue
            if key in _CUMULATIVE:
                given = READERS[key](cli, "", value if isinstance(value, Mapping) else list(value))
                if key == "remap":
                    # the first matching rule applies: the command line's come first
                    changes[key] = tuple(dict.fromkeys(given[key] + config.remap))
                else:
                    changes[key] = _add(getattr(config, key), given[key], key == "accept")
            elif key in READERS:
                if key == "cache":
                    changes["cache"] = Path(value).expanduser()
                elif key in ("timeout", "max_wait"):
                    changes[key] = read_float(cli, "", key, value)
                elif key in ("accept", "outlet_aliases", "outlet_kinds", "per_host") and isinstance(
                    value, Mapping
                ):
                    changes.update(READERS[key](cli, "", dict(value)))
                else:
                    changes.update(
                        READERS[key](cli, "", list(value) if key == "fail_on" else value)
                    )
            elif key == "host_limits":
                changes["host_limits"] = tuple(sorted(dict(value).items()))
            else:
                raise ConfigError(f"unknown setting '{key}'")
        except ConfigError as exc:
            # a flag's bad value is named by its flag, as a file's is by its key
            detail = str(exc).removeprefix(f"{cli}: ")
            raise ConfigError(f"--{key.replace('_', '-')}: {detail}") from None
    return dataclasses.replace(config, **changes)


_CUMULATIVE = ("exclude", "include", "exclude_path", "header", "accept", "remap")


def _add(old: tuple[Any, ...], new: tuple[Any, ...], by_host: bool) -> tuple[Any, ...]:
    if not by_host:
        return tuple(dict.fromkeys(old + new))
    hosts: dict[str, set[int]] = {}
    for host, statuses in old + new:
        hosts.setdefault(host, set()).update(statuses)
    return tuple(sorted((h, tuple(sorted(s))) for h, s in hosts.items()))
