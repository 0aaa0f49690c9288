"""The terminal report: what a writer reads first after `citeaudit check`.

Laid out with rich and returned as a string, so the CLI decides where it goes. Every piece of
text that came from a document or a page goes in as a `rich.text.Text` after `inert()`: it is
never parsed as markup, and control characters (ANSI escapes) are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import StringIO

from rich.console import Console, Group
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from citeaudit.models import AuditResult, Risk, SourceState
from citeaudit.report.common import (
    attention,
    claims_by_risk,
    risk_counts,
    shorten,
    snapshot_text,
    source_rows,
    state_counts,
    verdict_counts,
)
from citeaudit.report.text import inert

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


def _t(text: object, style: str = "") -> Text:
    """Untrusted text, inert and never parsed as markup."""
    return Text(inert(str(text)), style=style)


def _counts(label: str, counts: dict[str, int]) -> Text:
    body = ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "none"
    return Text.assemble((f"{label}: ", "bold"), body)


def _summary(result: AuditResult) -> Panel:
    doc = result.catalog.document
    lines = [
        Text.assemble(
            _t(doc.path, "bold"),
            f"  {doc.date.isoformat() if doc.date else 'no date'}  ",
            f"{len(result.catalog.notes)} notes, {len(source_rows(result))} URLs, "
            f"{len(result.claims)} claims",
        ),
        _counts("verdicts", verdict_counts(result)),
        _counts("sources", state_counts(result)),
        _counts("claims", risk_counts(result)),
    ]
    if result.ignored:
        lines.append(Text(f"ignored: {result.ignored} silenced by inline ignores"))
    title = _t(doc.title) if doc.title else None
    return Panel(Group(*lines), title=title, title_align="left")


def _claims(result: AuditResult) -> Table:
    table = Table(title="Claims by risk", title_justify="left")
    for name in ("risk", "claim", "line", "score", "sources", "live", "archived", "lost"):
        table.add_column(name, justify="left" if name == "risk" else "right", no_wrap=True)
    table.add_column("outlets", justify="right", no_wrap=True)
    table.add_column("text", ratio=1, overflow="fold")
    for c in claims_by_risk(result):
        table.add_row(
            Text(str(c.risk), style=_RISK_STYLE[c.risk]),
            str(c.claim.id),
            str(c.claim.line),
            f"{c.score:.0%}",
            str(c.sources),
            str(c.live),
            str(c.archived),
            str(c.lost),
            f"{c.live_outlets}/{c.outlets}",
            _t(shorten(c.claim.text, 160)),
        )
    return table


def _attention(result: AuditResult) -> Table:
    table = Table(title="Sources needing attention", title_justify="left")
    table.add_column("state", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("notes", no_wrap=True)
    table.add_column("url", ratio=2, overflow="fold")
    table.add_column("reason", ratio=1, overflow="fold")
    table.add_column("use instead", ratio=2, overflow="fold")
    for row in attention(result):
        snapshot = row.snapshot
        instead = _t(snapshot_text(snapshot)) if snapshot else Text("no archived copy", "dim")
        table.add_row(
            Text(str(row.state), style=_STATE_STYLE[row.state]),
            row.label,
            ", ".join(map(str, row.notes)),
            _t(row.url),
            _t(row.reason),
            instead,
        )
    return table


def _outlets(result: AuditResult) -> Table:
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
    return table


def _one(console: Console, result: AuditResult) -> None:
    for notice in result.notices:
        console.print(Text.assemble(("notice: ", "bold yellow"), _t(notice)))
    console.print(_summary(result))
    if result.claims:
        console.print(_claims(result))
    if attention(result):
        console.print(_attention(result))
    if result.outlets:
        console.print(_outlets(result))
    for hint in result.hints:
        console.print(Text.assemble(("hint: ", "bold"), _t(hint)))


def render(results: Sequence[AuditResult], *, width: int = 120, color: bool = False) -> str:
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
    for i, result in enumerate(results):
        if i:
            console.print(Rule())
        _one(console, result)
    return out.getvalue()
