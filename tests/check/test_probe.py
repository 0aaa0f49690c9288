"""Every verdict and every probing rule, against real loopback servers (HTTP and TLS)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from citeaudit.check.options import DEFAULT_USER_AGENT
from citeaudit.models import Hop, LinkStatus

from ..hardening.rawserver import Fault, RawServer, Request, head_bytes
from .servers import CLOSE, HANG, RESET, Reply, Sequence_, TestServer, by_method, page, run


def test_alive_and_dead_statuses(server: TestServer) -> None:
    h = "news.test"
    server.route(h, "/ok", Reply(200, page("A story")))
    server.route(h, "/missing", Reply(404, page("Not here")))
    server.route(h, "/gone", Reply(410))
    urls = [server.url(h, p) for p in ("/ok", "/missing", "/gone")]
    result = run(urls, resolve=server.resolve(h))
    got = {u.rsplit("/", 1)[1]: v for u, v in result.verdicts.items()}
    assert got["ok"].status is LinkStatus.ALIVE and got["ok"].title == "A story"
    assert got["ok"].http_status == 200
    assert got["missing"].status is LinkStatus.DEAD and "404" in got["missing"].reason
    assert got["gone"].status is LinkStatus.DEAD and "410" in got["gone"].reason


def test_head_405_falls_back_to_get(server: TestServer) -> None:
    h = "nohead.test"
    server.route(h, "/p", by_method(Reply(405), Reply(200, page("Real page"))))
    result = run([server.url(h, "/p")], resolve=server.resolve(h))
    v = result.verdicts[server.url(h, "/p")]
    assert v.status is LinkStatus.ALIVE, v.reason
    assert [s.method for s in server.hits(h, "/p")] == ["HEAD", "GET"]


def test_head_dropping_the_connection_falls_back_to_get(server: TestServer) -> None:
    h = "drop.test"
    server.route(h, "/p", by_method(CLOSE, Reply(200, page("Fine with GET"))))
    v = run([server.url(h, "/p")], resolve=server.resolve(h)).verdicts[server.url(h, "/p")]
    assert v.status is LinkStatus.ALIVE, v.reason
    assert [s.method for s in server.hits(h, "/p")] == ["HEAD", "GET"]


def test_get_first_mode_sends_one_request(server: TestServer) -> None:
    h = "getfirst.test"
    server.route(h, "/", Reply(200, page("Home")))
    v = run([server.url(h, "/")], resolve=server.resolve(h), first_request="get")
    assert v.verdicts[server.url(h, "/")].status is LinkStatus.ALIVE
    assert [s.method for s in server.hits(h, "/")] == ["GET"]


def _methods_per_path(server: TestServer, host: str, paths: list[str]) -> list[list[str]]:
    return [[s.method for s in server.hits(host, p)] for p in paths]


def test_auto_mode_skips_the_head_once_a_host_needed_the_get(server: TestServer) -> None:
    h = "pages.test"
    paths = ["/a", "/b", "/c", "/report.pdf"]
    for path in paths[:3]:
        server.route(h, path, Reply(200, page(f"Page {path}")))
    server.route(h, "/report.pdf", Reply(200, b"%PDF-1.7", content_type="application/pdf"))
    urls = [server.url(h, p) for p in paths]
    result = run(urls, resolve=server.resolve(h), per_host=1, concurrency=1)
    assert all(v.status is LinkStatus.ALIVE for v in result.verdicts.values())
    # the first page teaches that pages here need a GET; a download still starts with HEAD,
    # confirmed by one ranged GET
    assert _methods_per_path(server, h, paths) == [
        ["HEAD", "GET"],
        ["GET"],
        ["GET"],
        ["HEAD", "GET"],
    ]


def test_auto_mode_sends_one_scout_head_per_host_even_in_parallel(server: TestServer) -> None:
    h = "parallel.test"
    paths = [f"/p{i}" for i in range(8)]
    for path in paths:
        server.route(h, path, Reply(200, page(f"Page {path}"), delay=0.05))
    urls = [server.url(h, p) for p in paths]
    run(urls, resolve=server.resolve(h), per_host=4, concurrency=16)
    methods = [s.method for p in paths for s in server.hits(h, p)]
    # the other pages waited for the first one's lesson instead of all opening with a HEAD
    assert methods.count("HEAD") == 1 and methods.count("GET") == len(paths)


def test_auto_mode_keeps_head_first_on_hosts_serving_files(server: TestServer) -> None:
    h = "files.test"
    paths = ["/f/1", "/f/2"]
    for path in paths:
        server.route(h, path, Reply(200, b"PK", content_type="application/zip"))
    urls = [server.url(h, p) for p in paths]
    run(urls, resolve=server.resolve(h), per_host=1, concurrency=1)
    assert _methods_per_path(server, h, paths) == [["HEAD", "GET"], ["HEAD", "GET"]]


def test_head_mode_always_starts_with_head(server: TestServer) -> None:
    h = "always.test"
    paths = ["/a", "/b"]
    for path in paths:
        server.route(h, path, Reply(200, page(f"Page {path}")))
    urls = [server.url(h, p) for p in paths]
    run(urls, resolve=server.resolve(h), per_host=1, concurrency=1, first_request="head")
    assert _methods_per_path(server, h, paths) == [["HEAD", "GET"], ["HEAD", "GET"]]


def test_body_read_is_capped(server: TestServer) -> None:
    h = "big.test"
    big = b"<html><head><title>Video</title></head><body>" + b"x" * 2_000_000
    server.route(h, "/v", Reply(200, big))
    v = run([server.url(h, "/v")], resolve=server.resolve(h), max_body=64 * 1024)
    verdict = v.verdicts[server.url(h, "/v")]
    assert verdict.status is LinkStatus.ALIVE and verdict.title == "Video"


def test_redirect_chain_recorded_and_permanent_noted(server: TestServer) -> None:
    h = "moved.test"
    server.route(h, "/a", Reply(301, headers={"Location": "/b"}))
    server.route(h, "/b", Reply(308, headers={"Location": server.url(h, "/c")}))
    server.route(h, "/c", Reply(200, page("Final article")))
    server.route(h, "/t", Reply(302, headers={"Location": "/c"}))
    result = run([server.url(h, "/a"), server.url(h, "/t")], resolve=server.resolve(h))
    v = result.verdicts[server.url(h, "/a")]
    assert v.status is LinkStatus.REDIRECTED
    assert v.redirects == (Hop(server.url(h, "/a"), 301), Hop(server.url(h, "/b"), 308))
    assert v.final_url == server.url(h, "/c") and "permanent" in v.reason
    t = result.verdicts[server.url(h, "/t")]
    assert t.status is LinkStatus.REDIRECTED and "permanent" not in t.reason


def test_redirect_loop_and_too_many(server: TestServer) -> None:
    h = "loop.test"
    server.route(h, "/x", Reply(302, headers={"Location": "/y"}))
    server.route(h, "/y", Reply(302, headers={"Location": "/x"}))
    server.default(h, lambda s: Reply(302, headers={"Location": s.path + "0"}))
    urls = [server.url(h, "/x"), server.url(h, "/n")]
    result = run(urls, resolve=server.resolve(h), max_redirects=3)
    loop = result.verdicts[urls[0]]
    assert loop.status is LinkStatus.ERROR and "loop" in loop.reason
    many = result.verdicts[urls[1]]
    assert many.status is LinkStatus.ERROR and "more than 3 redirects" in many.reason
    assert len(many.redirects) == 4


def test_redirect_to_other_scheme_is_invalid(server: TestServer) -> None:
    h = "ftp.test"
    server.route(h, "/f", Reply(301, headers={"Location": "ftp://ftp.test/file"}))
    v = run([server.url(h, "/f")], resolve=server.resolve(h)).verdicts[server.url(h, "/f")]
    assert v.status is LinkStatus.INVALID and "ftp://" in v.reason


def test_redirect_to_malformed_url_is_invalid(server: TestServer) -> None:
    h = "badloc.test"
    server.route(h, "/b", Reply(302, headers={"Location": "http://[not-an-ip/x"}))
    v = run([server.url(h, "/b")], resolve=server.resolve(h)).verdicts[server.url(h, "/b")]
    assert v.status is LinkStatus.INVALID and "malformed" in v.reason, v.reason


def test_deep_link_redirected_home_is_soft_dead(server: TestServer) -> None:
    h = "www.paper.test"
    server.route(h, "/2023/08/story.html", Reply(301, headers={"Location": "/"}))
    server.route(h, "/", Reply(200, page("The Paper")))
    url = server.url(h, "/2023/08/story.html")
    v = run([url], resolve=server.resolve(h)).verdicts[url]
    assert v.status is LinkStatus.SOFT_DEAD and "home page" in v.reason


def test_not_found_phrases_make_soft_dead(server: TestServer) -> None:
    h = "soft.test"
    server.route(h, "/ru", Reply(200, page("Страница не найдена")))
    server.route(h, "/fa", Reply(200, page("خبرگزاری", "صفحه مورد نظر یافت نشد")))
    server.route(h, "/en", Reply(200, page("Budget analysis", "Full text here. " * 400)))
    urls = [server.url(h, p) for p in ("/ru", "/fa", "/en")]
    result = run(urls, resolve=server.resolve(h), soft404_probe=False)
    assert result.verdicts[urls[0]].status is LinkStatus.SOFT_DEAD
    assert result.verdicts[urls[1]].status is LinkStatus.SOFT_DEAD
    assert result.verdicts[urls[2]].status is LinkStatus.ALIVE


def test_random_path_probe_finds_soft_404_once_per_host(server: TestServer) -> None:
    h = "catchall.test"
    # every unknown path: 200 with the same shell; ids in the body differ a little
    server.default(h, lambda s: Reply(200, page("Welcome to Catchall", f"id {len(s.path)}", 900)))
    server.route(h, "/real/article", Reply(200, page("Election results 2024", "text", 5000)))
    urls = [server.url(h, p) for p in ("/real/article", "/gone/one", "/gone/two")]
    result = run(urls, resolve=server.resolve(h))
    assert result.verdicts[urls[0]].status is LinkStatus.ALIVE
    for url in urls[1:]:
        v = result.verdicts[url]
        assert v.status is LinkStatus.SOFT_DEAD and "does not exist" in v.reason
    probes = [s for s in server.hits(h) if s.path.startswith("/citeaudit-")]
    assert len(probes) == 1


def test_blocked_verdicts(server: TestServer) -> None:
    server.route("priv.test", "/401", Reply(401))
    server.route("priv.test", "/403", Reply(403))
    server.route("cf.test", "/c", Reply(403, headers={"cf-mitigated": "challenge"}))
    server.route("www.linkedin.com", "/in/someone", Reply(999))
    server.route("x.com", "/user/status/1", Reply(400))
    server.route("wall.test", "/captcha", Reply(200, page("Just a moment...")))
    server.route("wall.test", "/art", Reply(302, headers={"Location": "/login?next=/art"}))
    server.route("wall.test", "/login", Reply(200, page("Sign in")))
    hosts = ("priv.test", "cf.test", "www.linkedin.com", "x.com", "wall.test")
    urls = [
        server.url("priv.test", "/401"),
        server.url("priv.test", "/403"),
        server.url("cf.test", "/c"),
        server.url("www.linkedin.com", "/in/someone"),
        server.url("x.com", "/user/status/1"),
        server.url("wall.test", "/captcha"),
        server.url("wall.test", "/art"),
    ]
    result = run(urls, resolve=server.resolve(*hosts))
    for url in urls:
        assert result.verdicts[url].status is LinkStatus.BLOCKED, (url, result.verdicts[url])
    assert "cf-mitigated" in result.verdicts[urls[2]].reason
    assert "999" in result.verdicts[urls[3]].reason
    assert "login" in result.verdicts[urls[6]].reason


def test_persistent_429_is_blocked_and_retried(server: TestServer) -> None:
    h = "busy429.test"
    server.route(h, "/p", Reply(429, headers={"Retry-After": "0"}))
    v = run([server.url(h, "/p")], resolve=server.resolve(h), retries=2)
    assert v.verdicts[server.url(h, "/p")].status is LinkStatus.BLOCKED
    assert [s.method for s in server.hits(h, "/p")] == ["HEAD", "GET", "GET", "GET"]


def test_5xx_retried_then_error_and_recovery(server: TestServer) -> None:
    h = "flaky.test"
    server.route(h, "/down", Reply(503))
    server.route(h, "/flaky", Sequence_(Reply(500), Reply(502), Reply(200, page("Back"))))
    urls = [server.url(h, "/down"), server.url(h, "/flaky")]
    result = run(urls, resolve=server.resolve(h), retries=2)
    down = result.verdicts[urls[0]]
    assert down.status is LinkStatus.ERROR and "503" in down.reason and "3 attempts" in down.reason
    assert len(server.hits(h, "/down")) == 4  # HEAD, then GET with two retries
    assert result.verdicts[urls[1]].status is LinkStatus.ALIVE


def test_reset_timeout_and_refused_are_errors(server: TestServer) -> None:
    h = "broken.test"
    server.route(h, "/reset", RESET)
    server.route(h, "/hang", HANG)
    refused = "http://closed.test:9/x"  # port 9 on loopback: nothing listens
    urls = [server.url(h, "/reset"), server.url(h, "/hang"), refused]
    resolve = server.resolve(h) + (("closed.test", 9, "127.0.0.1"),)
    result = run(urls, resolve=resolve, timeout=0.5, retries=1)
    reset = result.verdicts[urls[0]]
    assert reset.status is LinkStatus.ERROR and "reset" in reset.reason.lower()
    assert len(server.hits(h, "/reset")) == 3  # HEAD dropped -> GET -> one retry
    hang = result.verdicts[urls[1]]
    assert hang.status is LinkStatus.ERROR and "timed out" in hang.reason
    assert result.verdicts[refused].status is LinkStatus.ERROR


def test_tls_trusted_alive_untrusted_and_wrong_name_error(
    tls_server: TestServer, ca_file: str
) -> None:
    tls_server.route("secure.test", "/p", Reply(200, page("Secure page")))
    tls_server.route("other.test", "/p", Reply(200, page("Wrong name")))
    good = tls_server.url("secure.test", "/p")
    wrong = tls_server.url("other.test", "/p")
    resolve = tls_server.resolve("secure.test", "other.test")
    ok = run([good, wrong], resolve=resolve, ca_bundle=ca_file)
    assert ok.verdicts[good].status is LinkStatus.ALIVE, ok.verdicts[good].reason
    bad = ok.verdicts[wrong]
    assert bad.status is LinkStatus.ERROR and "TLS" in bad.reason
    # without our CA the certificate is untrusted: error, never alive
    untrusted = run([good], resolve=resolve).verdicts[good]
    assert untrusted.status is LinkStatus.ERROR and "TLS" in untrusted.reason
    assert not tls_server.hits("other.test")  # the handshake failed before any request


def test_shortlink_followed_and_final_outlet(server: TestServer) -> None:
    target = server.url("www.bbc.co.uk", "/news/world-1")
    server.route("bit.ly", "/abc", Reply(301, headers={"Location": target}))
    server.route("www.bbc.co.uk", "/news/world-1", Reply(200, page("World news")))
    url = server.url("bit.ly", "/abc")
    v = run([url], resolve=server.resolve("bit.ly", "www.bbc.co.uk")).verdicts[url]
    assert v.status is LinkStatus.REDIRECTED and v.final_url == target
    assert v.final_outlet == "bbc.co.uk"


def test_user_agent_names_citeaudit_and_can_be_overridden(server: TestServer) -> None:
    h = "ua.test"
    server.route(h, "/", Reply(200, page("ok")))
    run([server.url(h, "/")], resolve=server.resolve(h))
    run([server.url(h, "/") + "?again"], resolve=server.resolve(h), user_agent="me/1")
    agents = [s.agent for s in server.hits(h, "/")]
    assert agents[0] == DEFAULT_USER_AGENT and "citeaudit/" in agents[0]
    assert agents[-1] == "me/1"


def test_every_html_probe_records_a_content_fingerprint(server: TestServer) -> None:
    h = "prints.test"
    server.route(h, "/a", Reply(200, page("Story", "The dam broke at noon.")))
    server.route(
        h,
        "/b",
        Reply(
            200, "<html><title>Story</title><h1>STORY</h1>" + "<p>the dam broke at noon</p></html>"
        ),
    )
    server.route(h, "/c", Reply(200, page("Story", "The dam held.")))
    server.route(h, "/f", Reply(200, b"%PDF-1.7", content_type="application/pdf"))
    urls = {p: server.url(h, p) for p in ("/a", "/b", "/c", "/f")}
    got = {p: run([u], resolve=server.resolve(h)).verdicts[u] for p, u in urls.items()}
    assert all(v.status is LinkStatus.ALIVE for v in got.values())
    # words decide, not markup or case; a changed sentence changes it; a PDF has none
    assert got["/a"].fingerprint and got["/a"].fingerprint == got["/b"].fingerprint
    assert got["/c"].fingerprint not in (None, got["/a"].fingerprint)
    assert got["/f"].fingerprint is None


def test_file_head_200_is_confirmed_by_a_ranged_get(server: TestServer) -> None:
    h = "pdfs.test"
    server.route(h, "/gone.pdf", by_method(Reply(200, content_type="application/pdf"), Reply(404)))
    server.route(h, "/ok.pdf", Reply(200, b"%PDF-1.7", content_type="application/pdf"))
    urls = [server.url(h, "/gone.pdf"), server.url(h, "/ok.pdf")]
    result = run(urls, resolve=server.resolve(h), per_host=1, concurrency=1)
    assert result.verdicts[urls[0]].status is LinkStatus.DEAD, result.verdicts[urls[0]].reason
    assert result.verdicts[urls[1]].status is LinkStatus.ALIVE, result.verdicts[urls[1]].reason
    for path in ("/gone.pdf", "/ok.pdf"):
        assert [s.method for s in server.hits(h, path)] == ["HEAD", "GET"]


def test_get_first_file_needs_no_confirmation(server: TestServer) -> None:
    h = "getfiles.test"
    server.route(h, "/a.pdf", Reply(200, b"%PDF", content_type="application/pdf"))
    url = server.url(h, "/a.pdf")
    v = run([url], resolve=server.resolve(h), first_request="get").verdicts[url]
    assert v.status is LinkStatus.ALIVE, v.reason
    assert [s.method for s in server.hits(h, "/a.pdf")] == ["GET"]


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


async def _empty_200(
    req: Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, srv: RawServer
) -> None:
    writer.write(head_bytes(200, {"Content-Type": "application/pdf", "Content-Length": "0"}))
    await writer.drain()


def test_head_answers_keep_the_connection_alive() -> None:
    with RawServer(_empty_200, address="127.0.0.23") as srv:
        urls = [srv.url(f"/f{i}.pdf", host="keep.test") for i in range(20)]
        res = (("keep.test", srv.port, srv.address),)
        result = run(urls, resolve=res, per_host=2, concurrency=4, first_request="head")
        assert all(v.status is LinkStatus.ALIVE for v in result.verdicts.values())
        assert srv.count(method="HEAD") == 20
        # keep-alive: about one connection per host slot, not one per request
        assert srv.connections <= 4, srv.connections


# --- --github-token -----------------------------------------------------------------------------

TOKEN = "ghp_citeauditTestToken0123456789abcdef"


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


def test_the_github_token_is_in_no_report_log_or_cache(
    ca: object, ca_file: str, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from citeaudit.cli import main
    from citeaudit.report import Format

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
        for fmt in Format:
            result = CliRunner().invoke(
                main, [*args, "--format", fmt.value], env={"GITHUB_TOKEN": TOKEN}
            )
            assert result.exit_code == 1, result.output  # the lost source
            assert TOKEN not in result.output
        assert all(s.headers.get("authorization") == f"Bearer {TOKEN}" for s in srv.hits())
    written = [p for p in tmp_path.iterdir() if p.name != "r.txt"]
    assert {p.name for p in written} >= {f"out.{f.value}" for f in Format} | {"cache.sqlite"}
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
