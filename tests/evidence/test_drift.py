"""Content drift and quotes: main text, similarity, a loopback site that changes between runs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from citeaudit.audit import check_documents, store_key
from citeaudit.check.cache import Cache
from citeaudit.check.drift import fetch_text
from citeaudit.evidence.drift import (
    DRIFTED,
    QUOTE_FOUND_ARCHIVED,
    QUOTE_FOUND_LIVE,
    QUOTE_MISSING,
    DriftOptions,
    contains_quote,
    evidence,
    main_text,
    quotes,
    similarity,
)

from ..check.servers import Reply, Seen, TestServer
from ..loopback_report import load, options, write_report

ARTICLE = (
    "The minister said on Monday that we will not retreat from the river, and that the "
    "army would hold every bridge along the eastern bank until the spring floods."
)
REWRITE = (
    "This page has been updated. Prices of bread and fuel rose sharply in the capital after "
    "the central bank changed its exchange rate policy last week."
)


def html(text: str) -> str:
    return (
        "<html><head><title>News</title><script>var tracking = 'we will not retreat';</script>"
        "<style>p{}</style></head><body><nav>Home Politics Economy</nav>"
        "<div class='site-header'>Breaking news banner</div>"
        f"<article><h1>Story</h1><p>{text}</p><div id='share-bar'>Share this</div></article>"
        "<footer>Copyright 2024 News Corp</footer></body></html>"
    )


def serve_others(server: TestServer) -> None:
    # Exact routes: any other path is a 404, so the soft-404 probe sees a real "not found".
    server.route("news.test", "/a", Reply(200, html(ARTICLE)))
    server.route("other.test", "/b", Reply(200, html(ARTICLE + " Other outlet.")))


def test_main_text_strips_scripts_navigation_and_boilerplate() -> None:
    text = main_text(html(ARTICLE))
    assert text == f"Story {ARTICLE}"
    for noise in ("tracking", "Home Politics", "banner", "Share this", "Copyright"):
        assert noise not in text


def test_wayback_toolbar_is_not_main_text() -> None:
    page = f"<body><div id='wm-ipp-base'>Wayback Machine toolbar</div><p>{ARTICLE}</p></body>"
    assert "Wayback" not in main_text(page)


def test_similarity_scores() -> None:
    assert similarity(ARTICLE, ARTICLE) == 1.0
    assert similarity(ARTICLE, REWRITE) < 0.05
    edited = ARTICLE.replace("spring floods", "summer")
    assert 0.7 < similarity(ARTICLE, edited) < 1.0


def test_quotes_in_claims() -> None:
    claim = 'He said "we will hold" and “not one step back from the river” but “no”.'
    assert quotes(claim) == ["we will hold", "not one step back from the river"]
    assert quotes(claim, min_words=4) == ["not one step back from the river"]
    assert quotes('An "unbalanced quote with no end') == []


def test_quote_search_ignores_case_punctuation_and_quote_styles() -> None:
    assert contains_quote("He said: “We will NOT retreat—from the river.”", "we will not retreat")
    assert not contains_quote("we will retreat from the river", "we will not retreat")
    assert not contains_quote("anything", "")


def test_evidence_annotations() -> None:
    phrase = ["we will not retreat from the river"]
    assert evidence(ARTICLE, ARTICLE, phrase, 0.5) == ((QUOTE_FOUND_LIVE,), 1.0)
    notes, score = evidence(REWRITE, ARTICLE, phrase, 0.5)
    assert notes == (DRIFTED, QUOTE_FOUND_ARCHIVED) and score is not None and score < 0.5
    assert evidence(REWRITE, None, phrase, 0.5) == ((QUOTE_MISSING,), None)
    assert evidence(None, None, [], 0.5) == ((), None)


def test_download_is_bounded(server: TestServer) -> None:
    big = "<p>" + "word " * 200_000 + "</p>"  # about 1 MB
    server.route("big.test", "/", Reply(200, big))

    async def go() -> str | None:
        transport = httpx.AsyncHTTPTransport()
        async with httpx.AsyncClient(transport=transport) as client:
            return await fetch_text(client, f"http://127.0.0.1:{server.port}/", max_bytes=10_000)

    server.default("127.0.0.1", Reply(200, big))
    text = asyncio.run(go())
    assert text is not None and 1_000 < len(text) <= 10_000


def test_drift_and_quotes_across_runs(server: TestServer, tmp_path: Path) -> None:
    """The live page changes between two runs; the capture near the document date does not."""
    live = {"text": ARTICLE}
    server.route("news.test", "/statement", lambda seen: Reply(200, html(live["text"])))
    serve_others(server)

    def wayback(seen: Seen) -> Reply:
        stamp, _, original = seen.path[len("/web/") :].partition("/")
        if stamp.endswith("id_"):  # the raw capture: the page as it was on the document date
            return Reply(200, html(ARTICLE))
        return Reply(302, "", {"Location": f"/web/20240301120000/{original}"})

    server.default("archive.test", wayback)
    catalog = load(write_report(tmp_path / "r.txt", server.port))
    statement = next(s.url for _, s in catalog.sources() if s.url.endswith("/statement"))
    story = next(s.url for _, s in catalog.sources() if s.url.endswith("/a"))
    opts = options(server, archive=True, drift=DriftOptions(threshold=0.5))

    with Cache(tmp_path / "s.sqlite3") as store:
        (first,) = check_documents([catalog], opts, cache=store)
    v = first.verdicts[statement]
    assert v.similarity == 1.0 and v.evidence == (QUOTE_FOUND_LIVE,)
    assert first.verdicts[story].evidence == () and first.verdicts[story].similarity == 1.0
    assert first.verdicts[next(u for u in first.verdicts if "gone.test" in u)].evidence == ()

    live["text"] = REWRITE
    with Cache(tmp_path / "s.sqlite3") as store:
        (second,) = check_documents([catalog], opts, cache=store)
        fingerprints = [p.fingerprint for p in store.history(store_key(statement))]
    v = second.verdicts[statement]
    assert v.status.is_live
    assert v.evidence == (DRIFTED, QUOTE_FOUND_ARCHIVED)
    assert v.similarity is not None and v.similarity < 0.1
    # the page's content fingerprint is kept with each probe: it changed between the runs
    assert len(fingerprints) == 2 and None not in fingerprints
    assert fingerprints[0] != fingerprints[1]
    # the raw capture (id_) was fetched, not the replay page with its toolbar
    assert any("id_/" in s.path for s in server.hits("archive.test"))

    # Without a capture of the quoting source, the missing quote is still reported.
    server.default("archive.test", Reply(404, "not archived"))
    with Cache(tmp_path / "fresh.sqlite3") as store:
        (third,) = check_documents([catalog], opts, cache=store)
    assert third.verdicts[statement].evidence == (QUOTE_MISSING,)
    assert third.verdicts[statement].similarity is None


def test_markdown_shows_the_annotations(server: TestServer, tmp_path: Path) -> None:
    from citeaudit.report import Format, render

    server.route("news.test", "/statement", Reply(200, html(REWRITE)))
    serve_others(server)
    server.default("archive.test", Reply(404, "not archived"))
    catalog = load(write_report(tmp_path / "r.txt", server.port))
    (result,) = check_documents([catalog], options(server, archive=True, drift=DriftOptions()))
    text = render([result], Format.MARKDOWN)
    folded = text.partition("<details><summary>Evidence over time (")[2]
    assert "quote_missing" in folded.partition("</details>")[0]
    for fmt in Format:  # every format still renders the new annotations
        assert render([result], fmt)


def test_capture_downloads_wait_for_the_archive_limiter(server: TestServer) -> None:
    """Each capture download takes a turn of the replay limiter; live pages do not."""
    from citeaudit.check.drift import annotate
    from citeaudit.models import ArchiveSnapshot, LinkStatus, Verdict

    server.default("127.0.0.1", Reply(200, html(ARTICLE)))
    base = f"http://127.0.0.1:{server.port}"
    capture = ArchiveSnapshot(
        True, url=f"{base}/web/20230801000000/{base}/x", days_from_document=-2
    )
    verdicts = {
        f"{base}/{name}": Verdict(f"{base}/{name}", LinkStatus.ALIVE, "200 OK", 200, archive=snap)
        for name, snap in (("x", capture), ("y", capture), ("no-capture", None))
    }
    turns: list[str] = []

    async def pace() -> None:
        turns.append("replay")

    async def go() -> dict[str, Verdict]:
        async with httpx.AsyncClient() as client:
            return await annotate(verdicts, [], DriftOptions(), client, pace=pace)

    annotated = asyncio.run(go())
    assert turns == ["replay", "replay"]  # two captures fetched, two turns taken
    assert annotated[f"{base}/x"].similarity == 1.0
    assert annotated[f"{base}/no-capture"].similarity is None


def test_a_quote_is_judged_over_all_the_sources_of_its_claim(
    server: TestServer, tmp_path: Path
) -> None:
    """Claim 1's quote is in one of its two sources; claim 2's is in neither."""
    from citeaudit.check.drift import annotate
    from citeaudit.models import LinkStatus, Verdict

    server.default("127.0.0.1", lambda seen: Reply(200, html(REWRITE)))
    server.route("127.0.0.1", "/holds", Reply(200, html(ARTICLE)))
    base = f"http://127.0.0.1:{server.port}"
    doc = tmp_path / "q.txt"
    doc.write_text(
        "Quotes\n\nThe minister said “we will not retreat from the river”.[1]\n\n"
        "Officials said “every bridge will be rebuilt soon”.[2]\n\nEndnotes\n\n"
        f"[1] {base}/holds ; {base}/other\n[2] {base}/third ; {base}/fourth\n",
        encoding="utf-8",
    )
    catalog = load(doc)
    urls = [s.url for _, s in catalog.sources()]
    verdicts = {u: Verdict(u, LinkStatus.ALIVE, "200 OK", 200) for u in urls}

    async def go() -> dict[str, Verdict]:
        async with httpx.AsyncClient() as client:
            return await annotate(verdicts, [catalog], DriftOptions(), client)

    got = {u.rsplit("/", 1)[1]: v.evidence for u, v in asyncio.run(go()).items()}
    assert got == {
        "holds": (QUOTE_FOUND_LIVE,),
        "other": (),  # the quote is not expected here: its claim's other source holds it
        "third": (QUOTE_MISSING,),
        "fourth": (QUOTE_MISSING,),
    }
