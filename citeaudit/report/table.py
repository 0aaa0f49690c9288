"""The terminal report: what a writer reads first after `citeaudit check`.

Problems first, in one screen for a typical report: the summary panel, then what needs action,
each group capped ("... and N more"): sources that are gone with the claims resting on them,
redirects to update, possible typos, then claims at risk, worst first. The full tables (every
claim, every source needing attention, the outlets) come only with `verbose`.

Laid out with rich and returned as a string, so the CLI decides where it goes. Every piece of
text that came from a document or a page goes in as a `rich.text.Text` after `inert()`: it is
never parsed as markup, and control characters (ANSI escapes) are dropped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import StringIO
from typing import TypeVar

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from citeaudit.models import AuditResult, Finding, Risk, SourceState
from citeaudit.report import common
from citeaudit.report.common import SourceRow
from citeaudit.report.text import inert
from citeaudit.report.words import (
    cached_text,
    distinguish,
    middle,
    score_text,
    shorten,
    snapshot_text,
)

_RISK_STYLE = {
    Risk.UNSUPPORTED: "bold red",
    Risk.SINGLE_SOURCE: "yellow",
    Risk.SINGLE_OUTLET: "yellow",
    Risk.DEGRADED: "magenta",
    Risk.OK: "green",
}
_STATE_STYLE = {
    SourceState.LOST: "bold red",
    SourceState.ARCHIVED: "cyan",
    SourceState.UNVERIFIED: "yellow",
    SourceState.UNCHECKED: "dim",
    SourceState.LIVE: "green",
}


_Row = TypeVar("_Row")

FULL_REPORT = "see -o html=report.html or --verbose"
"""Where rows left out of a capped group can be read, when no HTML report is written."""


@dataclass(frozen=True, slots=True)
class Layout:
    """How much the terminal report shows."""

    verbose: bool = False
    """Full tables instead of capped groups."""
    hints: bool = True
    """Hints at the end (`-q` turns them off)."""
    rows: int = 10
    """Rows per group without `verbose` (sources, claims); redirects and typos get half."""
    width: int = 120
    """Columns of the terminal: compact cells are cut (URLs in the middle) to fit one line."""
    full_report: str = FULL_REPORT
    """Where the rows left out can be read, said after each cut."""


def _t(text: object, style: str = "") -> Text:
    """Untrusted text, inert and never parsed as markup."""
    return Text(inert(str(text)), style=style)


def _counts(label: str, counts: dict[str, int]) -> Text:
    body = ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "none"
    return Text.assemble((f"{label}: ", "bold"), body)


def _run_line(result: AuditResult) -> Text | None:
    run = result.run
    parts = []
    if run is not None and run.from_cache:
        parts.append(f"{run.from_cache} of {run.urls} URLs from the cache")
    if not common.archive_asked(result):
        parts.append("archives not asked")
    else:
        failed = common.archive_failures(result)
        if failed:
            parts.append(f"{failed} archive lookups failed (captures may be missing)")
    if not parts:
        return None
    return Text.assemble(("run: ", "bold"), "; ".join(parts))


def _summary(result: AuditResult) -> Panel:
    doc = result.catalog.document
    lines = [
        Text.assemble(
            _t(doc.path, "bold"),
            f"  {doc.date.isoformat() if doc.date else 'no date'}  ",
            f"{len(result.catalog.notes)} notes, {len(common.source_rows(result))} URLs, "
            f"{len(result.claims)} claims",
        ),
        _counts("verdicts", common.verdict_counts(result)),
        _counts("sources", common.state_counts(result)),
        _counts("claims", common.risk_counts(result)),
    ]
    run = _run_line(result)
    if run is not None:
        lines.append(run)
    if result.ignored:
        lines.append(Text(f"ignored: {result.ignored} silenced by inline ignores"))
    title = _t(doc.title) if doc.title else None
    return Panel(Group(*lines), title=title, title_align="left")


def _table(title: str, compact: bool) -> Table:
    # Compact tables never wrap a cell: a long URL would otherwise take several lines.
    return Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
        pad_edge=False,
    )


def _column(table: Table, name: str, compact: bool, *, ratio: int | None = None) -> None:
    if ratio is None:
        table.add_column(name, no_wrap=True, min_width=len(name))
    elif compact:
        table.add_column(name, ratio=ratio, no_wrap=True, overflow="ellipsis")
    else:
        table.add_column(name, ratio=ratio, overflow="fold")


def _fit(
    text: str | None, layout: Layout, share: float, *, url: bool = True, fixed: int = 36
) -> Text:
    """A cell with `share` of what `fixed` columns leave: cut mid-URL, or at a word for text."""
    text = text or ""
    if layout.verbose:
        return _t(text)
    room = max(8, int((layout.width - fixed) * share))
    return _t(middle(text, room) if url else shorten(text, room))


def _capped(items: list, limit: int | None) -> tuple[list, int]:
    if limit is None or len(items) <= limit:
        return items, 0
    return items[:limit], len(items) - limit


def _more(left_out: int, what: str, layout: Layout) -> list[RenderableType]:
    if not left_out:
        return []
    return [Text(f"... and {left_out} more {what} ({layout.full_report})", style="dim")]


def _instead(row: SourceRow, asked: bool) -> Text:
    if row.snapshot is not None:
        return _t(snapshot_text(row.snapshot))  # whole, even if it wraps: it is what to copy
    if not asked:
        return Text("")
    if row.verdict and row.verdict.archive and row.verdict.archive.failed:
        return Text("archive lookup failed", "yellow")
    return Text("no archived copy", "dim")


def _attention(result: AuditResult, layout: Layout) -> list[RenderableType]:
    rows = common.attention(result)
    if not rows:
        return []
    compact = not layout.verbose
    shown, left_out = _capped(rows, None if layout.verbose else layout.rows)
    asked = common.archive_asked(result)
    claims = common.claims_citing(result)
    table = _table("Sources that are gone or unverified", compact)
    _column(table, "state", compact)
    _column(table, "notes", compact)
    _column(table, "claims", compact)
    _column(table, "url", compact, ratio=35 if asked else 55)
    _column(table, "why", compact, ratio=30 if asked else 45)
    if asked:
        table.add_column("use instead", ratio=35, overflow="fold")
    for row in shown:
        why = f"{row.label}: {row.reason}"
        cached = cached_text(row.verdict, result.generated_at)
        if cached:
            why = f"{why} ({cached})"
        cells: list[Text | str] = [
            Text(str(row.state), style=_STATE_STYLE[row.state]),
            _fit(", ".join(map(str, row.notes)), layout, 0.08, url=False),
            _fit(", ".join(map(str, claims.get(row.url, ()))) or "-", layout, 0.08, url=False),
            _fit(row.url, layout, 0.35 if asked else 0.55),
            _fit(why, layout, 0.3 if asked else 0.45, url=False),
        ]
        if asked:
            cells.append(_instead(row, asked))
        table.add_row(*cells)
    return [table, *_more(left_out, "sources", layout)]


def _half_group(
    title: str,
    columns: Sequence[tuple[str, int | None]],
    rows: Sequence[_Row],
    cells: Callable[[_Row], Sequence[Text | str]],
    what: str,
    layout: Layout,
) -> list[RenderableType]:
    """A group capped at half the rows of the others: its table, then what it left out."""
    if not rows:
        return []
    compact = not layout.verbose
    shown, left_out = _capped(list(rows), None if layout.verbose else max(1, layout.rows // 2))
    table = _table(title, compact)
    for name, ratio in columns:
        _column(table, name, compact, ratio=ratio)
    for row in shown:
        table.add_row(*cells(row))
    return [table, *_more(left_out, what, layout)]


def _redirects(result: AuditResult, layout: Layout) -> list[RenderableType]:
    def cells(row: SourceRow) -> list[Text | str]:
        assert row.verdict is not None  # moved_permanently needs a verdict
        notes = ", ".join(map(str, row.notes))
        return [notes, _fit(row.url, layout, 0.45), _fit(row.verdict.final_url, layout, 0.45)]

    columns = [("notes", None), ("cited", 1), ("now at", 1)]
    rows = common.redirects_to_update(result)
    return _half_group("Moved for good: update the link", columns, rows, cells, "redirects", layout)


def _typos(result: AuditResult, layout: Layout) -> list[RenderableType]:
    def cells(finding: Finding) -> list[Text | str]:
        first, *rest = finding.urls or ("",)
        # the shared start is elided, so the cells show where the two spellings differ
        a, b = distinguish(first, rest[0]) if rest else (first, "")
        notes = ", ".join(map(str, finding.notes))
        return [notes, finding.confidence or "", _fit(a, layout, 0.4), _fit(b, layout, 0.4)]

    columns = [("notes", None), ("confidence", None), ("one spelling", 1), ("the other", 1)]
    found = common.typos(result)
    return _half_group("Possible typos", columns, found, cells, "possible typos", layout)


def _claims(result: AuditResult, layout: Layout) -> list[RenderableType]:
    scores = common.claims_by_risk(result) if layout.verbose else common.claims_at_risk(result)
    if not scores:
        return []
    compact = not layout.verbose
    shown, left_out = _capped(scores, None if layout.verbose else layout.rows)
    table = _table("Claims by risk" if layout.verbose else "Claims at risk", compact)
    table.add_column("risk", no_wrap=True, min_width=13)
    counts = ("sources", "live", "archived", "lost") if layout.verbose else ("live",)
    for name in ("claim", "line", "score", *counts, "outlets"):
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    _column(table, "text", compact, ratio=1)
    for c in shown:
        numbers = (
            [str(c.sources), str(c.live), str(c.archived), str(c.lost)]
            if layout.verbose
            else [f"{c.live}/{c.sources}"]
        )
        table.add_row(
            Text(str(c.risk), style=_RISK_STYLE[c.risk]),
            str(c.claim.id),
            str(c.claim.line),
            score_text(c),
            *numbers,
            f"{c.live_outlets}/{c.outlets}",
            _t(shorten(c.claim.text, 160))
            if layout.verbose
            else _fit(c.claim.text, layout, 1.0, url=False, fixed=64),
        )
    return [table, *_more(left_out, "claims at risk", layout)]


def _outlets(result: AuditResult) -> list[RenderableType]:
    if not result.outlets:
        return []
    table = Table(title="Outlets", title_justify="left")
    table.add_column("outlet", overflow="fold")
    table.add_column("kind", no_wrap=True)
    for name in ("claims", "urls", "live", "archived", "lost", "unverified"):
        table.add_column(name, justify="right", no_wrap=True)
    for o in result.outlets:
        table.add_row(
            _t(o.outlet or "(none)"),
            str(o.kind).replace("_", " ") if o.kind else "",
            str(o.claims),
            str(o.urls),
            str(o.live),
            str(o.archived),
            str(o.lost),
            str(o.unverified),
        )
    return [table]


def _one(console: Console, result: AuditResult, layout: Layout) -> None:
    for notice in result.notices:
        console.print(Text.assemble(("notice: ", "bold yellow"), _t(notice)))
    console.print(_summary(result))
    parts = [
        *_attention(result, layout),
        *_redirects(result, layout),
        *_typos(result, layout),
        *_claims(result, layout),
    ]
    if layout.verbose:
        parts += _outlets(result)
    for part in parts:
        console.print(part)
    if layout.hints:
        for hint in result.hints:
            console.print(Text.assemble(("hint: ", "bold"), _t(hint)))


def render(
    results: Sequence[AuditResult],
    *,
    width: int = 120,
    color: bool = False,
    layout: Layout | None = None,
) -> str:
    """The rich terminal report of every document, as text (with ANSI styles when `color`)."""
    out = StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
    )
    layout = dataclasses.replace(layout or Layout(), width=width)
    for i, result in enumerate(results):
        if i:
            console.print(Rule())
        _one(console, result, layout)
    return out.getvalue()
