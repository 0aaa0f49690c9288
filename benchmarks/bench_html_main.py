"""Main-content selection for HTML inline citations: citeaudit's reader against trafilatura and
readability-lxml, by precision and recall of the sources found on each page.

Run it by hand (it is never collected by pytest):

    uv run --with 'trafilatura>=1.12' --with 'readability-lxml>=0.8' \\
        python benchmarks/bench_html_main.py

The pages are the fixtures in tests/fixtures/html/inline-gold.json (a news article with nav,
share, related and comment blocks, a Wikipedia-like page, a blog post with tag and author links,
a page saved from a browser, pandoc output, Chromium's serialized DOM); the gold list of each is
the sources a reader would count. For the libraries a source is a web link they keep in the main
content (protocol-relative links get https); a library that is not installed is left out.
The fixtures were written beside citeaudit's rules, so its column is an upper bound: the table
shows which sources each library drops and which chrome it keeps. The pages of
heldout-gold.json (marked *) were written after the rules and not tuned for: they are the
honest estimate.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from citeaudit.catalog import build_catalog
from citeaudit.parse.html import read_html

HTML = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "html"
Extractor = Callable[[bytes, str], set[str]]


def _web(hrefs: list[str]) -> set[str]:
    out = set()
    for href in hrefs:
        href = href.strip()
        href = "https:" + href if href.startswith("//") else href
        if href.lower().startswith(("http://", "https://")):
            out.add(href)
    return out


def citeaudit_sources(data: bytes, name: str) -> set[str]:
    """Every source of the catalog (inline and notes)."""
    raw = read_html(data, name)
    return {s.url for n in build_catalog(raw, name).notes for s in n.sources}


def trafilatura_sources(data: bytes, name: str) -> set[str]:
    """Links trafilatura keeps in its XML output (links on, comments off)."""
    import trafilatura

    xml = trafilatura.extract(
        data.decode("utf-8"),
        output_format="xml",
        include_links=True,
        include_comments=False,
        include_tables=True,
    )
    if not xml:
        return set()
    soup = BeautifulSoup(xml, "html.parser")
    return _web([str(ref.get("target") or "") for ref in soup.find_all("ref")])


def readability_sources(data: bytes, name: str) -> set[str]:
    """Links in readability-lxml's summary HTML."""
    from readability import Document

    summary = Document(data.decode("utf-8")).summary(html_partial=True)
    soup = BeautifulSoup(summary, "html.parser")
    return _web([str(a.get("href") or "") for a in soup.find_all("a", href=True)])


def _extractors() -> dict[str, Extractor]:
    found: dict[str, Extractor] = {"citeaudit": citeaudit_sources}
    try:
        import trafilatura  # noqa: F401

        found["trafilatura"] = trafilatura_sources
    except ImportError:
        print("trafilatura not installed: left out")
    try:
        import readability  # noqa: F401

        found["readability-lxml"] = readability_sources
    except ImportError:
        print("readability-lxml not installed: left out")
    return found


def _score(found: set[str], gold: set[str]) -> tuple[int, int, int]:
    hits = len(found & gold)
    return hits, len(found), len(gold)


def main() -> None:
    """Print per-page and total precision/recall for each extractor, side by side."""
    gold = json.loads((HTML / "inline-gold.json").read_text(encoding="utf-8"))
    heldout = json.loads((HTML / "heldout-gold.json").read_text(encoding="utf-8"))
    gold.update({f"*{name}": urls for name, urls in heldout.items()})
    extractors = _extractors()
    totals = {name: [0, 0, 0, 0.0] for name in extractors}
    header = f"{'page':24}" + "".join(f"{name:>26}" for name in extractors)
    print(header)
    print(f"{'':24}" + "".join(f"{'P / R':>26}" for _ in extractors))
    for page, urls in sorted(gold.items()):
        data = (HTML / page.lstrip("*")).read_bytes()
        row = f"{page:24}"
        for name, extract in extractors.items():
            start = time.perf_counter()
            found = extract(data, page)
            totals[name][3] += time.perf_counter() - start
            hits, n_found, n_gold = _score(found, set(urls))
            for i, v in enumerate((hits, n_found, n_gold)):
                totals[name][i] += v
            p = hits / n_found if n_found else 1.0
            r = hits / n_gold if n_gold else 1.0
            row += f"{f'{p:.2f} / {r:.2f} ({hits}/{n_found}/{n_gold})':>26}"
        print(row)
    row = f"{'TOTAL':24}"
    for hits, n_found, n_gold, _ in totals.values():
        p = hits / n_found if n_found else 1.0
        r = hits / n_gold if n_gold else 1.0
        row += f"{f'{p:.2f} / {r:.2f} ({hits}/{n_found}/{n_gold})':>26}"
    print(row)
    print(f"{'ms (all pages)':24}" + "".join(f"{t[3] * 1000:>26.1f}" for t in totals.values()))
    print("(hits/found/gold per cell; P = precision, R = recall)")


if __name__ == "__main__":
    main()
