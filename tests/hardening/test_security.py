"""The checker never becomes a way into the network of the machine it runs on.

A document's URLs, their redirects and the names they use must not reach private, loopback,
link-local or cloud-metadata addresses unless `--allow-private` is given. Names are made to
resolve there with the checker's `lookup=` injection, so no DNS packet is sent; and the socket
layer is guarded: any attempt to connect outside 127.0.0.0/8 fails the test (and is refused
before a packet leaves), which proves the checker refuses *before* connecting. Loopback targets
point at a live loopback server that must see no request.

The second half drives the whole `citeaudit check` CLI against a loopback page whose title
carries ANSI escapes and `<script>`: every output format must keep them inert.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citeaudit.check import eventloop
from citeaudit.check.network import NameNotResolved
from citeaudit.cli import main
from citeaudit.models import LinkStatus

from ..check.servers import Reply, TestServer, page, run


class Guard:
    """Connections the process attempted, and those outside loopback (refused)."""

    def __init__(self) -> None:
        self.attempts: list[str] = []
        self.forbidden: list[str] = []


def _loopback(host: str) -> bool:
    return host.startswith("127.") or host in ("::1", "localhost")


@pytest.fixture
def guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[Guard]:
    g = Guard()
    # the guard watches Python's socket calls; uvloop connects inside libuv, out of its sight,
    # so a run under the guard goes on asyncio's own loop (test_the_rules_hold_on_uvloop too)
    monkeypatch.setattr(eventloop, "loop_factory", lambda: None)

    def wrap(real: Any) -> Any:
        def connect(self: socket.socket, address: Any, *args: Any) -> Any:
            if isinstance(address, tuple):
                host = str(address[0])
                g.attempts.append(host)
                if not _loopback(host):
                    g.forbidden.append(host)
                    raise ConnectionRefusedError(f"test guard: {host} is not loopback")
            return real(self, address, *args)

        return connect

    monkeypatch.setattr(socket.socket, "connect", wrap(socket.socket.connect))
    monkeypatch.setattr(socket.socket, "connect_ex", wrap(socket.socket.connect_ex))
    yield g
    assert not g.forbidden, f"connections outside loopback were attempted: {g.forbidden}"


NAMES = {
    "canary.test": ["127.0.0.9"],  # only looked up, never connected to
    "internal.test": ["10.0.0.7"],
    "corp.test": ["172.16.5.4"],
    "home.test": ["192.168.1.1"],
    "meta.test": ["169.254.169.254"],
    "linklocal.test": ["169.254.10.10"],
    "local.test": ["127.0.0.1"],
    "other-loop.test": ["127.0.0.42"],
    "mixed.test": ["10.1.2.3", "127.0.0.1"],
    "v6-mapped.test": ["::ffff:10.0.0.1"],
    "v6-ula.test": ["fd00::1"],
    "v6-local.test": ["fe80::1"],
    "v6-loop.test": ["::1"],
    "zero.test": ["0.0.0.0"],
    "cgnat.test": ["100.64.0.1"],
}


async def fake_dns(host: str, port: int) -> list[str]:
    """Names resolve to the addresses of NAMES; numeric hosts as getaddrinfo reads them."""
    if host in NAMES:
        return list(NAMES[host])
    try:
        # AI_NUMERICHOST: parse 127.1, 0x7f000001, 2130706433 like the OS does, never ask DNS
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except socket.gaierror:
        raise NameNotResolved(host, "no such domain", nxdomain=True) from None
    return [str(i[4][0]) for i in infos]


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        srv.route("local.test", "/page", Reply(200, page("Inside")))
        yield srv


@pytest.mark.parametrize("name", [n for n in NAMES if n != "canary.test"])
def test_names_resolving_inside_are_skipped_before_connecting(
    name: str, server: TestServer, guard: Guard
) -> None:
    url = f"http://{name}:{server.port}/secret"
    verdict = run([url], lookup=fake_dns).verdicts[url]
    assert verdict.status is LinkStatus.SKIPPED, verdict.reason
    assert "--allow-private" in verdict.reason
    assert guard.attempts == [], "refused before any socket connected"
    assert server.hits() == []


@pytest.mark.parametrize("name", ["internal.test", "meta.test", "local.test", "v6-loop.test"])
def test_the_rules_hold_on_uvloop(name: str, server: TestServer) -> None:
    pytest.importorskip("uvloop")
    inside = f"http://{name}:{server.port}/secret"
    verdicts = run([inside], lookup=fake_dns).verdicts
    assert verdicts[inside].status is LinkStatus.SKIPPED, verdicts[inside].reason
    assert server.hits() == []  # seen from the server: nothing connected


def test_allow_private_reaches_loopback_on_uvloop(server: TestServer) -> None:
    pytest.importorskip("uvloop")
    allowed = f"http://local.test:{server.port}/page"
    verdict = run([allowed], lookup=fake_dns, allow_private=True).verdicts[allowed]
    assert verdict.status is LinkStatus.ALIVE
    assert server.hits("local.test", "/page")


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.1",
        "0x7f000001",
        "2130706433",
        "0177.0.0.1",
        "[::ffff:127.0.0.1]",
        "[::1]",
        "169.254.169.254",
        "10.0.0.1",
        "[fd00::1]",
    ],
)
def test_literal_and_odd_numeric_hosts_are_refused(
    host: str, server: TestServer, guard: Guard
) -> None:
    url = f"http://{host}:{server.port}/secret"
    verdict = run([url], lookup=fake_dns).verdicts[url]
    assert verdict.status in (LinkStatus.SKIPPED, LinkStatus.INVALID), verdict.reason
    assert guard.attempts == []
    assert server.hits() == []


def test_allow_private_reaches_loopback_and_the_guard_sees_it(
    server: TestServer, guard: Guard
) -> None:
    url = f"http://local.test:{server.port}/page"
    verdict = run([url], lookup=fake_dns, allow_private=True).verdicts[url]
    assert verdict.status is LinkStatus.ALIVE
    assert server.hits("local.test", "/page")
    assert "127.0.0.1" in guard.attempts  # the guard is live: it sees real connections


@pytest.mark.parametrize(
    "target",
    [
        "http://internal.test/admin",
        "http://meta.test/latest/meta-data/iam/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00::1]/x",
        "http://local.test:{port}/secret",
        "http://127.0.0.1:{port}/secret",
        "http://2130706433:{port}/secret",
    ],
)
def test_redirects_into_the_network_are_refused(
    target: str, server: TestServer, guard: Guard
) -> None:
    # the cited host is mapped on purpose (--resolve): only its redirect goes inside
    server.route(
        "public.test", "/a", Reply(302, b"", {"Location": target.format(port=server.port)})
    )
    url = server.url("public.test", "/a")
    verdict = run([url], lookup=fake_dns, resolve=server.resolve("public.test")).verdicts[url]
    assert verdict.status is LinkStatus.SKIPPED, verdict.reason
    assert verdict.reason.startswith("redirected to ")
    assert [h.status for h in verdict.redirects] == [302]
    assert [s.path for s in server.hits()] == ["/a"], "only the cited page was asked"
    assert set(guard.attempts) == {"127.0.0.1"}


def test_mapped_host_may_not_launder_a_second_port(server: TestServer, guard: Guard) -> None:
    # --resolve names host AND port: the same name on another port is not mapped
    server.route("public.test", "/a", Reply(302, b"", {"Location": "http://public.test:1/"}))
    url = server.url("public.test", "/a")
    verdict = run([url], lookup=fake_dns, resolve=server.resolve("public.test")).verdicts[url]
    assert verdict.status in (LinkStatus.SKIPPED, LinkStatus.DEAD), verdict.reason
    assert verdict.status is not LinkStatus.ALIVE


# -- the whole CLI ----------------------------------------------------------------------

HOSTILE_TITLE = (
    "Page not found \x1b[2J\x1b[31mRED\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07 "
    "<script>alert(1)</script><img src=x onerror=alert(2)> \u202eoverride"
)


def _document(tmp_path: Path, urls: list[str]) -> Path:
    notes = "\n".join(f"[{i}] Source {i}, {u}" for i, u in enumerate(urls, start=1))
    claims = " ".join(f"Claim number {i}.[{i}]" for i in range(1, len(urls) + 1))
    doc = tmp_path / "report.md"
    doc.write_text(f"# A report\n\n{claims}\n\n## Notes\n\n{notes}\n", encoding="utf-8")
    return doc


def _cli(*args: str) -> Any:
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def _sources(output: str) -> dict[str, dict[str, Any]]:
    report = json.loads(output)
    docs = report if isinstance(report, list) else [report]
    return {s["url"]: s for d in docs for s in d["sources"]}


def test_cli_refuses_private_urls_without_allow_private(
    tmp_path: Path, server: TestServer, guard: Guard
) -> None:
    loop = f"http://127.0.0.1:{server.port}/secret"
    meta = "http://169.254.169.254/latest/meta-data/"
    doc = _document(tmp_path, [loop, meta])
    result = _cli(str(doc), "--no-archive", "--no-cache", "--format", "json", "-q")
    sources = _sources(result.output)
    assert sources[loop]["verdict"] == "skipped"
    assert sources[meta]["verdict"] == "skipped"
    assert server.hits() == [] and guard.attempts == []


def test_cli_allow_private_reaches_loopback(
    tmp_path: Path, server: TestServer, guard: Guard
) -> None:
    server.route("127.0.0.1", "/inside", Reply(200, page("Inside")))
    loop = f"http://127.0.0.1:{server.port}/inside"
    doc = _document(tmp_path, [loop])
    result = _cli(
        str(doc), "--no-archive", "--no-cache", "--format", "json", "-q", "--allow-private"
    )
    assert _sources(result.output)[loop]["verdict"] == "alive"
    assert server.hits(path="/inside")


def test_cli_keeps_a_hostile_title_inert_in_every_output(
    tmp_path: Path, server: TestServer, guard: Guard
) -> None:
    server.default("127.0.0.1", Reply(200, page(HOSTILE_TITLE)))
    url = f"http://127.0.0.1:{server.port}/gone"
    doc = _document(tmp_path, [url])
    outs = {f: tmp_path / f"out.{f}" for f in ("html", "markdown", "sarif", "json", "junit")}
    args = [str(doc), "--no-archive", "--no-cache", "--allow-private", "-q", "--format", "table"]
    for fmt, path in outs.items():
        args += ["-o", f"{fmt}={path}"]
    result = _cli(*args)
    texts = {fmt: path.read_text(encoding="utf-8") for fmt, path in outs.items()}
    texts["terminal"] = result.output
    sources = _sources(texts["json"])
    assert sources[url]["verdict"] == "soft_dead"
    assert "<script>" in sources[url]["title"]  # the JSON keeps the data, as data
    assert server.hits(path="/gone")
    for fmt, text in texts.items():
        assert "\x1b" not in text and "\x07" not in text, fmt
        assert "\u202e" not in text, fmt
    for fmt in ("html", "markdown", "terminal", "junit"):
        assert "<script>alert(1)</script>" not in texts[fmt], fmt
        assert "<img src=x" not in texts[fmt], fmt
    # the page still shows the title, escaped, so the writer can see what the site says
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in texts["html"]
    assert "RED" in texts["html"]
    sarif = json.loads(texts["sarif"])
    messages = json.dumps([r["message"] for run_ in sarif["runs"] for r in run_["results"]])
    assert "\\u001b" not in messages


def test_terminal_colour_output_keeps_only_its_own_escapes(
    tmp_path: Path, server: TestServer, guard: Guard
) -> None:
    from citeaudit.audit import AuditOptions, check_documents
    from citeaudit.check.options import CheckOptions
    from citeaudit.documents import load_catalog
    from citeaudit.report import table

    server.default("127.0.0.1", Reply(200, page(HOSTILE_TITLE)))
    url = f"http://127.0.0.1:{server.port}/gone"
    catalog = load_catalog(str(_document(tmp_path, [url])))
    options = AuditOptions(
        check=CheckOptions(allow_private=True, timeout=2.0, retries=0, canary_hosts=()),
        archive=None,
    )
    results = check_documents([catalog], options)
    coloured = table.render(results, width=200, color=True)
    assert "\x1b[" in coloured  # the renderer's own colours are there
    for evil in ("\x1b[2J", "\x1b]8;;", "\x07", "\x1b[31mRED"):
        assert evil not in coloured
