"""Make the screenshots of the HTML report in docs/ (shown in the README) from a real run.

Nothing here is synthetic but the web: the loopback link farm (benchmarks/farm/farm.py) answers
on 127.0.0.2, 127.0.0.3, ... with live pages, 404s, 410s, permanent redirects, soft 404s, rate
limits, resets and pages too slow to wait for; its generator (benchmarks/farm/make_doc.py) writes
the 500-link document; `citeaudit check` probes every link and writes the report with
`-o html=...`, exactly as a user runs it. A small Wayback stand-in on 127.0.0.1 answers the
archive lookups (captures for most lost links, at dates around the document's, and a few
failed lookups), because the real Internet Archive is not on the loopback.

The farm's hosts get outlet names through `--resolve` (`HOST:PORT:127.0.0.x`, so no name is
looked up and nothing leaves the machine): news sites, a ministry under `.gov`, an army under
`.mil`, a state outlet named by the `outlet_kinds` setting, a URL shortener and a web archive
(archive.ph, whose pages count as archive copies), so the outlet charts have something to
say. The page is opened in headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright, every non-file request refused) at 1280 x 2000:

- docs/html-report.png: the top of the page: summary, charts, links that need attention;
- docs/html-report-claims.png: the claims, worst risk first, each with its sources inline.

    uv run python docs/make_screenshots.py [--links 500] [--out docs] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
FARM = ROOT / "benchmarks" / "farm"
WIDTH, HEIGHT = 1280, 2000
DOCUMENT_DATE = date(2024, 3, 1)
MIX = "ok=70,dead=8,gone=3,redir=6,soft404=4,ratelimit=3,slow=2,reset=4"
OUTLETS = (
    "dailyherald.example", "thecourier.example", "metrotimes.example", "eveningpost.example",
    "wirenews.example", "coastgazette.example", "valleyobserver.example", "capitalreview.example",
    "statenews.example", "health.gov.example", "army.mil", "bit.ly", "riverledger.example",
    "northernecho.example", "harbourdaily.example", "archive.ph",
)  # fmt: skip
"""One outlet per farm host, most URLs first (the hosts get a Zipf share of the links)."""
CONFIG = 'outlet_kinds = {"statenews.example" = "state_media"}\n'
"""The document's citeaudit.toml: the state outlet is named, as a user would name one."""


class _Wayback(http.server.BaseHTTPRequestHandler):
    """The replay API of a Wayback Machine, for the farm's URLs.

    A lookup of a lost kind of link (404, 410, soft 404, reset) finds a capture for two in
    three of them, at a date picked from the URL so that captures spread from a year before the
    document to a month after it; one lookup in twelve fails with a 503. Everything else was
    never captured (404).
    """

    _PATH = re.compile(r"/web/(\d{14})/(.+)")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the run's own output is what the script shows."""

    def do_GET(self) -> None:
        """Answer one replay request."""
        match = self._PATH.fullmatch(unquote(self.path))
        if match is None:
            return self._send(404)
        asked, url = match.groups()
        # Picked from the URL without its port, so every run of the script shows the same page.
        digest = int(
            hashlib.sha256(re.sub(r":\d+/", "/", url, count=1).encode()).hexdigest()[:8], 16
        )
        if not re.search(r"/(dead|gone|soft404|reset)/", url) or digest % 3 == 0:
            return self._send(404)
        if digest % 12 == 1:
            return self._send(503)
        offset = (-400, -120, -20, -3, 0, 2, 25)[digest % 7]
        captured = (DOCUMENT_DATE + timedelta(days=offset)).strftime("%Y%m%d") + "120000"
        if asked != captured:
            return self._send(302, {"Location": f"/web/{captured}/{url}"})
        when = f"{(DOCUMENT_DATE + timedelta(days=offset)).strftime('%a, %d %b %Y')} 12:00:00 GMT"
        return self._send(200, {"Memento-Datetime": when}, b"<title>archived</title>")

    def _send(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def wayback() -> Iterator[str]:
    """The Wayback stand-in on 127.0.0.1, on a free port; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Wayback)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def farm(folder: Path) -> Iterator[int]:
    """The link farm, one host per outlet, on a free port; yields the port once it listens."""
    ready = folder / "farm.ready"
    proc = subprocess.Popen(
        [sys.executable, str(FARM / "farm.py"), "--hosts", str(len(OUTLETS)), "--port", "0",
         "--latency", "20", "--slow-delay", "10", "--ready-file", str(ready),
         "--max-runtime", "900"],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        # The farm prints its banner once every address listens: wait for that line, not a time.
        banner = proc.stderr.readline() if proc.stderr else ""
        if not banner.startswith("farm: pid") or not ready.exists():
            raise SystemExit(f"make_screenshots: the farm did not start: {banner.strip()}")
        yield json.loads(ready.read_text())["port"]
    finally:
        proc.terminate()
        proc.wait(30)


def write_document(folder: Path, links: int, port: int) -> tuple[Path, list[str]]:
    """The generator's document, its farm addresses named, dated; and the --resolve options."""
    subprocess.run(
        [sys.executable, str(FARM / "make_doc.py"), "--n", str(links), "--hosts",
         str(len(OUTLETS)), "--port", str(port), "--mix", MIX, "--host-dist", "zipf:0.8",
         "--out-dir", str(folder)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    text = (folder / "doc.txt").read_text(encoding="utf-8")
    resolve = []
    for i, host in enumerate(OUTLETS):
        address = f"127.0.0.{2 + i}"
        text = text.replace(f"http://{address}:{port}/", f"http://{host}:{port}/")
        resolve += ["--resolve", f"{host}:{port}:{address}"]
    title, rest = text.split("\n", 1)
    doc = folder / "farm-report.txt"
    doc.write_text(
        f"{title}\n\n{DOCUMENT_DATE:%B} {DOCUMENT_DATE.day}, {DOCUMENT_DATE.year}\n{rest}"
    )
    (folder / "citeaudit.toml").write_text(CONFIG, encoding="utf-8")
    return doc, resolve


def run_check(doc: Path, resolve: list[str], archive: str, html: Path) -> int:
    """`citeaudit check` on the document, as a user runs it; returns its exit status."""
    command = [
        sys.executable, "-m", "citeaudit", "check", doc.name, *resolve, "--allow-private",
        "--canary", "localhost", "--cache", "cache.sqlite", "--wayback-endpoint", archive,
        "--timeout", "2", "--retries", "1",
        "-o", f"html={html}", "-o", f"json={html.with_suffix('.json')}",
    ]  # fmt: skip
    print("$ citeaudit check", doc.name, "--resolve ... --allow-private -o html=...", flush=True)
    # Run in the document's folder, so the report names it as a user's run would.
    return subprocess.run(command, check=False, cwd=doc.parent).returncode


def screenshot(html: Path, out: Path, chromium: str) -> list[Path]:
    """The two screenshots of the page, each 1280 x 2000."""
    shots = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND"],
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.route("http*://**", lambda route: route.abort())
        page.goto(html.as_uri())
        page.wait_for_selector("body[data-ready]", state="attached")
        for name, anchor in {
            "html-report.png": None,
            "html-report-claims.png": "#h-claims",
        }.items():
            if anchor:
                page.eval_on_selector(anchor, "e => window.scrollTo(0, e.offsetTop - 8)")
            page.screenshot(path=str(out / name))
            shots.append(out / name)
        browser.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    """Run the farm, check a document on it, and shoot the HTML report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=500)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--keep", type=Path, help="keep the document and reports in this folder")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    if chromium is None:
        print("make_screenshots: error: chromium is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        html = folder / "farm-report.html"
        with farm(folder) as port, wayback() as archive:
            doc, resolve = write_document(folder, args.links, port)
            status = run_check(doc, resolve, archive, html)
        if status not in (0, 1):  # 1: findings, which a farm run is made to have
            print(f"make_screenshots: error: citeaudit check exited {status}", file=sys.stderr)
            return status
        for shot in screenshot(html, args.out, chromium):
            print(shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
