"""How fast the HTML report renders and opens at 500 and 5,000 links.

The audit is synthetic and deterministic (`synthetic_result`): invented outlets with a long
tail, notes of one to three links, claims citing one or two notes, the verdict mix of a real
run (mostly live, some dead with and without archive copies, social posts blocked, some cached
verdicts, failed archive lookups, permanent redirects, a few typos). It is scored by
`citeaudit.judge.score.build_result`, as a check run would be. Nothing touches the network.

Printed side by side, per size: building the view model, rendering the page, the JSON report of
the same audit (the reference: the HTML should cost a small multiple of it), page size, and, in
headless Chromium (Debian's /usr/bin/chromium through Playwright, no download), the time until
the page's script has set up every list (`data-ready`) and until `load`, and the time of a
page turn, a sort and a filter keystroke through the page's own controls.

    uv run python benchmarks/bench_html.py [--sizes 500,5000] [--repeat 3] [--no-browser]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from citeaudit.judge.score import build_result
from citeaudit.models import (
    ArchiveSnapshot,
    AuditResult,
    Catalog,
    Claim,
    Document,
    Finding,
    FindingKind,
    Hop,
    LinkStatus,
    Note,
    RunFacts,
    Source,
    Span,
    Verdict,
)
from citeaudit.report import html as html_report
from citeaudit.report import json as json_report
from citeaudit.report.html_view import page_view

DOCUMENT_DATE = date(2023, 8, 3)
CHECKED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

# Invented outlets: news sites, government and state media, and platform accounts.
OUTLETS = (
    "levant-monitor.example", "northgate-times.example", "riverdesk-news.example",
    "defense-brief.example", "statewire.example", "ministry.gov.example", "x.com/osint_desk",
    "t.me/frontline_channel", "gulf-ledger.example", "euphrates-post.example",
    "conflict-tracker.example", "x.com/field_reporter", "relief-watch.example",
    "capital-herald.example", "energy-wire.example", "centcom-press.mil.example",
    "daily-dispatch.example", "youtube.com/eastdesk", "borderline-report.example",
    "analysis-hub.example",
)  # fmt: skip
KINDS = {"statewire.example": "state_media"}
SUBJECTS = (
    "Local officials", "Regime forces", "A UN monitoring team", "Residents of the district",
    "The interior ministry", "Opposition fighters", "Aid workers", "Russian aircraft",
    "Tribal leaders", "Satellite imagery",
)  # fmt: skip
SLUG_WORDS = (
    "syria", "strike", "convoy", "talks", "aid", "border", "fuel", "river", "report",
    "officials", "update", "ceasefire",
)  # fmt: skip
VERBS = ("reported", "denied", "confirmed", "described", "documented", "disputed")
OBJECTS = (
    "shelling near the river crossing", "a convoy moving toward the border",
    "new checkpoints on the main highway", "strikes on a fuel depot",
    "the arrest of two journalists", "a ceasefire in the southern villages",
    "fuel shortages in the city", "the withdrawal of advisers from the airbase",
)  # fmt: skip
REASONS = {
    LinkStatus.ALIVE: ("200 OK", 200),
    LinkStatus.REDIRECTED: ("200 OK after 1 redirect", 200),
    LinkStatus.DEAD: ("404 Not Found", 404),
    LinkStatus.SOFT_DEAD: ("page says 'not found'", 200),
    LinkStatus.BLOCKED: ("bot wall (403)", 403),
    LinkStatus.ERROR: ("timeout after 15 s", None),
    LinkStatus.INVALID: ("truncated URL", None),
    LinkStatus.SKIPPED: ("excluded by .citeauditignore", None),
}
MIX = (
    (LinkStatus.ALIVE, 68), (LinkStatus.REDIRECTED, 9), (LinkStatus.DEAD, 9),
    (LinkStatus.SOFT_DEAD, 3), (LinkStatus.BLOCKED, 5), (LinkStatus.ERROR, 4),
    (LinkStatus.INVALID, 1), (LinkStatus.SKIPPED, 1),
)  # fmt: skip


def _url(rng: random.Random, outlet: str, i: int) -> str:
    if "/" in outlet:
        platform, account = outlet.split("/", 1)
        return f"https://{platform}/{account}/status/{1680000000000000000 + i}"
    section = rng.choice(("world", "middle-east", "politics", "security", "analysis"))
    slug = "-".join(rng.sample(SLUG_WORDS, 4))
    day = f"2023/{rng.randint(6, 8):02d}/{rng.randint(1, 28):02d}"
    return f"https://www.{outlet}/{section}/{day}/{slug}-{i}"


def _verdict(rng: random.Random, url: str, outlet: str) -> Verdict:
    if "/" in outlet and outlet.startswith("x.com") and rng.random() < 0.7:
        status = LinkStatus.BLOCKED
    else:
        status = rng.choices([s for s, _ in MIX], [w for _, w in MIX])[0]
    reason, http = REASONS[status]
    cached = rng.random() < 0.3
    checked = CHECKED - timedelta(hours=rng.randint(1, 70)) if cached else CHECKED
    archive = None
    if status.is_lost:
        roll = rng.random()
        if roll < 0.6:
            days = int(rng.gauss(-4, 60))
            when = DOCUMENT_DATE + timedelta(days)
            archive = ArchiveSnapshot(
                available=True,
                url=f"https://web.archive.org/web/{when:%Y%m%d}000000/{url}",
                timestamp=datetime(when.year, when.month, when.day, tzinfo=UTC),
                archive="wayback",
                days_from_document=days,
            )
        elif roll < 0.9:
            archive = ArchiveSnapshot.none("no capture found")
        else:
            archive = ArchiveSnapshot(False, reason="rate limited (429)")
    redirects: tuple[Hop, ...] = ()
    final = None
    if status is LinkStatus.REDIRECTED:
        final = url.replace("https://www.", "https://") + "/"
        redirects = (Hop(url, 301 if rng.random() < 0.5 else 302),)
    return Verdict(
        url=url,
        status=status,
        reason=reason,
        http_status=http,
        final_url=final,
        redirects=redirects,
        title=None if status.is_lost else f"{outlet.split('.')[0].title()}: news",
        checked_at=checked,
        elapsed_ms=rng.randint(40, 900),
        from_cache=cached,
        archive=archive,
    )


def synthetic_result(links: int, seed: int = 7) -> AuditResult:
    """A scored audit of a document citing `links` distinct URLs (deterministic for a seed)."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(len(OUTLETS))]
    urls: list[tuple[str, str]] = []
    for i in range(links):
        # Past the named outlets, a long tail of one-off sites, as in real reports.
        named = rng.random() < 0.8
        outlet = rng.choices(OUTLETS, weights)[0] if named else f"site{i % 700}.example"
        urls.append((_url(rng, outlet, i), outlet))
    notes: list[Note] = []
    line = 2 * links
    cursor = 0
    while cursor < len(urls):
        take = rng.choices((1, 2, 3), (45, 35, 20))[0]
        picked = urls[cursor : cursor + take]
        cursor += take
        if notes and rng.random() < 0.15:  # a URL cited again in a later note
            picked.append(rng.choice(urls[:cursor]))
        line += 1
        sources = tuple(
            Source(u, u, o, span=Span(line, 5), key=u) for u, o in dict.fromkeys(picked)
        )
        notes.append(Note(len(notes) + 1, line, f"Note {len(notes) + 1}.", sources))
    claims = []
    number = 1
    while number <= len(notes):
        cites = tuple(range(number, min(number + rng.choice((1, 1, 1, 2, 2)), len(notes) + 1)))
        number = cites[-1] + 1
        text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
        claims.append(Claim(len(claims) + 1, 3 + 2 * len(claims), text, cites))
    if claims:  # one claim cites nothing checkable: an interview
        notes.append(Note(len(notes) + 1, line + 1, "Interview with an official, 2 August 2023."))
        last = (len(notes),)
        claims.append(Claim(len(claims) + 1, 3 + 2 * len(claims), "An official said so.", last))
    verdicts = {u: _verdict(rng, u, o) for u, o in dict.fromkeys(urls)}
    typo = [u for u, o in urls if o == "levant-monitor.example"][:1]
    findings = tuple(
        Finding(
            FindingKind.POSSIBLE_TYPO,
            "one outlet's domain may be spelled 2 ways",
            notes=(1, 2),
            urls=(u, u.replace("levant-monitor", "levant-moniter")),
            confidence="medium",
        )
        for u in typo
    )
    catalog = Catalog(Document("reports/syria-weekly.md", "Syria weekly update", DOCUMENT_DATE),
                      tuple(notes), tuple(claims), findings)  # fmt: skip
    result = build_result(
        catalog,
        verdicts,
        generated_at=CHECKED,
        ignored=1,
        outlet_kinds=KINDS,
        hints=('x.com answered 403 to most posts: consider `accept = {"x.com" = [403]}`',),
    )
    cached = sum(1 for v in verdicts.values() if v.from_cache)
    failed = sum(1 for v in verdicts.values() if v.archive and v.archive.failed)
    run = RunFacts(len(verdicts), cached, len(verdicts) - cached, 41.3, None, "wayback", failed)
    return dataclasses.replace(result, run=run)


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


_INTERACTIONS = {
    # Each goes through the page's own controls; the script redraws synchronously, and reading
    # offsetHeight forces the layout, so the time around it is the time until the rows show.
    "page": """() => { const b = document.querySelector('#sources').closest('.list')
        .querySelector('.pager [data-go=next]');
        const t = performance.now(); b.click(); document.body.offsetHeight;
        return performance.now() - t; }""",
    "sort": """() => { const b = document.querySelector('#sources th[data-key=url] button');
        const t = performance.now(); b.click(); document.body.offsetHeight;
        return performance.now() - t; }""",
    "filter": """() => { const box = document.querySelector('#sources-q');
        const t = performance.now(); box.value = 'dead'; box.dispatchEvent(new Event('input'));
        document.body.offsetHeight; return performance.now() - t; }""",
}


def _browser(markup: str, tmp: Path, repeat: int) -> dict[str, float]:
    """Median milliseconds to data-ready and to load, and of a page turn, a sort and a filter."""
    from playwright.sync_api import sync_playwright

    page_file = tmp / "report.html"
    page_file.write_text(markup, encoding="utf-8")
    runs: dict[str, list[float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND"],
        )
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1280, "height": 2000})
            page.route("http*://**", lambda route: route.abort())
            page.goto(page_file.as_uri())
            page.wait_for_selector("body[data-ready]")
            page.wait_for_load_state("load")
            timing = "performance.getEntriesByType('navigation')[0].loadEventEnd"
            runs.setdefault("ready", []).append(float(page.get_attribute("body", "data-ready-ms")))
            runs.setdefault("load", []).append(float(page.evaluate(timing)))
            for name, script in _INTERACTIONS.items():
                runs.setdefault(name, []).append(float(page.evaluate(script)))
            page.close()
        browser.close()
    return {name: statistics.median(values) for name, values in runs.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    browser = not args.no_browser and shutil.which("chromium") is not None
    head = (
        f"{'links':>6} {'claims':>6} {'view ms':>8} {'html ms':>8} {'json ms':>8} "
        f"{'html/json':>9} {'size MB':>8}"
    )
    if browser:
        head += f" {'ready ms':>9} {'load ms':>8} {'page ms':>8} {'sort ms':>8} {'filter ms':>9}"
    print(head)
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            result = synthetic_result(n)
            markup = html_report.render(result)  # warm: templates compiled, assets read
            view = _best(lambda r=result: page_view([r]), args.repeat)
            html = _best(lambda r=result: html_report.render(r), args.repeat)
            js = _best(lambda r=result: json_report.render([r]), args.repeat)
            size = len(markup.encode("utf-8")) / 1e6
            line = (
                f"{n:>6} {len(result.claims):>6} {view * 1e3:>8.0f} {html * 1e3:>8.0f} "
                f"{js * 1e3:>8.0f} {html / js:>9.1f} {size:>8.2f}"
            )
            if browser:
                b = _browser(markup, Path(tmp), args.repeat)
                line += (
                    f" {b['ready']:>9.0f} {b['load']:>8.0f} {b['page']:>8.1f}"
                    f" {b['sort']:>8.1f} {b['filter']:>9.1f}"
                )
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
