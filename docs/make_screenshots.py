"""Make the screenshots of the HTML report in docs/ (shown in the README).

The audit is the synthetic, deterministic 500-link one of benchmarks/bench_html.py (invented
outlets, a real run's mix of verdicts, archive copies, cached verdicts, failed lookups), rendered
by `citeaudit.report.html` exactly as `--format html` writes it, opened in headless Chromium
(Debian's /usr/bin/chromium, driven by Playwright; nothing is downloaded, no request leaves the
machine) at 1280 x 2000:

- docs/html-report.png: the top of the page: summary, charts, links that need attention;
- docs/html-report-claims.png: the claims, worst risk first, each with its sources inline.

    uv run python docs/make_screenshots.py [--links 500] [--out docs]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_html import synthetic_result  # noqa: E402

from citeaudit.report import html as html_report  # noqa: E402

WIDTH, HEIGHT = 1280, 2000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=500)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    if chromium is None:
        print("make_screenshots: error: chromium is not installed", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    markup = html_report.render(synthetic_result(args.links))
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_file = Path(tmp) / "report.html"
        page_file.write_text(markup, encoding="utf-8")
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND"],
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.route("http*://**", lambda route: route.abort())
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready]", state="attached")
        shots = {"html-report.png": None, "html-report-claims.png": "#h-claims"}
        for name, anchor in shots.items():
            if anchor:
                page.eval_on_selector(anchor, "e => window.scrollTo(0, e.offsetTop - 8)")
            target = args.out / name
            page.screenshot(path=str(target))
            print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
