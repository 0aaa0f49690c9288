"""Which requests a URL gets: HEAD or GET first, GET after a bad HEAD, files confirmed."""

from __future__ import annotations

import asyncio

from citeaudit.models import LinkStatus

from ...hardening.rawserver import RawServer, Request, head_bytes
from ..servers import CLOSE, Reply, TestServer, by_method, page, run


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
