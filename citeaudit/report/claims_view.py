"""Render the `claims` command: claims with the distinct sources and outlets behind each."""

from __future__ import annotations

import json
from collections.abc import Sequence
from io import StringIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from citeaudit.models import ClaimScore
from citeaudit.report.text import inert


def select(
    scores: Sequence[ClaimScore], *, single_source: bool = False, single_outlet: bool = False
) -> list[ClaimScore]:
    """Keep the claims backed by one distinct URL and/or by one outlet only."""
    out = list(scores)
    if single_source:
        out = [s for s in out if s.sources <= 1]
    if single_outlet:
        out = [s for s in out if s.outlets <= 1]
    return out


def render(scores: Sequence[ClaimScore], fmt: str, *, width: int = 120) -> str:
    """JSON (a list of claim objects) or a rich table."""
    if fmt == "json":
        return json.dumps([s.to_json() for s in scores], ensure_ascii=False, indent=2) + "\n"
    out = StringIO()
    console = Console(file=out, width=width, no_color=True)
    table = Table("claim", "line", "notes", "sources", "outlets", "risk", "text")
    for s in scores:
        table.add_row(
            str(s.claim.id),
            str(s.claim.line),
            ", ".join(map(str, s.claim.notes)),
            str(s.sources),
            str(s.outlets),
            str(s.risk),
            escape(inert(s.claim.text)),
        )
    console.print(table)
    console.print(f"{len(scores)} claims")
    return out.getvalue()
