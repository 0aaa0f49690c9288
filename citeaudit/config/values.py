"""One value of a configuration table, read and checked; each error names the file and the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from citeaudit.catalog.remap import parse_remap
from citeaudit.config.patterns import check_pattern
from citeaudit.errors import ConfigError
from citeaudit.judge.policy import FailOn
from citeaudit.models import ArchiveMode

ARCHIVES = (*(m.value for m in ArchiveMode), "none")
_FAIL_ON = tuple(f.value for f in FailOn)


def display(path: Path) -> str:
    """The path as a user names it: relative to the working directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def where(path: Path, table: str) -> str:
    """The start of an error message: the file, and the table when there is one."""
    return f"{display(path)}: " + (f"[{table}] " if table else "")


def type_error(path: Path, table: str, key: str, want: str, value: object) -> ConfigError:
    """The error for a value of the wrong type, naming the key, the want and the value."""
    got = type(value).__name__
    return ConfigError(f"{where(path, table)}'{key}' must be {want}, not {got} ({value!r})")


def read_int(path: Path, table: str, key: str, value: object, minimum: int = 0) -> int:
    """An integer of at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise type_error(path, table, key, "an integer", value)
    if value < minimum:
        raise ConfigError(f"{where(path, table)}'{key}' must be at least {minimum}, not {value}")
    return value


def read_float(path: Path, table: str, key: str, value: object) -> float:
    """A positive number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise type_error(path, table, key, "a number", value)
    if value <= 0:
        raise ConfigError(f"{where(path, table)}'{key}' must be positive, not {value}")
    return float(value)


def read_str(path: Path, table: str, key: str, value: object) -> str:
    """A string."""
    if not isinstance(value, str):
        raise type_error(path, table, key, "a string", value)
    return value


def read_str_list(path: Path, table: str, key: str, value: object) -> tuple[str, ...]:
    """A list of strings (one string is a list of one)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise type_error(path, table, key, "a list of strings", value)
    return tuple(value)


def read_table(path: Path, table: str, key: str, value: object) -> dict[str, Any]:
    """A table (a TOML inline table or section)."""
    if not isinstance(value, dict):
        raise type_error(path, table, key, "a table", value)
    return value


def read_bool(path: Path, table: str, key: str, value: object) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise type_error(path, table, key, "true or false", value)
    return value


def read_file(path: Path, table: str, key: str, value: object) -> str:
    """An existing file, relative to the configuration file that names it."""
    text = read_str(path, table, key, value)
    # a file named in a file is relative to that file, as `cache` is
    named = (path.parent / Path(text).expanduser()) if path.is_file() else Path(text).expanduser()
    if not named.is_file():
        raise ConfigError(f"{where(path, table)}'{key}' {text!r}: no such file")
    return str(named)


def read_token(path: Path, table: str, value: object) -> str:
    """A GitHub token: printable, no spaces; never repeated in an error."""
    if not isinstance(value, str):
        # the value is never repeated in an error: it may be a credential
        raise ConfigError(f"{where(path, table)}'github_token' must be a string")
    token = value.strip()
    if not token or any(c.isspace() or not c.isprintable() for c in token):
        raise ConfigError(f"{where(path, table)}'github_token' is not a token")
    return token


def read_base_url(path: Path, table: str, value: object) -> str:
    """An http(s) address (ending in `/` when it has no path) or an existing folder."""
    text = read_str(path, table, "base_url", value).strip()
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https"):
        if not parts.hostname:
            raise ConfigError(f"{where(path, table)}'base_url' {text!r} has no host")
        return text if parts.path else text + "/"
    if parts.scheme and len(parts.scheme) > 1:
        raise ConfigError(
            f"{where(path, table)}'base_url' must be an http(s) address or a folder, not {text!r}"
        )
    # a folder named in a file is relative to that file, as `cache` is
    folder = (path.parent / Path(text).expanduser()).resolve() if path.is_file() else Path(text)
    if not folder.is_dir():
        raise ConfigError(f"{where(path, table)}'base_url' {text!r}: no such folder")
    return str(folder)


def read_cache_path(path: Path, table: str, value: object) -> Path:
    """The SQLite store's path, made absolute."""
    # A relative cache path is relative to the file that names it, not to wherever citeaudit runs.
    return (path.parent / Path(read_str(path, table, "cache", value)).expanduser()).resolve()


def read_store_url(path: Path, table: str, value: object) -> str:
    """A PostgreSQL store URL, checked by the store's own rule."""
    # deferred: citeaudit.check loads the whole HTTP stack (about 0.4 s on a loaded machine),
    # and most commands that read a configuration never name a store.
    from citeaudit.check.store import check_store_url

    try:
        return check_store_url(read_str(path, table, "store", value))
    except ValueError as exc:
        raise ConfigError(f"{where(path, table)}{exc}") from None


def read_archive(path: Path, table: str, value: object) -> str:
    """An archive mode's name, or `none`."""
    name = read_str(path, table, "archive", value)
    if name not in ARCHIVES:
        raise ConfigError(
            f"{where(path, table)}'archive' must be one of {', '.join(ARCHIVES)}, not {name!r}"
        )
    return name


def read_fail_on(path: Path, table: str, value: object) -> tuple[str, ...]:
    """`--fail-on` names, deduplicated in order; comma-separated items are split."""
    out = []
    for item in read_str_list(path, table, "fail_on", value):
        for name in item.split(","):
            name = name.strip().lower().replace("_", "-")
            if name not in _FAIL_ON:
                raise ConfigError(
                    f"{where(path, table)}unknown fail_on value {name!r} "
                    f"(choose from {', '.join(_FAIL_ON)})"
                )
            out.append(name)
    return tuple(dict.fromkeys(out))


def read_remaps(path: Path, table: str, value: object) -> tuple[str, ...]:
    """`PATTERN REPLACEMENT` rules, each parsed once to check it."""
    rules = read_str_list(path, table, "remap", value)
    for rule in rules:
        try:
            parse_remap(rule)
        except ValueError as exc:
            raise ConfigError(f"{where(path, table)}'remap' {exc}") from None
    return rules


def read_url_patterns(
    path: Path, table: str, value: object, key: str = "exclude"
) -> tuple[str, ...]:
    """URL patterns (see citeaudit.config.patterns), each compiled once to check it."""
    patterns = read_str_list(path, table, key, value)
    for pattern in patterns:
        check_pattern(pattern, f"{where(path, table)}{key}")
    return patterns


def read_path_patterns(path: Path, table: str, value: object) -> tuple[str, ...]:
    """Input path patterns (gitignore-style globs or `re:REGEX`)."""
    patterns = read_str_list(path, table, "exclude_path", value)
    for pattern in patterns:
        check_pattern(pattern, f"{where(path, table)}exclude_path")
    return patterns
