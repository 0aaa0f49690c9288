"""A small report whose outlets a loopback server plays: dead, moved, mistyped, truncated.

`serve(server)` routes every test host; `write(path, port, ...)` writes the report in text or
Markdown, with any line ending and an optional byte-order mark. Used by the round-trip tests.
"""

from __future__ import annotations

from pathlib import Path

from citeaudit.check.archive import ArchiveOptions
from citeaudit.judge.score import source_state
from citeaudit.models import AuditResult, LinkStatus, SourceState, Verdict

from ..check.servers import Reply, Seen, TestServer, fast_options, page

HOSTS = ("news.test", "gone.test", "moved.test", "temp.test", "archive.test")
CAPTURE_TIME = "20240229093000"
LIVE_PATHS = frozenset(
    {
        "/new",
        "/wages-report-for-march",
        "/fuel/prices-rose-in-april",
        "/ok",
        "/elsewhere",
    }
)


def serve(server: TestServer) -> None:
    """Route the report's hosts: news.test lives, gone.test is gone (archived), and so on."""

    def news(seen: Seen) -> Reply:
        if seen.path in LIVE_PATHS:
            return Reply(200, page(f"News {seen.path}", "A story with enough words to read."))
        return Reply(404, page("Not Found"))

    def archive(seen: Seen) -> Reply:
        # Only gone.test was archived, the day before the report: the replay of any other
        # instant redirects to that capture, as the Wayback Machine does.
        parts = seen.path.split("/", 3)  # "", "web", timestamp, original URL
        if len(parts) < 4 or parts[1] != "web" or not parts[3].startswith("http://gone.test"):
            return Reply(404, page("Not Found"))
        if parts[2] != CAPTURE_TIME:
            return Reply(302, b"", headers={"Location": f"/web/{CAPTURE_TIME}/{parts[3]}"})
        return Reply(200, page("Prices (archived)", "What the page said in February."))

    server.default("news.test", news)
    server.default("gone.test", Reply(404, page("Not Found")))
    server.route(
        "moved.test",
        "/old",
        Reply(301, b"", headers={"Location": server.url("news.test", "/new")}),
    )
    server.route(
        "temp.test",
        "/x",
        Reply(302, b"", headers={"Location": server.url("news.test", "/elsewhere")}),
    )
    server.default("archive.test", archive)


def write(path: Path, port: int, *, newline: str = "\n", bom: bool = False) -> Path:
    """The report, its body with non-ASCII text, its notes with every kind of fixable link."""
    base = {h: f"http://{h}:{port}" for h in HOSTS}
    lines = [
        "# Café prices — a test report",
        "",
        "March 1, 2024",
        "",
        "Prices rose in the café.[1] Rents rose.[2] Wages fell.[3] Fuel rose.[4] "
        "Fuel rose again.[5] One more.[6] Temporary.[7]",
        "",
        "Endnotes",
        "",
        f"[1] Le café, <{base['gone.test']}/prices>; see also ibid.",
        f"[2] {base['moved.test']}/old and again {base['moved.test']}/old.",
        f"[3] Wages: {base['news.test']}/wages-reprt-for-march",
        f"[4] Fuel: {base['news.test']}/fuel/prices-rose-in-...",
        f"[5] {base['news.test']}/fuel/prices-rose-in-april",
        f"[6] {base['news.test']}/wages-report-for-march and {base['news.test']}/ok",
        f"[7] {base['temp.test']}/x",
    ]
    data = newline.join(lines) + newline
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    return path


def archive_options(server: TestServer) -> ArchiveOptions:
    """The Wayback Machine, played by archive.test."""
    return ArchiveOptions(
        wayback_endpoint=server.url("archive.test", ""), confirm_with_cdx=False, timeout=2.0
    )


def check_options(server: TestServer) -> object:
    """Audit options reaching every test host on the loopback server and nothing else."""
    from datetime import timedelta

    from citeaudit.audit import AuditOptions

    check = fast_options(
        resolve=server.resolve(*HOSTS),
        canary_hosts=(),
        max_age_alive=timedelta(0),
        max_age_other=timedelta(0),
    )
    return AuditOptions(check=check, archive=archive_options(server))


def lost(result: AuditResult) -> list[str]:
    """URLs of the result that are lost (dead, no capture)."""
    return sorted(url for url, v in result.verdicts.items() if source_state(v) is SourceState.LOST)


def permanent_redirects(result: AuditResult) -> list[str]:
    """URLs whose every redirect hop is permanent: links still to update."""
    return sorted(url for url, v in result.verdicts.items() if _moved_for_good(v))


def _moved_for_good(verdict: Verdict) -> bool:
    return (
        verdict.status is LinkStatus.REDIRECTED
        and bool(verdict.redirects)
        and all(h.status in (301, 308) for h in verdict.redirects)
    )


def write_html(path: Path, port: int, *, encoding: str = "utf-8") -> Path:
    """The same report as an HTML page: links in its notes, one showing another URL."""
    base = {h: f"http://{h}:{port}" for h in HOSTS}
    news, gone, moved = base["news.test"], base["gone.test"], base["moved.test"]
    page = (
        f'<!doctype html>\n<html><head><meta charset="{encoding}"><title>Café prices</title>'
        "</head>\n<body>\n<h1>Café prices</h1>\n<p>March 1, 2024</p>\n"
        "<p>Prices rose in the café.[1] Rents rose.[2] Wages fell.[3] One more.[4]</p>\n"
        "<h2>Endnotes</h2>\n"
        f'<p>[1] Le café, <a class="x" href="{gone}/prices">the prices page</a>; ibid.</p>\n'
        f"<p>[2] <a href='{moved}/old'>{moved}/old</a> and "
        f'<a href="{moved}/old?a=1&amp;b=2">moved with a query</a></p>\n'
        f'<p>[3] Wages: <a href="{news}/ok">{news}/wages-reprt-for-march</a></p>\n'
        f'<p>[4] <a href="{news}/wages-report-for-march"><b>bold</b> report</a></p>\n'
        "</body></html>\n"
    )
    path.write_bytes(page.encode(encoding))
    return path


def docx(port: int) -> bytes:
    """The report as a Word file with real footnotes whose hyperlinks reach the test hosts."""
    import importlib.util

    # fixtures/ is not a package: load its generator by path, as the parser tests do
    spec = importlib.util.spec_from_file_location(
        "make_small", Path(__file__).resolve().parents[1] / "fixtures" / "make_small.py"
    )
    assert spec is not None and spec.loader is not None
    make_small = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_small)
    docx_bytes = make_small.docx_bytes

    base = {h: f"http://{h}:{port}" for h in HOSTS}
    news, gone, moved = base["news.test"], base["gone.test"], base["moved.test"]
    body = [
        ["Café prices"],
        ["March 1, 2024"],
        [
            "Prices rose in the café.",
            ("footnote", "1"),
            " Rents rose.",
            ("footnote", "2"),
            " Wages fell.",
            ("footnote", "3"),
            " As ",
            ("link", "the moved page", f"{moved}/old"),
            " says.",
        ],
    ]
    footnotes = {
        "1": [["Le café, ", ("link", "the prices page", f"{gone}/prices"), "; ibid."]],
        "2": [[("link", f"{moved}/old", f"{moved}/old")]],
        "3": [
            [
                ("link", "wages", f"{news}/wages-reprt-for-march"),
                " and ",
                ("link", "the right one", f"{news}/wages-report-for-march"),
            ]
        ],
    }
    # Footnotes rather than endnotes: LibreOffice's PDF export keeps the links of footnotes only.
    return docx_bytes(body, footnotes=footnotes)
