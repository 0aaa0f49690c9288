"""Suite-wide guard: no DNS query leaves the machine while the tests run.

The checker resolves names with the system resolver; a test that forgets `--resolve` or a
canary of its own would send queries to the machine's DNS server (and, on a machine whose
resolver times out, wait seconds for each). In-process, every lookup goes to a resolver that
knows `localhost` and nothing else. Tests that run citeaudit in a subprocess pass `--canary
localhost` and use IP literals instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from citeaudit.check import network

from .check.servers import Reply, TestServer, page
from .pg import pg_server, pg_url  # noqa: F401  (fixtures: a throwaway PostgreSQL server)


async def _loopback_only(host: str, port: int) -> list[str]:
    if host == "localhost" or host.endswith(".localhost"):
        return ["127.0.0.1"]
    raise network.NameNotResolved(host, "no such domain", nxdomain=True)


@pytest.fixture(autouse=True)
def no_dns_leaves_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the system resolver for the duration of each test."""
    monkeypatch.setattr(network, "system_lookup", _loopback_only)


@pytest.fixture(autouse=True)
def own_cache_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets its own user cache folder: no verdict leaks from one test (or from the
    user's real cache) into another, and the suite never writes into the user's home."""
    folder = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))


@pytest.fixture
def server() -> Iterator[TestServer]:
    """One loopback server playing every outlet of a test (tests/check has its own)."""
    with TestServer("127.0.0.1") as srv:
        yield srv


@pytest.fixture
def farm(server: TestServer) -> TestServer:
    """The loopback report's outlets (tests/loopback_report.py): news and other live, gone.test
    answering 404, so its one source is lost."""
    server.default("news.test", Reply(200, page("News")))
    server.default("gone.test", Reply(404, page("Not found")))
    server.default("other.test", Reply(200, page("Other")))
    return server
