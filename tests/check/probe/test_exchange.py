"""One request: its headers (User-Agent, the GitHub token), its capped body, a body cut off."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from citeaudit.check.options import DEFAULT_USER_AGENT
from citeaudit.models import LinkStatus

from ...hardening.rawserver import Fault, RawServer, Request, head_bytes
from ..servers import Reply, TestServer, count_sends, page, run


def test_body_read_is_capped(server: TestServer) -> None:
    h = "big.test"
    big = b"<html><head><title>Video</title></head><body>" + b"x" * 2_000_000
    server.route(h, "/v", Reply(200, big))
    v = run([server.url(h, "/v")], resolve=server.resolve(h), max_body=64 * 1024)
    verdict = v.verdicts[server.url(h, "/v")]
    assert verdict.status is LinkStatus.ALIVE and verdict.title == "Video"


def test_user_agent_names_citeaudit_and_can_be_overridden(server: TestServer) -> None:
    h = "ua.test"
    server.route(h, "/", Reply(200, page("ok")))
    run([server.url(h, "/")], resolve=server.resolve(h))
    run([server.url(h, "/") + "?again"], resolve=server.resolve(h), user_agent="me/1")
    agents = [s.agent for s in server.hits(h, "/")]
    assert agents[0] == DEFAULT_USER_AGENT and "citeaudit/" in agents[0]
    assert agents[-1] == "me/1"


def _cut_body(status: int) -> Fault:
    async def fault(
        req: Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, srv: RawServer
    ) -> None:
        title = f"Cut story {req.path}" if status == 200 else "Not Found"
        body = f"<html><head><title>{title}</title></head><body>".encode().ljust(300, b"x")
        hdrs = {"Content-Type": "text/html", "Content-Length": "5000"}
        writer.write(head_bytes(status, hdrs) + body)
        await writer.drain()
        writer.close()

    return fault


def test_body_cut_off_keeps_the_status_as_the_answer() -> None:
    with RawServer(_cut_body(200), address="127.0.0.21") as srv:
        url = srv.url("/story", host="cut.test")
        v = run([url], resolve=(("cut.test", srv.port, srv.address),), retries=2).verdicts[url]
        assert v.status is LinkStatus.ALIVE, v.reason
        assert "cut off after 300 bytes" in v.reason and v.title == "Cut story /story"
        # no retry for a cut body: one GET of the page (another goes to a random path)
        assert srv.count(path="/story", method="GET") == 1
    with RawServer(_cut_body(404), address="127.0.0.22") as srv:
        url = srv.url("/story", host="cut404.test")
        res = (("cut404.test", srv.port, srv.address),)
        v = run([url], resolve=res, retries=2, first_request="get").verdicts[url]
        assert v.status is LinkStatus.DEAD, v.reason


TOKEN = "ghp_citeauditTestToken0123456789abcdef"


# --- --github-token -----------------------------------------------------------------------------


def _github_server(ca: object) -> TestServer:
    import ssl

    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("github.com", "api.github.com", "elsewhere.test").configure_cert(ctx)  # type: ignore[attr-defined]
    return TestServer("127.0.0.1", tls=ctx)


def test_the_github_token_goes_to_githubs_hosts_only(ca: object, ca_file: str) -> None:
    with _github_server(ca) as srv:
        srv.route("github.com", "/o/r", Reply(200, page("Repo")))
        srv.route("api.github.com", "/repos/o/r", Reply(200, page("API")))
        srv.route(
            "github.com",
            "/moved",
            Reply(302, headers={"Location": srv.url("elsewhere.test", "/x")}),
        )
        srv.route("elsewhere.test", "/x", Reply(200, page("Elsewhere")))
        urls = [srv.url("github.com", "/o/r"), srv.url("api.github.com", "/repos/o/r")]
        urls.append(srv.url("github.com", "/moved"))
        hosts = srv.resolve("github.com", "api.github.com", "elsewhere.test")
        result = run(urls, resolve=hosts, ca_bundle=ca_file, github_token=TOKEN)
        assert {v.status for v in result.verdicts.values()} <= {
            LinkStatus.ALIVE,
            LinkStatus.REDIRECTED,
        }
        for seen in srv.hits():
            sent = seen.headers.get("authorization")
            if seen.host in ("github.com", "api.github.com"):
                assert sent == f"Bearer {TOKEN}", seen
            else:
                assert sent is None, seen  # the redirect off GitHub left the token behind
        assert srv.hits("elsewhere.test")


def test_the_github_token_is_never_sent_over_plain_http(server: TestServer) -> None:
    server.route("github.com", "/o/r", Reply(200, page("Repo")))
    run(
        [server.url("github.com", "/o/r")], resolve=server.resolve("github.com"), github_token=TOKEN
    )
    assert server.hits("github.com")
    assert all("authorization" not in s.headers for s in server.hits())


@pytest.mark.parametrize("given", ["env", "flag", "config"])
def test_the_github_token_is_in_no_report_log_or_cache(
    ca: object, ca_file: str, tmp_path: Path, caplog: pytest.LogCaptureFixture, given: str
) -> None:
    from click.testing import CliRunner

    from citeaudit.cli import main
    from citeaudit.report import Format

    caplog.set_level(logging.DEBUG)  # every library's log records, httpx's included
    with _github_server(ca) as srv:
        srv.route("github.com", "/o/r", Reply(200, page("Repo")))
        srv.route("github.com", "/gone", Reply(404, page("Gone")))
        doc = tmp_path / "r.txt"
        doc.write_text(
            "R\n\nOne.[1] Two.[2]\n\nEndnotes\n\n"
            f"[1] {srv.url('github.com', '/o/r')}\n[2] {srv.url('github.com', '/gone')}\n",
            encoding="utf-8",
        )
        outputs = [f"{f.value}={tmp_path / ('out.' + f.value)}" for f in Format]
        args = ["check", str(doc), "--resolve", f"github.com:{srv.port}:127.0.0.1"]
        args += ["--ca-bundle", ca_file, "--canary", "localhost", "--no-archive"]
        args += ["--cache", str(tmp_path / "cache.sqlite"), "--retries", "0", "-v"]
        for spec in outputs:
            args += ["-o", spec]
        env = {"GITHUB_TOKEN": TOKEN if given == "env" else None}
        if given == "flag":
            args += ["--github-token", TOKEN]
        config = tmp_path / "citeaudit.toml"
        if given == "config":
            config.write_text(f'github_token = "{TOKEN}"\n', encoding="utf-8")
        # every format on stdout once; the flag and the file: every format through -o
        for fmt in Format if given == "env" else [Format.JSON]:
            result = CliRunner().invoke(main, [*args, "--format", fmt.value], env=env)
            assert result.exit_code == 1, result.output  # the lost source
            assert TOKEN not in result.output  # stdout and stderr (warnings, hints)
            assert '"github_token": true' in result.output or fmt is not Format.JSON
        assert srv.hits() and all(
            s.headers.get("authorization") == f"Bearer {TOKEN}" for s in srv.hits()
        )
    written = [p for p in tmp_path.iterdir() if p.name not in ("r.txt", "citeaudit.toml")]
    assert {p.name for p in written} >= {f"out.{f.value}" for f in Format} | {"cache.sqlite"}
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != config:  # the file the user wrote it in
            assert TOKEN.encode() not in path.read_bytes(), path
    assert caplog.records and TOKEN not in caplog.text


def test_a_probe_request_is_the_one_httpx_would_build_less_the_covered_timers() -> None:
    from citeaudit.check.options import CheckOptions
    from citeaudit.check.probe.exchange import _request
    from citeaudit.check.prober import make_client

    client = make_client(CheckOptions(timeout=7.0))
    url = "https://a.example/p?q=1"
    for sent in ({}, {"X-Extra": "1", "user-agent": "me/1"}):
        ours = _request(client, "GET", url, sent, 7.0)
        theirs = client.build_request("GET", url, headers=sent or None)
        assert (ours.method, ours.url, list(ours.headers.multi_items())) == (
            theirs.method,
            theirs.url,
            list(theirs.headers.multi_items()),
        )
        # the exchange deadline (7 s) bounds every read and write: no per-read timer is set
        assert ours.extensions["timeout"] == {
            "connect": 7.0,
            "read": None,
            "write": None,
            "pool": 7.0,
        }
    # a cookie in the jar: httpx builds the request, Cookie header and all
    client.cookies.set("s", "1", domain="a.example")
    assert _request(client, "GET", url, {}, 7.0).headers["cookie"] == "s=1"


def test_a_probe_skips_httpx_s_client_layer_but_keeps_its_cookies_and_hooks() -> None:
    import httpx

    from citeaudit.check.options import CheckOptions
    from citeaudit.check.probe.exchange import _dispatch, _request
    from citeaudit.check.probe.location import BadLocation, check_location
    from citeaudit.check.prober import make_client

    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("cookie"))
        if request.url.path == "/set":
            return httpx.Response(200, headers={"Set-Cookie": "consent=yes; Path=/"})
        if request.url.path == "/js":
            return httpx.Response(302, headers={"Location": "javascript:alert(1)"})
        return httpx.Response(200)

    client = make_client(CheckOptions(timeout=7.0), transport=httpx.MockTransport(handler))
    client.event_hooks = {"response": [check_location]}
    sent_by_client = count_sends(client)

    async def get(path: str) -> httpx.Response:
        request = _request(client, "GET", f"http://site.test{path}", {}, 7.0)
        response = await _dispatch(client, request)
        await response.aread()
        await response.aclose()
        return response

    async def go() -> None:
        assert (await get("/plain")).request.url.path == "/plain"
        with pytest.raises(BadLocation):
            await get("/js")  # the response hook still runs
        await get("/set")
        await get("/again")  # a site's cookie is sent back: httpx's client builds and sends it
        assert dict(client.cookies) == {"consent": "yes"}
        await client.aclose()

    asyncio.run(go())
    assert seen == [None, None, None, "consent=yes"]
    assert sent_by_client == ["/again"]  # no cookie to send, no auth: straight to the transport
