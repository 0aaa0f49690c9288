"""Render an audit as one self-contained HTML file a writer can open, share or attach to a ticket.

Why one file: reports travel by e-mail and CI artifacts, and are opened offline. So nothing is
fetched: the CSS and the script are inline, the charts are inline SVG, and a Content-Security-Policy
forbids every network load (`default-src 'none'`); the script is allowed by its SHA-256 hash, so
even markup that slipped past escaping could not run script.

Everything that comes from pages or documents (titles, claim text, URLs, reasons, outlet names) is
untrusted: it passes through `inert` (control and bidi characters dropped) and `html.escape`, and a
URL becomes a link only when it is plain http(s). The script never reads untrusted text as markup;
it only reorders and hides rows, and reads its initial view from the URL fragment
(`#sort=score&dir=desc&risk=unsupported&q=text`) so a view can be shared.

This module renders, it does not score: claim and outlet figures come from `result.claims` and
`result.outlets` (see `citeaudit.score`).
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections import Counter
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from citeaudit import __version__
from citeaudit.models import (
    AuditResult,
    ClaimScore,
    LinkStatus,
    OutletScore,
    Risk,
    Source,
    SourceState,
    Verdict,
)
from citeaudit.report.common import archive_asked, cached_text, score_text
from citeaudit.report.text import inert
from citeaudit.score import source_state

TOP_OUTLETS = 12
"""How many outlets the outlet chart shows (the table below it lists them all)."""

_UNCHECKED = "unchecked"
_SEP = " \u00b7 "
_LEGEND = "".join(
    f'<span class="key"><i style="background:{color}"></i>{name}</span>'
    for name, color in (("live", "#2e7d32"), ("lost", "#c62828"), ("other", "#b0bec5"))
)

_VERDICT_COLORS = {
    LinkStatus.ALIVE: "#2e7d32",
    LinkStatus.REDIRECTED: "#66bb6a",
    LinkStatus.DEAD: "#c62828",
    LinkStatus.SOFT_DEAD: "#ef6c00",
    LinkStatus.BLOCKED: "#8e6c00",
    LinkStatus.ERROR: "#6d4c41",
    LinkStatus.INVALID: "#7b1fa2",
    LinkStatus.SKIPPED: "#78909c",
    LinkStatus.FAILING: "#e65100",
    LinkStatus.FRAGMENT_MISSING: "#9e9d24",
}

_CSS = """
:root { color-scheme: light; --fg: #1b1b1b; --muted: #5f6368; --line: #d9dce1; --bg: #fff;
  --ok: #2e7d32; --bad: #c62828; --warn: #ef6c00; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; padding: 1.5rem; max-width: 1200px; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
.meta, .muted { color: var(--muted); }
section.document { border-top: 3px solid var(--line); margin-top: 2rem; padding-top: .5rem; }
dl.summary { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: .75rem 0; }
dl.summary div { min-width: 6rem; } dl.summary dt { color: var(--muted); font-size: .8rem; }
dl.summary dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
ul.notices li { color: var(--bad); } ul.hints li { color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; }
.charts figure { margin: 0; } .charts figcaption { font-weight: 600; margin-bottom: .25rem; }
svg text { font: 12px system-ui, sans-serif; fill: var(--fg); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left;
  vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0;
  cursor: pointer; color: inherit; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
td.text { max-width: 38rem; } td.url { word-break: break-all; max-width: 30rem; }
tr[data-risk="unsupported"] td.risk { color: var(--bad); font-weight: 600; }
tr[data-risk="single_source"] td.risk, tr[data-risk="single_outlet"] td.risk { color: var(--warn); }
tr[data-risk="ok"] td.risk { color: var(--ok); }
.controls { display: flex; gap: 1rem; align-items: center; margin: .5rem 0; }
.controls input { min-width: 18rem; padding: .25rem .4rem; }
nav.toc li { margin: .15rem 0; }
.key { font-weight: normal; margin-left: .6rem; }
.key i { display: inline-block; width: .7rem; height: .7rem; margin-right: .25rem; }
"""

_JS = """
(function () {
  "use strict";
  var params = new URLSearchParams(location.hash.replace(/^#/, ""));

  function sortValue(row, index) {
    var cell = row.cells[index];
    var value = cell.getAttribute("data-sort");
    return value === null ? cell.textContent.trim().toLowerCase() : value;
  }

  function setup(section) {
    var table = section.querySelector("table.claims");
    if (!table) { return; }
    var body = table.tBodies[0];
    var headers = table.tHead.rows[0].cells;
    var controls = section.querySelector(".controls");
    var text = section.querySelector(".filter-text");
    var risk = section.querySelector(".filter-risk");
    var shown = section.querySelector(".shown-count");

    function sortBy(key, dir) {
      var index = -1;
      var numeric = false;
      for (var i = 0; i < headers.length; i++) {
        headers[i].removeAttribute("aria-sort");
        if (headers[i].getAttribute("data-key") === key) {
          index = i;
          numeric = headers[i].getAttribute("data-type") === "number";
        }
      }
      if (index < 0) { return; }
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = sortValue(a, index);
        var y = sortValue(b, index);
        var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        if (dir === "desc") { order = -order; }
        // Ties keep document order whichever way the column is sorted.
        return order || parseInt(a.getAttribute("data-order"), 10) -
          parseInt(b.getAttribute("data-order"), 10);
      });
      rows.forEach(function (row) { body.appendChild(row); });
      headers[index].setAttribute("aria-sort", dir === "desc" ? "descending" : "ascending");
      table.setAttribute("data-sort-key", key);
      table.setAttribute("data-sort-dir", dir);
    }

    function filter() {
      var query = text.value.trim().toLowerCase();
      var wanted = risk.value;
      var visible = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var ok = (!wanted || row.getAttribute("data-risk") === wanted) &&
          (!query || row.textContent.toLowerCase().indexOf(query) >= 0);
        row.hidden = !ok;
        if (ok) { visible++; }
      });
      table.setAttribute("data-visible-rows", String(visible));
      shown.textContent = visible + " of " + body.rows.length + " claims shown";
    }

    Array.prototype.forEach.call(headers, function (header) {
      var button = header.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var key = header.getAttribute("data-key");
        var again = table.getAttribute("data-sort-key") === key &&
          table.getAttribute("data-sort-dir") === "asc";
        sortBy(key, again ? "desc" : "asc");
      });
    });
    text.addEventListener("input", filter);
    risk.addEventListener("change", filter);
    if (params.get("q")) { text.value = params.get("q"); }
    if (params.get("risk")) { risk.value = params.get("risk"); }
    if (params.get("sort")) {
      sortBy(params.get("sort"), params.get("dir") === "desc" ? "desc" : "asc");
    }
    controls.hidden = false;
    filter();
  }

  Array.prototype.forEach.call(document.querySelectorAll("section.document"), setup);
  document.body.setAttribute("data-ready", "1");
})();
"""

_CLAIM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "number"),
    ("line", "number"),
    ("text", "text"),
    ("notes", "text"),
    ("sources", "number"),
    ("live", "number"),
    ("archived", "number"),
    ("lost", "number"),
    ("outlets", "number"),
    ("score", "number"),
    ("risk", "number"),
)


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def _e(text: object) -> str:
    """Untrusted text as inert, escaped HTML (safe in element content and quoted attributes)."""
    return html.escape(inert(str(text)), quote=True)


def safe_href(url: str) -> str | None:
    """The URL if it may be a link (plain http or https, no whitespace or controls), else None.

    >>> safe_href("https://example.com/a?b=1")
    'https://example.com/a?b=1'
    >>> safe_href("javascript:alert(1)") is None
    True
    """
    if any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _link(url: str, label: str | None = None) -> str:
    text = _e(label if label is not None else url)
    href = safe_href(url)
    if href is None:
        return f'<span class="nolink">{text}</span>'
    return f'<a href="{_e(href)}" rel="noopener noreferrer nofollow">{text}</a>'


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _first_sources(result: AuditResult) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for _, source in result.catalog.sources():
        out.setdefault(source.url, source)
    return out


def _citing_notes(result: AuditResult) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for note, source in result.catalog.sources():
        numbers = out.setdefault(source.url, [])
        if note.number not in numbers:
            numbers.append(note.number)
    return out


def _verdict_counts(result: AuditResult) -> Counter[str]:
    counts: Counter[str] = Counter()
    for url in result.catalog.unique_urls():
        verdict = result.verdicts.get(url)
        counts[str(verdict.status) if verdict else _UNCHECKED] += 1
    return counts


def _state_counts(result: AuditResult) -> Counter[str]:
    return Counter(
        str(source_state(result.verdicts.get(url))) for url in result.catalog.unique_urls()
    )


def _summary(result: AuditResult, suffix: str) -> str:
    verdicts = _verdict_counts(result)
    states = _state_counts(result)
    risks = Counter(str(c.risk) for c in result.claims)
    attrs = [
        f'data-urls="{len(result.catalog.unique_urls())}"',
        f'data-sources="{len(result.catalog.sources())}"',
        f'data-claims="{len(result.catalog.claims)}"',
        f'data-ignored="{result.ignored}"',
    ]
    attrs += [f'data-count-{s.value.replace("_", "-")}="{verdicts[s.value]}"' for s in LinkStatus]
    attrs.append(f'data-count-unchecked="{verdicts[_UNCHECKED]}"')
    attrs += [f'data-state-{s.value}="{states[s.value]}"' for s in SourceState]
    attrs += [f'data-risk-{r.value.replace("_", "-")}="{risks[r.value]}"' for r in Risk]
    items = [
        ("claims", len(result.catalog.claims), "claims"),
        ("URLs", len(result.catalog.unique_urls()), "urls"),
        ("live", states[SourceState.LIVE.value], "live"),
        ("archived", states[SourceState.ARCHIVED.value], "archived"),
        ("lost", states[SourceState.LOST.value], "lost"),
        ("unverified", states[SourceState.UNVERIFIED.value], "unverified"),
        ("unsupported claims", risks[Risk.UNSUPPORTED.value], "unsupported"),
        ("single-source claims", risks[Risk.SINGLE_SOURCE.value], "single-source"),
        ("ignored", result.ignored, "ignored"),
    ]
    cells = "".join(
        f'<div><dt>{label}</dt><dd data-field="{field}">{value}</dd></div>'
        for label, value, field in items
    )
    return f'<dl class="summary" id="summary{suffix}" {" ".join(attrs)}>{cells}</dl>'


def _bar_chart(
    rows: Sequence[tuple[str, Sequence[tuple[int, str, str]]]],
    *,
    chart_id: str,
    label: str,
    kind: str,
) -> str:
    """Horizontal bars; each row is (label, [(value, color, part), ...]), parts stacked."""
    label_w, bar_w, row_h, count_w = 170, 320, 22, 90
    total_max = max((sum(v for v, _, _ in parts) for _, parts in rows), default=0) or 1
    height = max(row_h * len(rows), row_h)
    out = [
        f'<svg id="{chart_id}" class="chart" role="img" aria-label="{_e(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + count_w}" '
        f'height="{height}" viewBox="0 0 {label_w + bar_w + count_w} {height}">'
    ]
    for i, (name, parts) in enumerate(rows):
        y = i * row_h
        total = sum(v for v, _, _ in parts)
        short = name if len(name) <= 26 else name[:25] + "\u2026"
        out.append(f'<g data-{kind}="{_e(name)}" data-count="{total}">')
        out.append(f"<title>{_e(name)}: {total}</title>")
        out.append(f'<text x="0" y="{y + 15}">{_e(short)}</text>')
        x = float(label_w)
        for value, color, part in parts:
            if value <= 0:
                continue
            width = bar_w * value / total_max
            out.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{row_h - 6}" '
                f'fill="{color}" data-part="{part}" data-value="{value}"/>'
            )
            x += width
        detail = " / ".join(f"{v} {p}" for v, _, p in parts if len(parts) > 1)
        out.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{total}</text>')
        if detail:
            out.append(f"<desc>{_e(detail)}</desc>")
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _verdict_chart(result: AuditResult, suffix: str) -> str:
    counts = _verdict_counts(result)
    rows: list[tuple[str, Sequence[tuple[int, str, str]]]] = [
        (s.value, [(counts[s.value], _VERDICT_COLORS[s], s.value)])
        for s in LinkStatus
        if counts[s.value]
    ]
    if counts[_UNCHECKED]:
        rows.append((_UNCHECKED, [(counts[_UNCHECKED], "#b0bec5", _UNCHECKED)]))
    return _bar_chart(
        rows, chart_id=f"chart-verdicts{suffix}", label="URLs by verdict", kind="verdict"
    )


def _outlet_chart(outlets: Sequence[OutletScore], suffix: str) -> str:
    top = sorted(outlets, key=lambda o: (-o.urls, o.outlet))[:TOP_OUTLETS]
    rows: list[tuple[str, Sequence[tuple[int, str, str]]]] = [
        (
            o.outlet,
            [
                (o.live, "#2e7d32", "live"),
                (o.lost, "#c62828", "lost"),
                (max(o.urls - o.live - o.lost, 0), "#b0bec5", "other"),
            ],
        )
        for o in top
    ]
    return _bar_chart(
        rows,
        chart_id=f"chart-outlets{suffix}",
        label=f"Top {len(top)} outlets by URLs: live, lost, other",
        kind="outlet",
    )


def _claims_table(claims: Sequence[ClaimScore], suffix: str) -> str:
    head = "".join(
        f'<th data-key="{key}" data-type="{kind}"'
        f"{' class=num' if kind == 'number' and key != 'risk' else ''}>"
        f'<button type="button">{key}</button></th>'
        for key, kind in _CLAIM_COLUMNS
    )
    options = "".join(f'<option value="{r.value}">{r.value}</option>' for r in Risk)
    rows = []
    for order, c in enumerate(claims):
        notes = ", ".join(str(n) for n in c.claim.notes)
        rows.append(
            f'<tr data-order="{order}" data-claim="{c.claim.id}" data-risk="{c.risk.value}">'
            f'<td class="num">{c.claim.id}</td>'
            f'<td class="num">{c.claim.line}</td>'
            f'<td class="text">{_e(c.claim.text)}</td>'
            f'<td class="notes" data-sort="{c.claim.notes[0] if c.claim.notes else 0}">'
            f"{_e(notes)}</td>"
            f'<td class="num">{c.sources}</td>'
            f'<td class="num">{c.live}</td>'
            f'<td class="num">{c.archived}</td>'
            f'<td class="num">{c.lost}</td>'
            f'<td class="num">{c.outlets}</td>'
            f'<td class="num" data-sort="{c.score or 0:.4f}">{score_text(c)}</td>'
            f'<td class="risk" data-sort="{c.risk.severity}">{c.risk.value}</td>'
            "</tr>"
        )
    return (
        f'<div class="controls" hidden><label>Filter <input type="search" class="filter-text" '
        f'id="filter-text{suffix}" placeholder="text, note, risk"></label>'
        f'<label>Risk <select class="filter-risk" id="filter-risk{suffix}">'
        f'<option value="">all</option>{options}</select></label>'
        f'<output class="shown-count" id="shown{suffix}"></output></div>'
        f'<table class="claims" id="claims{suffix}" data-rows="{len(claims)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _archive_cell(verdict: Verdict, asked: bool) -> str:
    snap = verdict.archive
    if not asked:
        return '<td class="archive none">archives not asked</td>'
    if snap is not None and snap.available and snap.url:
        when = snap.timestamp.date().isoformat() if snap.timestamp else "snapshot"
        extra = (
            f' <span class="muted">({snap.days_from_document:+d} days)</span>'
            if snap.days_from_document is not None
            else ""
        )
        # A snapshot URL that may not be a link is shown whole, so the reader sees why.
        label = when if safe_href(snap.url) else snap.url
        return f'<td class="archive url">{_link(snap.url, label)}{extra}</td>'
    reason = snap.reason if snap is not None and snap.reason else "no snapshot known"
    if snap is not None and snap.failed:
        reason = f"lookup failed: {reason}"
    return f'<td class="archive none">{_e(reason)}</td>'


def _source_rows(
    result: AuditResult, wanted: Iterable[str], state_of: dict[str, SourceState]
) -> list[str]:
    first = _first_sources(result)
    notes = _citing_notes(result)
    asked = archive_asked(result)
    rows = []
    for url in wanted:
        verdict = result.verdicts[url]
        source = first[url]
        title = f'<div class="muted">{_e(verdict.title)}</div>' if verdict.title else ""
        cached = cached_text(verdict, result.generated_at)
        mark = f' <span class="muted cached">({_e(cached)})</span>' if cached else ""
        rows.append(
            f'<tr data-state="{state_of[url].value}" data-verdict="{verdict.status.value}">'
            f'<td class="url">{_link(url)}{title}</td>'
            f"<td>{_e(source.outlet)}</td>"
            f'<td class="num">{_e(", ".join(str(n) for n in notes.get(url, [])))}</td>'
            f'<td class="num">{source.span.line}</td>'
            f"<td>{verdict.status.value}</td>"
            f"<td>{_e(verdict.reason)}{mark}</td>"
            f"{_archive_cell(verdict, asked)}</tr>"
        )
    return rows


def _sources_table(table_id: str, rows: Sequence[str]) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in ("URL", "outlet", "notes", "line", "verdict", "reason", "archive copy")
    )
    return (
        f'<table class="sources" id="{table_id}" data-rows="{len(rows)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _lost_and_unverified(result: AuditResult, suffix: str) -> str:
    urls = [u for u in result.catalog.unique_urls() if u in result.verdicts]
    state_of = {u: source_state(result.verdicts[u]) for u in urls}
    # Every dead link, with or without a snapshot: the snapshot is what the writer should cite.
    dead = [u for u in urls if result.verdicts[u].status.is_lost]
    unverified = [u for u in urls if state_of[u] is SourceState.UNVERIFIED]
    out = [
        f"<h3>Dead links and their archive copies ({len(dead)})</h3>",
        _sources_table(f"lost{suffix}", _source_rows(result, dead, state_of))
        if dead
        else '<p class="muted">No dead links.</p>',
        f"<h3>Unverified links ({len(unverified)})</h3>",
        _sources_table(f"unverified{suffix}", _source_rows(result, unverified, state_of))
        if unverified
        else '<p class="muted">No unverified links.</p>',
    ]
    return "".join(out)


def _outlet_table(outlets: Sequence[OutletScore], suffix: str) -> str:
    cols = ("outlet", "kind", "urls", "live", "lost", "archived", "unverified", "claims")
    text_cols = ("outlet", "kind")
    head = "".join(f"<th{'' if c in text_cols else ' class=num'}>{c}</th>" for c in cols)
    rows = "".join(
        f'<tr data-outlet="{_e(o.outlet)}" data-kind="{_e(str(o.kind or ""))}">'
        f"<td>{_e(o.outlet)}</td><td>{_e(str(o.kind or '').replace('_', ' '))}</td>"
        f'<td class="num">{o.urls}</td>'
        f'<td class="num">{o.live}</td><td class="num">{o.lost}</td>'
        f'<td class="num">{o.archived}</td><td class="num">{o.unverified}</td>'
        f'<td class="num">{o.claims}</td></tr>'
        for o in sorted(outlets, key=lambda o: (-o.urls, o.outlet))
    )
    return (
        f'<table class="outlets" id="outlets{suffix}" data-rows="{len(outlets)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _findings(result: AuditResult) -> str:
    if not result.catalog.findings:
        return ""
    items = "".join(
        f'<li data-kind="{_e(f.kind.value)}">'
        f"{'line ' + str(f.line) + ': ' if f.line else ''}{_e(f.message)}</li>"
        for f in result.catalog.findings
    )
    return (
        f"<details><summary>Findings about the document ({len(result.catalog.findings)})"
        f'</summary><ul class="findings">{items}</ul></details>'
    )


def _messages(items: Sequence[str], cls: str) -> str:
    if not items:
        return ""
    return f'<ul class="{cls}">' + "".join(f"<li>{_e(m)}</li>" for m in items) + "</ul>"


def _section(result: AuditResult, suffix: str) -> str:
    doc = result.catalog.document
    meta = [_e(doc.path)]
    if doc.date:
        meta.append(f"dated {doc.date.isoformat()}")
    if result.generated_at:
        meta.append(f"checked {_e(result.generated_at.isoformat(timespec='seconds'))}")
    return (
        f'<section class="document" id="doc{suffix}" data-path="{_e(doc.path)}">'
        f"<h2>{_e(doc.title or doc.path)}</h2>"
        f'<p class="meta">{_SEP.join(meta)}</p>'
        f"{_messages(result.notices, 'notices')}"
        f"{_summary(result, suffix)}"
        f"{_messages(result.hints, 'hints')}"
        '<div class="charts">'
        f"<figure><figcaption>URLs by verdict</figcaption>{_verdict_chart(result, suffix)}"
        "</figure>"
        f"<figure><figcaption>Top outlets: {_LEGEND}</figcaption>"
        f"{_outlet_chart(result.outlets, suffix)}</figure></div>"
        f"<h3>Claims ({len(result.claims)})</h3>{_claims_table(result.claims, suffix)}"
        f"{_lost_and_unverified(result, suffix)}"
        f"<h3>Outlets ({len(result.outlets)})</h3>{_outlet_table(result.outlets, suffix)}"
        f"{_findings(result)}</section>"
    )


def _toc(results: Sequence[AuditResult]) -> str:
    items = []
    for i, result in enumerate(results, 1):
        doc = result.catalog.document
        lost = _state_counts(result)[SourceState.LOST.value]
        items.append(
            f'<li><a href="#doc-{i}">{_e(doc.title or doc.path)}</a> '
            f'<span class="muted">{_e(doc.path)}: {_plural(len(result.claims), "claim")}, '
            f"{lost} lost</span></li>"
        )
    return f'<nav class="toc"><ol>{"".join(items)}</ol></nav>'


def render_many(results: Sequence[AuditResult]) -> str:
    """One self-contained HTML page with a section per document (ids suffixed -1, -2, ...)."""
    several = len(results) != 1
    if several:
        title = f"citeaudit: {_plural(len(results), 'document')}"
    else:
        # The section heading names the document; the page title is for tabs and bookmarks.
        doc = results[0].catalog.document
        title = f"citeaudit: {doc.title or doc.path}"
    sections = "".join(_section(r, f"-{i}" if several else "") for i, r in enumerate(results, 1))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_csp()}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f'<meta name="generator" content="citeaudit {_e(__version__)}">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>"
        f'<body data-documents="{len(results)}"><h1>citeaudit report</h1>'
        f"{_toc(results) if several else ''}{sections}"
        f"<script>{_JS}</script></body></html>\n"
    )


def render(result: AuditResult) -> str:
    """The HTML report of one document."""
    return render_many([result])
