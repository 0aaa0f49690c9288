"""`--include-fragments` reads each page once: the probe keeps the anchors of the pages it reads."""

from __future__ import annotations

from pathlib import Path

from citeaudit.audit import run
from citeaudit.audit.request import CheckRequest
from citeaudit.check.anchors import Page
from citeaudit.check.pages import PageKeeper
from citeaudit.models import LinkStatus

from .servers import Reply, TestServer

HOSTS = ("news.test", "other.test")


def _check(server: TestServer, tmp_path: Path, cited: list[str], **options: object) -> dict:
    doc = tmp_path / "r.md"
    doc.write_text(
        "A Report\n\nMarch 1, 2024\n\nPrices rose.[1]\n\nEndnotes\n\n[1] "
        + " ; ".join(cited)
        + "\n",
        encoding="utf-8",
    )
    request = CheckRequest(
        files=(str(doc),),
        resolve=tuple(f"{h}:{server.port}:127.0.0.1" for h in HOSTS),
        canaries=("localhost",),
        no_archive=True,
        retries=0,
        include_fragments=True,
        **options,  # type: ignore[arg-type]
    )
    verdicts = run(request).results[0].verdicts
    return {u: verdicts[u].status for u in cited}


def _gets(server: TestServer, host: str, path: str) -> int:
    return sum(1 for s in server.hits(host, path) if s.method == "GET")


def test_a_page_the_probe_read_is_not_fetched_again(server: TestServer, tmp_path: Path) -> None:
    html = '<html><title>P</title><h2 id="method">Method</h2><p>Prices rose</p></html>'
    server.route("news.test", "/page", Reply(200, html))
    server.route(
        "other.test", "/README.md", Reply(200, "# T\n\n## Setup\n", content_type="text/plain")
    )
    page = server.url("news.test", "/page")
    readme = server.url("other.test", "/README.md")
    cited = [
        f"{page}#method",
        f"{page}#gone",
        f"{page}#:~:text=prices%20rose",
        f"{page}#:~:text=prices%20fell",
        f"{readme}#setup",
        f"{readme}#install",
    ]
    status = _check(server, tmp_path, cited, no_cache=True)
    alive, missing = LinkStatus.ALIVE, LinkStatus.FRAGMENT_MISSING
    assert list(status.values()) == [alive, missing, alive, missing, alive, missing]
    assert _gets(server, "news.test", "/page") == 1
    assert _gets(server, "other.test", "/README.md") == 1


def test_pages_the_probe_did_not_read_are_fetched_once(server: TestServer, tmp_path: Path) -> None:
    # past max_body (256 KiB) the probe stopped reading; a Markdown type it never reads whole
    long = "<html><title>Long</title>" + "<p>filler</p>" * 30_000 + '<h2 id="end">E</h2></html>'
    server.route("news.test", "/long", Reply(200, long))
    server.route("news.test", "/notes", Reply(200, "# Notes\n", content_type="text/markdown"))
    cited = [
        server.url("news.test", "/long#end"),
        server.url("news.test", "/long#nowhere"),
        server.url("news.test", "/notes#notes"),
        server.url("news.test", "/notes#missing"),
    ]
    status = _check(server, tmp_path, cited, no_cache=True)
    alive, missing = LinkStatus.ALIVE, LinkStatus.FRAGMENT_MISSING
    assert list(status.values()) == [alive, missing, alive, missing]  # both pages were read
    assert _gets(server, "news.test", "/long") == 2  # the probe's, then the whole page
    notes = [s for s in server.hits("news.test", "/notes") if s.method == "GET"]
    assert [s for s in notes if "range" not in s.headers]  # one read of the whole file


def test_a_cached_verdict_leaves_the_page_to_be_fetched(server: TestServer, tmp_path: Path) -> None:
    server.route("news.test", "/page", Reply(200, '<h2 id="a">A</h2>'))
    cited = [server.url("news.test", "/page#a"), server.url("news.test", "/page#b")]
    cache = str(tmp_path / "cache.db")
    first = _check(server, tmp_path, cited, cache_path=cache)
    assert _gets(server, "news.test", "/page") == 1
    second = _check(server, tmp_path, cited, cache_path=cache)
    assert first == second == {cited[0]: LinkStatus.ALIVE, cited[1]: LinkStatus.FRAGMENT_MISSING}
    assert _gets(server, "news.test", "/page") == 2  # no probe this time: one fetch for the anchors


def _keeper_with(body: str, *, whole: bool) -> PageKeeper:
    keeper = PageKeeper.for_targets(["https://a.example/p#x", "https://b.example/q"])
    keeper.keep("https://a.example/p", "https://a.example/p", {}, body.encode(), whole)
    keeper.keep("https://b.example/q", "https://b.example/q", {}, body.encode(), whole)
    return keeper


def test_a_cut_off_page_settles_only_the_anchors_it_shows() -> None:
    cited = {"https://a.example/p#x": "https://a.example/p"}
    targets = {u: u for u in cited}
    found = _keeper_with('<p id="x">x</p>', whole=False)
    assert found.usable(cited, targets) == {"https://a.example/p": Page(frozenset({"x"}), "")}
    assert _keeper_with('<p id="y">y</p>', whole=False).usable(cited, targets) == {}
    assert _keeper_with('<p id="y">y</p>', whole=True).usable(cited, targets) != {}
    # only pages cited with a fragment are kept, and their text only for a text fragment
    assert set(found.kept) == {"https://a.example/p"}


def test_the_text_is_kept_only_where_a_text_fragment_is_cited() -> None:
    keeper = PageKeeper.for_targets(["https://a.example/p#:~:text=rose"])
    keeper.keep("https://a.example/p", "https://a.example/p", {}, b"<p>Prices rose</p>", True)
    assert keeper.kept["https://a.example/p"].page.text == "Prices rose"
