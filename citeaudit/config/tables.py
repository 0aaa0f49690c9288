"""The keys that are tables of their own: per-host limits and statuses, headers, outlet maps."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from citeaudit.config.values import (
    read_int,
    read_str,
    read_str_list,
    read_table,
    type_error,
    where,
)
from citeaudit.errors import ConfigError
from citeaudit.models import OutletKind


def read_per_host(path: Path, table: str, value: object) -> dict[str, Any]:
    """`per_host`: one limit, or a {host: limit} table whose `default` is the limit."""
    if isinstance(value, dict):
        limits = {h.lower(): read_int(path, table, f"per_host.{h}", v, 1) for h, v in value.items()}
        out: dict[str, Any] = {}
        if "default" in limits:
            out["per_host"] = limits.pop("default")
        out["host_limits"] = tuple(sorted(limits.items()))
        return out
    return {"per_host": read_int(path, table, "per_host", value, 1)}


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
                raise ConfigError(f"{where(path, table)}'{key}': {exc}") from None
        else:
            raise type_error(path, table, key, "HTTP statuses such as 403 or '200..=299'", value)
    return tuple(sorted(out))


def read_accept(path: Path, table: str, value: object) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """`accept`: statuses for every host (a list) or per host (a table, `HOST=...` items)."""
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
                f"{where(path, table)}'accept' key {host!r} is not a host name (or '*')"
            )
        key = "accept" if name == "*" else f"accept.{host}"
        out.setdefault(name, set()).update(_statuses(path, table, key, statuses))
    return tuple(sorted((h, tuple(sorted(s))) for h, s in out.items()))


def read_headers(path: Path, table: str, value: object) -> tuple[tuple[str, str], ...]:
    """`header`: a {name: value} table or `Name: value` lines, each a valid header."""
    if isinstance(value, dict):
        pairs = [(str(k), read_str(path, table, f"header.{k}", v)) for k, v in value.items()]
    else:
        pairs = []
        for line in read_str_list(path, table, "header", value):
            name, sep, text = line.partition(":")
            if not sep:
                raise ConfigError(f"{where(path, table)}'header' {line!r} must be 'Name: value'")
            pairs.append((name, text))
    out = []
    for name, text in pairs:
        name, text = name.strip(), text.strip()
        if not _TOKEN.match(name) or "\n" in text or "\r" in text:
            raise ConfigError(f"{where(path, table)}'header' {name!r}: not a valid header")
        out.append((name, text))
    return tuple(out)


_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def read_aliases(path: Path, table: str, value: object) -> tuple[tuple[str, str], ...]:
    """`outlet_aliases`: outlet -> canonical outlet, sorted."""
    aliases = read_table(path, table, "outlet_aliases", value)
    return tuple(
        sorted((k, read_str(path, table, f"outlet_aliases.{k}", v)) for k, v in aliases.items())
    )


def read_kinds(path: Path, table: str, value: object) -> tuple[tuple[str, str], ...]:
    """`outlet_kinds`: outlet -> an outlet kind or "", sorted."""
    kinds = read_table(path, table, "outlet_kinds", value)
    allowed = [k.value for k in OutletKind] + [""]
    out = []
    for outlet, kind in kinds.items():
        if kind not in allowed:
            raise type_error(path, table, f"outlet_kinds.{outlet}", f"one of {allowed}", kind)
        out.append((outlet, kind))
    return tuple(sorted(out))
