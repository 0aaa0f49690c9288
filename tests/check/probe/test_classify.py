"""The verdict an answer earns, against real loopback servers (HTTP and TLS)."""

from __future__ import annotations

from citeaudit.models import LinkStatus

from ..servers import HANG, RESET, Reply, Sequence_, TestServer, page, run


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
