"""The typed configuration: what the files and the command line settled for one document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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
