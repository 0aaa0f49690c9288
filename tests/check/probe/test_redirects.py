"""Redirects followed by hand: every hop recorded, loops and bad locations caught."""

from __future__ import annotations

from citeaudit.models import Hop, LinkStatus

from ..servers import Reply, TestServer, page, run


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


def test_shortlink_followed_and_final_outlet(server: TestServer) -> None:
    target = server.url("www.bbc.co.uk", "/news/world-1")
    server.route("bit.ly", "/abc", Reply(301, headers={"Location": target}))
    server.route("www.bbc.co.uk", "/news/world-1", Reply(200, page("World news")))
    url = server.url("bit.ly", "/abc")
    v = run([url], resolve=server.resolve("bit.ly", "www.bbc.co.uk")).verdicts[url]
    assert v.status is LinkStatus.REDIRECTED and v.final_url == target
    assert v.final_outlet == "bbc.co.uk"
