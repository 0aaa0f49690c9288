"""Settings of one checking run, as one frozen value.

The CLI turns its flags into a `CheckOptions`; the runner, the prober and the limiter read it and
never look at the command line or the environment. Keeping every knob here (limits, retries,
safety, cache ages, canary names) lets tests shrink timeouts and map hosts to loopback without
patching anything.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

from citeaudit import __version__

DEFAULT_USER_AGENT = (
    f"citeaudit/{__version__} (+https://github.com/citeaudit/citeaudit; link checker)"
)


def parse_resolve(text: str) -> tuple[str, int, str]:
    """Parse curl's `--resolve HOST:PORT:ADDR` into (host, port, address).

    >>> parse_resolve("example.org:443:127.0.0.5")
    ('example.org', 443, '127.0.0.5')
    >>> parse_resolve("Example.ORG:80:[::1]")
    ('example.org', 80, '::1')
    """
    host, sep1, rest = text.partition(":")
    port_text, sep2, addr = rest.partition(":")
    if not (sep1 and sep2) or not host or not port_text or not addr:
        raise ValueError(
            f"--resolve {text!r}: expected HOST:PORT:ADDR, e.g. example.org:443:127.0.0.1"
        )
    try:
        port = int(port_text)
    except ValueError:
        raise ValueError(f"--resolve {text!r}: port {port_text!r} is not a number") from None
    if not 0 < port < 65536:
        raise ValueError(f"--resolve {text!r}: port {port} is out of range 1-65535")
    addr = addr.strip()
    if addr.startswith("[") and addr.endswith("]"):
        addr = addr[1:-1]
    try:
        ipaddress.ip_address(addr)
    except ValueError:
        raise ValueError(f"--resolve {text!r}: {addr!r} is not an IP address") from None
    return host.lower().rstrip("."), port, addr


FirstRequest = Literal["auto", "head", "get"]

GITHUB_HOSTS = frozenset({"github.com", "www.github.com", "api.github.com"})
"""Hosts that get `--github-token`; never a subdomain a user controls (`*.github.io`)."""


CONCURRENCY_CEILING = 256
"""Default global cap at most: past it, one process spends its time scheduling, not waiting."""


def default_concurrency(per_host: int, hosts: int) -> int:
    """Every host at its cap at once, up to `CONCURRENCY_CEILING`.

    A fixed global cap below hosts x per-host leaves polite capacity unused on wide documents.

    >>> default_concurrency(4, 50)
    200
    >>> default_concurrency(4, 1000)
    256
    """
    return max(1, min(CONCURRENCY_CEILING, per_host * max(1, hosts)))


@dataclass(frozen=True)
class CheckOptions:
    """Everything that shapes one checking run."""

    per_host: int = 4
    """Most requests in flight to one host at any moment."""
    host_limits: tuple[tuple[str, int], ...] = ()
    """(host, limit) pairs overriding `per_host` for a host and its subdomains."""
    concurrency: int | None = None
    """Most requests in flight overall; None: `default_concurrency` of the run's hosts."""
    retries: int = 2
    """Extra attempts after a timeout, a connection error, a 5xx or a 429."""
    timeout: float = 15.0
    """Seconds per request (connect, read, write, pool each)."""
    user_agent: str | None = None
    """None: `DEFAULT_USER_AGENT`, naming citeaudit and its version."""
    resolve: tuple[tuple[str, int, str], ...] = ()
    """curl's --resolve: (host, port, address); such hosts skip DNS and the private-address rule."""
    ca_bundle: str | None = None
    allow_private: bool = False
    """Probe hosts that resolve to private, loopback, link-local or multicast addresses."""
    max_redirects: int = 10
    max_body: int = 256 * 1024
    """Bytes of a GET body read at most (title and soft-404 test)."""
    max_wait: float = 30.0
    """Longest `Retry-After` slept, in seconds: a server asking for more makes the URL `blocked`
    ("rate-limited until ...") at once instead of stalling its host."""
    backoff_base: float = 0.5
    """First retry waits up to this many seconds (full jitter), doubling each time."""
    backoff_cap: float = 30.0
    canary_hosts: tuple[str, ...] = ("example.com", "iana.org", "wikipedia.org")
    """Very stable names; if none resolves, the network is taken to be unavailable."""
    max_age_alive: timedelta = timedelta(days=7)
    max_age_other: timedelta = timedelta(days=1)
    refresh: bool = False
    """Ignore cached verdicts (they are still overwritten with fresh ones)."""
    as_of: date | None = None
    """The date archives are asked about (the document date, or --as-of)."""
    first_request: FirstRequest = "auto"
    """Which request opens a probe: "head" always HEAD first (GET after it when needed), "get"
    a streamed GET at once, "auto" HEAD first until a host has shown that its pages need the
    GET anyway, then GET at once for its pages (file downloads always start with HEAD)."""
    soft404_probe: bool = True
    """Probe a random path once per host to recognise hosts that answer 200 for anything."""
    github_token: str | None = field(default=None, repr=False)
    """Sent as `Authorization: Bearer` to GitHub's own hosts over https only (`GITHUB_TOKEN`),
    so github.com links do not hit the anonymous rate limit; never shown, logged or stored."""
    cookies: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    """`http.cookiejar.Cookie`s from `--cookie-jar`, sent where their domain and path say."""
    headers: tuple[tuple[str, str], ...] = ()
    """(name, value) headers added to every probe request (`--header`); archives never get them."""
    exclude: tuple[str, ...] = field(default=())
    """Host names (or suffixes starting with '.') never probed: verdict `skipped`."""

    def global_cap(self, hosts: int) -> int:
        """Most requests in flight overall for a run over `hosts` hosts."""
        if self.concurrency is not None:
            return self.concurrency
        return default_concurrency(self.per_host, hosts)

    @property
    def agent(self) -> str:
        """The User-Agent header sent."""
        return self.user_agent or DEFAULT_USER_AGENT

    def auth_headers(self, url: str) -> dict[str, str]:
        """The credentials a request to `url` carries: the GitHub token for GitHub's hosts.

        >>> CheckOptions(github_token="t").auth_headers("https://api.github.com/repos/a/b")
        {'Authorization': 'Bearer t'}
        >>> CheckOptions(github_token="t").auth_headers("http://github.com/a")
        {}
        """
        if not self.github_token:
            return {}
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme.lower() != "https" or host not in GITHUB_HOSTS:
            return {}
        return {"Authorization": f"Bearer {self.github_token}"}

    def resolve_map(self) -> dict[tuple[str, int], str]:
        """--resolve entries keyed by (host, port)."""
        return {(h.lower(), p): a for h, p, a in self.resolve}
