"""Project configuration: `[tool.citeaudit]` in pyproject.toml or citeaudit.toml; .citeauditignore.

Why files at all: a team that audits the same reports in CI wants the same exclusions, host limits
and accepted statuses on every machine without a long command line. Why walking up from the
document: reports live in a repository, and the repository's root holds the configuration.

Rules:

- Starting at the document's directory and walking up to the filesystem root, the first directory
  with a `citeaudit.toml` (keys at top level) or a `pyproject.toml` that has a `[tool.citeaudit]`
  table wins; in one directory `citeaudit.toml` beats `pyproject.toml`. Files are not merged.
- `.citeauditignore` is found the same way, independently: one URL pattern a line, `#` comments.
  Its patterns are added to `exclude`.
- Unknown keys and wrong types are errors (`ConfigError`, one line naming the file and the key),
  never silently ignored: a misspelt `per-host` would otherwise do nothing.
- Command-line values win over files (`merge`); `exclude` patterns from the command line are
  added to the file's, since excluding is cumulative.

URL patterns (`exclude`, `.citeauditignore`):

- `re:REGEX`: a Python regular expression searched anywhere in the normalized URL.
- a glob without `/` and `:` (`x.com`, `*.gov.sy`): matched against the URL's host, so
  `*.example.com` matches every subdomain (not the bare domain).
- any other glob (`https://example.com/private/*`, `*://*/login*`): matched against the whole URL.

Globs use `fnmatch` (`*`, `?`, `[...]`), case-insensitively. Each pattern is compiled once.
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from citeaudit.catalog.hosts import host_of
from citeaudit.errors import ConfigError
from citeaudit.judge.policy import FailOn
from citeaudit.models import ArchiveMode

CONFIG_FILE = "citeaudit.toml"
PYPROJECT = "pyproject.toml"
IGNORE_FILE = ".citeauditignore"
ARCHIVES = (*(m.value for m in ArchiveMode), "none")
_FAIL_ON = tuple(f.value for f in FailOn)


@dataclass(frozen=True, slots=True)
class Config:
    """Settings from files and the command line; mapping-like settings are sorted pairs."""

    exclude: tuple[str, ...] = ()
    """URL patterns never probed (verdict `skipped`), including `.citeauditignore` lines."""
    per_host: int = 4
    """Requests in flight per host."""
    host_limits: tuple[tuple[str, int], ...] = ()
    """Per-host overrides of `per_host` (from `per_host = {"x.com" = 1}`)."""
    timeout: float = 15.0
    max_wait: float = 30.0
    """Longest wait a server's `Retry-After` may impose; beyond it the URL is `blocked` at once."""
    accept: tuple[tuple[str, tuple[int, ...]], ...] = ()
    """Host -> HTTP statuses treated as alive (e.g. 403 from a host that blocks bots); the host
    `*` stands for every host."""
    include: tuple[str, ...] = ()
    """URL patterns (as `exclude`): when any is given, only matching URLs are probed, and a
    match wins over `exclude`."""
    exclude_path: tuple[str, ...] = ()
    """Input paths never read: gitignore-style globs, or `re:REGEX` searched in the path."""
    max_redirects: int = 10
    header: tuple[tuple[str, str], ...] = ()
    """(name, value) request headers sent with every probe (never to archives)."""
    remap: tuple[str, ...] = ()
    """`PATTERN REPLACEMENT` rules: probe another URL in place of the cited one."""
    base_url: str | None = None
    """Where relative links point: an http(s) address, or the site's root folder."""
    offline: bool = False
    github_token: str | None = field(default=None, repr=False)
    """Sent to GitHub's hosts only; never echoed, logged or stored."""
    cookie_jar: str | None = None
    """A Netscape cookies.txt file whose cookies probes send (read, never written)."""
    include_fragments: bool = False
    """Check that `page#section` names an anchor (or text) that exists on the page."""
    require_https: bool = False
    """Flag `http://` links whose site answers on https."""
    outlet_aliases: tuple[tuple[str, str], ...] = ()
    """Outlet -> the canonical outlet it belongs to (e.g. `t.me/isw` -> `understandingwar.org`)."""
    outlet_kinds: tuple[tuple[str, str], ...] = ()
    """Outlet -> `state_media`, `government`, `social` or "" (none), over the built-in lists."""
    fail_on: tuple[str, ...] = ("lost",)
    concurrency: int | None = None
    """None: every host at its cap at once, at most 256 requests in flight."""
    retries: int = 2
    user_agent: str | None = None
    archive: str = "wayback"
    cache: Path | None = None
    store: str | None = None
    """A postgresql:// URL: the shared store, instead of the SQLite `cache` file."""
    source: Path | None = None
    """The configuration file read, if any."""
    ignore_file: Path | None = None
    """The `.citeauditignore` read, if any."""


# --- reading and checking values --------------------------------------------------------------


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _where(path: Path, table: str) -> str:
    return f"{_display(path)}: " + (f"[{table}] " if table else "")


def _type_error(path: Path, table: str, key: str, want: str, value: object) -> ConfigError:
    got = type(value).__name__
    return ConfigError(f"{_where(path, table)}'{key}' must be {want}, not {got} ({value!r})")


def _int(path: Path, table: str, key: str, value: object, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error(path, table, key, "an integer", value)
    if value < minimum:
        raise ConfigError(f"{_where(path, table)}'{key}' must be at least {minimum}, not {value}")
    return value


def _float(path: Path, table: str, key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _type_error(path, table, key, "a number", value)
    if value <= 0:
        raise ConfigError(f"{_where(path, table)}'{key}' must be positive, not {value}")
    return float(value)


def _str(path: Path, table: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise _type_error(path, table, key, "a string", value)
    return value


def _str_list(path: Path, table: str, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _type_error(path, table, key, "a list of strings", value)
    return tuple(value)


def _table(path: Path, table: str, key: str, value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _type_error(path, table, key, "a table", value)
    return value


def _per_host(path: Path, table: str, value: object) -> dict[str, Any]:
    if isinstance(value, dict):
        limits = {h.lower(): _int(path, table, f"per_host.{h}", v, 1) for h, v in value.items()}
        out: dict[str, Any] = {}
        if "default" in limits:
            out["per_host"] = limits.pop("default")
        out["host_limits"] = tuple(sorted(limits.items()))
        return out
    return {"per_host": _int(path, table, "per_host", value, 1)}


_STATUS_RANGE = re.compile(r"^\s*(\d{3})\s*(?:(\.\.=?|-)\s*(\d{3})\s*)?$")


def parse_statuses(text: str) -> tuple[int, ...]:
    """HTTP statuses from lychee's syntax: `200..=299,403` (`..` excludes the end, `-` includes).

    >>> parse_statuses("200..=202, 403")
    (200, 201, 202, 403)
    >>> parse_statuses("200..202")
    (200, 201)
    """
    out: set[int] = set()
    for part in text.split(","):
        m = _STATUS_RANGE.match(part)
        if not m:
            raise ValueError(f"{part.strip()!r} is not a status or range such as 200..=299")
        low = int(m.group(1))
        high = low if m.group(3) is None else int(m.group(3)) - (m.group(2) == "..")
        if not 100 <= low <= high <= 999:
            raise ValueError(f"{part.strip()!r} is not a range of HTTP statuses (100-999)")
        out.update(range(low, high + 1))
    return tuple(sorted(out))


def _statuses(path: Path, table: str, key: str, value: object) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [value]
    out: set[int] = set()
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool) and 100 <= item <= 999:
            out.add(item)
        elif isinstance(item, str):
            try:
                out.update(parse_statuses(item))
            except ValueError as exc:
                raise ConfigError(f"{_where(path, table)}'{key}': {exc}") from None
        else:
            raise _type_error(path, table, key, "HTTP statuses such as 403 or '200..=299'", value)
    return tuple(sorted(out))


def _accept(path: Path, table: str, value: object) -> tuple[tuple[str, tuple[int, ...]], ...]:
    if not isinstance(value, dict):
        # a bare list or range string applies to every host, as lychee's --accept does;
        # `HOST=STATUSES` items (the command line's per-host form) apply to one host
        items = value if isinstance(value, list) else [value]
        hosts: dict[str, list[object]] = {}
        for item in items:
            if isinstance(item, str) and "=" in item.split("..")[0]:
                host, _, given = item.partition("=")
                hosts.setdefault(host, []).append(given)
            else:
                hosts.setdefault("*", []).append(item)
        value = hosts
    out: dict[str, set[int]] = {}
    for host, statuses in value.items():
        name = host.strip().lower()
        if not name or any(c in name for c in "/:?[ "):
            raise ConfigError(
                f"{_where(path, table)}'accept' key {host!r} is not a host name (or '*')"
            )
        key = "accept" if name == "*" else f"accept.{host}"
        out.setdefault(name, set()).update(_statuses(path, table, key, statuses))
    return tuple(sorted((h, tuple(sorted(s))) for h, s in out.items()))


def _headers(path: Path, table: str, value: object) -> tuple[tuple[str, str], ...]:
    if isinstance(value, dict):
        pairs = [(str(k), _str(path, table, f"header.{k}", v)) for k, v in value.items()]
    else:
        pairs = []
        for line in _str_list(path, table, "header", value):
            name, sep, text = line.partition(":")
            if not sep:
                raise ConfigError(f"{_where(path, table)}'header' {line!r} must be 'Name: value'")
            pairs.append((name, text))
    out = []
    for name, text in pairs:
        name, text = name.strip(), text.strip()
        if not _TOKEN.match(name) or "\n" in text or "\r" in text:
            raise ConfigError(f"{_where(path, table)}'header' {name!r}: not a valid header")
        out.append((name, text))
    return tuple(out)


def _remaps(path: Path, table: str, value: object) -> tuple[str, ...]:
    from citeaudit.remap import parse_remap

    rules = _str_list(path, table, "remap", value)
    for rule in rules:
        try:
            parse_remap(rule)
        except ValueError as exc:
            raise ConfigError(f"{_where(path, table)}'remap' {exc}") from None
    return rules


def _base_url(path: Path, table: str, value: object) -> str:
    text = _str(path, table, "base_url", value).strip()
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https"):
        if not parts.hostname:
            raise ConfigError(f"{_where(path, table)}'base_url' {text!r} has no host")
        return text if parts.path else text + "/"
    if parts.scheme and len(parts.scheme) > 1:
        raise ConfigError(
            f"{_where(path, table)}'base_url' must be an http(s) address or a folder, not {text!r}"
        )
    # a folder named in a file is relative to that file, as `cache` is
    folder = (path.parent / Path(text).expanduser()).resolve() if path.is_file() else Path(text)
    if not folder.is_dir():
        raise ConfigError(f"{_where(path, table)}'base_url' {text!r}: no such folder")
    return str(folder)


def _file(path: Path, table: str, key: str, value: object) -> str:
    text = _str(path, table, key, value)
    # a file named in a file is relative to that file, as `cache` is
    named = (path.parent / Path(text).expanduser()) if path.is_file() else Path(text).expanduser()
    if not named.is_file():
        raise ConfigError(f"{_where(path, table)}'{key}' {text!r}: no such file")
    return str(named)


def _token(path: Path, table: str, value: object) -> str:
    if not isinstance(value, str):
        # the value is never repeated in an error: it may be a credential
        raise ConfigError(f"{_where(path, table)}'github_token' must be a string")
    token = value.strip()
    if not token or any(c.isspace() or not c.isprintable() for c in token):
        raise ConfigError(f"{_where(path, table)}'github_token' is not a token")
    return token


def _bool(path: Path, table: str, key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _type_error(path, table, key, "true or false", value)
    return value


_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def _paths(path: Path, table: str, value: object) -> tuple[str, ...]:
    patterns = _str_list(path, table, "exclude_path", value)
    for pattern in patterns:
        _check_pattern(pattern, f"{_where(path, table)}exclude_path")
    return patterns


def _aliases(path: Path, table: str, value: object) -> tuple[tuple[str, str], ...]:
    aliases = _table(path, table, "outlet_aliases", value)
    return tuple(
        sorted((k, _str(path, table, f"outlet_aliases.{k}", v)) for k, v in aliases.items())
    )


def _kinds(path: Path, table: str, value: object) -> tuple[tuple[str, str], ...]:
    from citeaudit.models import OutletKind

    kinds = _table(path, table, "outlet_kinds", value)
    allowed = [k.value for k in OutletKind] + [""]
    out = []
    for outlet, kind in kinds.items():
        if kind not in allowed:
            raise _type_error(path, table, f"outlet_kinds.{outlet}", f"one of {allowed}", kind)
        out.append((outlet, kind))
    return tuple(sorted(out))


def _fail_on(path: Path, table: str, value: object) -> tuple[str, ...]:
    out = []
    for item in _str_list(path, table, "fail_on", value):
        for name in item.split(","):
            name = name.strip().lower().replace("_", "-")
            if name not in _FAIL_ON:
                raise ConfigError(
                    f"{_where(path, table)}unknown fail_on value {name!r} "
                    f"(choose from {', '.join(_FAIL_ON)})"
                )
            out.append(name)
    return tuple(dict.fromkeys(out))


def _archive(path: Path, table: str, value: object) -> str:
    name = _str(path, table, "archive", value)
    if name not in ARCHIVES:
        raise ConfigError(
            f"{_where(path, table)}'archive' must be one of {', '.join(ARCHIVES)}, not {name!r}"
        )
    return name


def _exclude(path: Path, table: str, value: object, key: str = "exclude") -> tuple[str, ...]:
    patterns = _str_list(path, table, key, value)
    for pattern in patterns:
        _check_pattern(pattern, f"{_where(path, table)}{key}")
    return patterns


_READERS: dict[str, Any] = {
    "exclude": lambda p, t, v: {"exclude": _exclude(p, t, v)},
    "per_host": _per_host,
    "timeout": lambda p, t, v: {"timeout": _float(p, t, "timeout", v)},
    "max_wait": lambda p, t, v: {"max_wait": _float(p, t, "max_wait", v)},
    "accept": lambda p, t, v: {"accept": _accept(p, t, v)},
    "outlet_aliases": lambda p, t, v: {"outlet_aliases": _aliases(p, t, v)},
    "outlet_kinds": lambda p, t, v: {"outlet_kinds": _kinds(p, t, v)},
    "fail_on": lambda p, t, v: {"fail_on": _fail_on(p, t, v)},
    "concurrency": lambda p, t, v: {"concurrency": _int(p, t, "concurrency", v, 1)},
    "retries": lambda p, t, v: {"retries": _int(p, t, "retries", v, 0)},
    "user_agent": lambda p, t, v: {"user_agent": _str(p, t, "user_agent", v)},
    "archive": lambda p, t, v: {"archive": _archive(p, t, v)},
    "cache": lambda p, t, v: {"cache": _cache_path(p, t, v)},
    "include": lambda p, t, v: {"include": _exclude(p, t, v, "include")},
    "exclude_path": lambda p, t, v: {"exclude_path": _paths(p, t, v)},
    "max_redirects": lambda p, t, v: {"max_redirects": _int(p, t, "max_redirects", v, 0)},
    "header": lambda p, t, v: {"header": _headers(p, t, v)},
    "remap": lambda p, t, v: {"remap": _remaps(p, t, v)},
    "base_url": lambda p, t, v: {"base_url": _base_url(p, t, v)},
    "offline": lambda p, t, v: {"offline": _bool(p, t, "offline", v)},
    "include_fragments": lambda p, t, v: {"include_fragments": _bool(p, t, "include_fragments", v)},
    "require_https": lambda p, t, v: {"require_https": _bool(p, t, "require_https", v)},
    "github_token": lambda p, t, v: {"github_token": _token(p, t, v)},
    "cookie_jar": lambda p, t, v: {"cookie_jar": _file(p, t, "cookie_jar", v)},
    "store": lambda p, t, v: {"store": _store_url(p, t, v)},
}
KEYS: tuple[str, ...] = tuple(_READERS)
"""Every key the configuration accepts."""


def _cache_path(path: Path, table: str, value: object) -> Path:
    # A relative cache path is relative to the file that names it, not to wherever citeaudit runs.
    return (path.parent / Path(_str(path, table, "cache", value)).expanduser()).resolve()


def _store_url(path: Path, table: str, value: object) -> str:
    from citeaudit.check.store import check_store_url

    try:
        return check_store_url(_str(path, table, "store", value))
    except ValueError as exc:
        raise ConfigError(f"{_where(path, table)}{exc}") from None


def parse_config(data: Mapping[str, Any], path: Path, table: str = "") -> Config:
    """A Config from one file's already-parsed table; ConfigError names any bad key."""
    values: dict[str, Any] = {"source": path}
    for key, value in data.items():
        reader = _READERS.get(key)
        if reader is None:
            close = difflib.get_close_matches(key.replace("-", "_"), KEYS, n=1)
            if not close:
                close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            where = f" in [{table}]" if table else ""
            raise ConfigError(f"{_display(path)}: unknown key '{key}'{where}{hint}")
        values.update(reader(path, table, value))
    if "cache" in values and "store" in values:
        raise ConfigError(f"{_where(path, table)}'cache' and 'store' name two stores; keep one")
    return Config(**values)


# --- finding files ------------------------------------------------------------------------------


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_display(path)}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{_display(path)}: cannot read: {exc.strerror or exc}") from exc


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
                    raise ConfigError(f"{_display(pyproject)}: [tool.citeaudit] must be a table")
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
        raise ConfigError(f"{_display(path)}: cannot read: {exc}") from exc
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        _check_pattern(line, f"{_display(path)}:{number}")
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
                given = _READERS[key](cli, "", value if isinstance(value, Mapping) else list(value))
                if key == "remap":
                    # the first matching rule applies: the command line's come first
                    changes[key] = tuple(dict.fromkeys(given[key] + config.remap))
                else:
                    changes[key] = _add(getattr(config, key), given[key], key == "accept")
            elif key in _READERS:
                if key == "cache":
                    changes["cache"] = Path(value).expanduser()
                elif key in ("timeout", "max_wait"):
                    changes[key] = _float(cli, "", key, value)
                elif key in ("accept", "outlet_aliases", "outlet_kinds", "per_host") and isinstance(
                    value, Mapping
                ):
                    changes.update(_READERS[key](cli, "", dict(value)))
                else:
                    changes.update(
                        _READERS[key](cli, "", list(value) if key == "fail_on" else value)
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


# --- URL patterns -------------------------------------------------------------------------------


def _check_pattern(pattern: str, where: str) -> None:
    if pattern.startswith("re:"):
        try:
            _regex(pattern[3:])
        except re.error as exc:
            raise ConfigError(f"{where}: invalid regular expression {pattern!r}: {exc}") from exc


@lru_cache(maxsize=1024)
def _regex(source: str) -> re.Pattern[str]:
    return re.compile(source)


@lru_cache(maxsize=1024)
def _glob(pattern: str) -> re.Pattern[str]:
    # fnmatch.translate emulates atomic groups for `*`, so these never backtrack badly.
    return re.compile(fnmatch.translate(pattern.lower()))


def matching_pattern(url: str, patterns: Iterable[str]) -> str | None:
    """The first pattern (see the module docstring for the forms) a URL matches, if any."""
    lowered = url.lower()
    host: str | None = None
    for pattern in patterns:
        if pattern.startswith("re:"):
            if _regex(pattern[3:]).search(url):
                return pattern
        elif "/" not in pattern and ":" not in pattern:
            if host is None:
                host = host_of(url)
            if host and _glob(pattern).match(host):
                return pattern
        elif _glob(pattern).match(lowered):
            return pattern
    return None


def url_rule(url: str, exclude: Iterable[str], include: Iterable[str] = ()) -> str | None:
    """The rule that keeps a URL from being probed, or None to probe it.

    With `include` patterns only a URL matching one is probed, whatever `exclude` says.

    >>> url_rule("https://a.example/x", ["a.example"])
    'exclude a.example'
    >>> url_rule("https://a.example/x", ["a.example"], ["re:/x$"]) is None
    True
    >>> url_rule("https://b.example/", [], ["a.example"])
    'include: no pattern matches'
    """
    include = tuple(include)
    if include:
        return None if matching_pattern(url, include) else "include: no pattern matches"
    hit = matching_pattern(url, exclude)
    return None if hit is None else f"exclude {hit}"


def is_excluded(url: str, patterns: Iterable[str]) -> bool:
    """Whether a URL matches any exclude pattern (see the module docstring for the forms).

    >>> is_excluded("https://sub.example.com/x", ["*.example.com"])
    True
    >>> is_excluded("https://example.org/a/b", ["https://example.org/a/*", "re:^ftp:"])
    True
    >>> is_excluded("https://example.org/b", ["re:/a/"])
    False
    """
    return matching_pattern(url, patterns) is not None
