"""Render an offline catalog (the `parse` and `urls` commands) for people and programs.

Separate from the report formats because a catalog has no verdicts: it is what the document
says, not what the web answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import StringIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from citeaudit.models import Catalog
from citeaudit.report.json import dumps
from citeaudit.report.text import inert, md_cell


def catalog_json(catalogs: Sequence[Catalog]) -> str:
    """The `citeaudit.catalog/1` JSON document; a list of them for several documents."""
    payload = [c.to_json() for c in catalogs]
    return dumps(payload[0] if len(payload) == 1 else payload)


def catalog_table(catalog: Catalog, *, width: int = 120, color: bool = False) -> str:
    """A rich table of notes and sources, then the findings."""
    out = StringIO()
    console = Console(file=out, width=width, force_terminal=color, no_color=not color)
    doc = catalog.document
    console.print(
        f"[bold]{escape(inert(doc.title or doc.path))}[/bold]  "
        f"{doc.date.isoformat() if doc.date else 'no date'}  "
        f"{len(catalog.notes)} notes, {len(catalog.sources())} sources, "
        f"{len(catalog.unique_urls())} unique URLs, {len(catalog.claims)} claims"
    )
    table = Table("note", "line", "outlet", "flags", show_lines=False)
    table.add_column("url", overflow="fold", ratio=1)
    for note, source in catalog.sources():
        table.add_row(
            str(note.number),
            str(source.span.line),
            escape(inert(source.outlet)),
            ", ".join(source.flags),
            escape(inert(source.url)),
        )
    console.print(table)
    if catalog.findings:
        findings = Table("finding", "notes", "message")
        for f in catalog.findings:
            label = f"{f.kind} ({f.confidence})" if f.confidence else str(f.kind)
            findings.add_row(label, ", ".join(map(str, f.notes)), escape(inert(f.message)))
        console.print(findings)
    return out.getvalue()


def catalog_markdown(catalog: Catalog) -> str:
    """The catalog as Markdown: one section per note, then the findings."""
    doc = catalog.document
    lines = [f"# {md_cell(doc.title or doc.path)}", ""]
    if doc.date:
        lines += [f"Date: {doc.date.isoformat()}", ""]
    lines += ["| note | url | outlet | flags |", "| --- | --- | --- | --- |"]
    for note, s in catalog.sources():
        lines.append(
            f"| {note.number} | {md_cell(s.url)} | {md_cell(s.outlet)} | {', '.join(s.flags)} |"
        )
    if catalog.findings:
        lines += ["", "## Findings", ""]
        lines += [f"- **{f.kind}**: {md_cell(f.message)}" for f in catalog.findings]
    return "\n".join(lines) + "\n"
