"""Assemble a PDF's rows into lines of text for the text parser, links written as Markdown.

A link annotation split over rows or pages by the layout becomes one link (a hyphen the layout
put inside its text is dropped when the URI has none); a plain URL broken at a line end is
rejoined when the next row starts with a scheme-less continuation (also a bare piece when the
row ran to the column's edge); a gap between rows, or a page break after a finished sentence,
starts a paragraph; page breaks are remembered so that a note cut by one gets `\\f`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from citeaudit.models import Span
from citeaudit.parse.headings import is_notes_heading
from citeaudit.parse.links import link_markup
from citeaudit.parse.pdf_rows import Cell, Row

_DOT_TAIL = re.compile(r"(?:https?://|www\.)\S*[ \t]+(?:dot|DOT)$")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_CONTINUATION = re.compile(r"^[A-Za-z0-9%._~/\-?=&#+]+")
_SENTENCE_END = tuple('.!?:"”’)]')


def render_cells(cells: Iterable[Cell], links: bool) -> str:
    """A row's cells as text, each linked run written as a Markdown link when `links`."""
    out: list[str] = []
    run: list[str] = []
    uri: str | None = None
    for cell in [*cells, Cell("", None)]:
        if cell.uri != uri:
            if uri is not None:
                label = "".join(run)
                text = link_markup(label, uri) if links else label
                lead = label[: len(label) - len(label.lstrip())]
                tail = label[len(label.rstrip()) :]
                out.append(lead + text + tail)
            run = []
            uri = cell.uri
        if uri is None:
            out.append(cell.text)
        else:
            run.append(cell.text)
    return "".join(out)


def _continues_url(line: str, nxt: str, full: bool = False) -> str | None:
    """How `nxt` continues a plain URL that `line` ends with: "" (glued), " ", or None (not).

    A layout breaks long URLs anywhere; a defanged host (`tasnimnews dot` / `com/fa/...`) at a
    space. The continuation must look like a URL piece, not the start of a sentence. `full`: the
    line ran to the column's edge, so the layout broke it there, wherever that fell in the URL.
    """
    if _DOT_TAIL.search(line.rstrip()) and nxt[:1].isalnum():
        return " "
    if line != line.rstrip():
        return None
    token = line.rsplit(None, 1)[-1].lstrip("<([")
    lowered = token.lower()
    url_like = "://" in token or lowered.startswith("www.")
    if not url_like and "/" not in token and len(_PERCENT.findall(token)) < 2:
        return None
    m = _CONTINUATION.match(nxt)
    if m is None or nxt.lower().startswith(("http://", "https://", "www.", "[", "<")):
        return None
    frag = m.group()
    if m.end() < len(nxt) and not nxt[m.end()].isspace() and nxt[m.end()] not in ";,>)":
        return None
    if frag.isalpha() and frag[:1].isupper():
        return None
    if any(c in frag for c in "/%?=&#_") or line.endswith(("-", "_", "/", "=", "%", "&", "?")):
        return ""
    if full and url_like and any(c in frag for c in ".-~"):
        return ""
    return None


def _edge_uri(cells: list[Cell], last: bool) -> str | None:
    for cell in reversed(cells) if last else cells:
        if cell.text.strip():
            return cell.uri
    return None


def _drop_break_hyphen(cells: list[Cell], nxt: list[Cell], uri: str) -> None:
    """Drop a hyphen the layout added where it broke a link's text: the URI is the truth."""
    if not cells or cells[-1].text not in ("-", "\u00ad") or cells[-1].uri != uri:
        return
    tail = "".join(c.text for c in list(_run(reversed(cells), uri))[::-1])
    head = "".join(c.text for c in _run(nxt, uri))
    if tail + head not in uri and tail[:-1] + head in uri:
        cells.pop()


def _run(cells: Iterable[Cell], uri: str) -> Iterator[Cell]:
    """The cells from the start of `cells` while they belong to the link `uri`."""
    for cell in cells:
        if cell.uri != uri:
            return
        yield cell


def _trim_end(cells: list[Cell]) -> list[Cell]:
    while cells and not cells[-1].text:
        cells.pop()
    return cells


@dataclass
class LineAssembler:
    """Rendered lines of a PDF's rows, with where each came from and where pages broke."""

    skip: set[int]
    """ids of furniture rows: dropped, and a break in the text where they stood."""
    lines: list[str] = field(default_factory=list)
    where: list[Span] = field(default_factory=list)
    breaks: set[int] = field(default_factory=set)
    """Indexes of lines that follow a page break or removed furniture."""
    cells: list[Cell] = field(default_factory=list)
    first: Row | None = None
    in_notes: bool = False
    prev: Row | None = None

    def flush(self) -> None:
        """End the line being assembled."""
        if self.first is not None:
            self.lines.append(render_cells(self.cells, self.in_notes).strip())
            self.where.append(Span(self.first.line, 1, self.first.page))
        self.cells, self.first = [], None

    def open_notes(self, opener: Row, *, heading: bool = True) -> None:
        """Start a notes section (headed "Notes" unless it continues one) at its first note."""
        self.flush()
        added = ("", "Notes") if heading else ("",)
        self.lines.extend(added)
        self.where.extend((Span(opener.line, 1, opener.page),) * len(added))
        self.in_notes = True
        self.prev = None

    def add_pages(self, pages: list[list[Row]]) -> None:
        """Add the rows of each page in turn."""
        for rows in pages:
            broken = True
            for row in rows:
                if id(row) in self.skip:
                    broken = True
                    continue
                broken = self._add_row(row, broken)

    def _add_row(self, row: Row, broken: bool) -> bool:
        """Add one row; False, as no break follows it."""
        cells = self.cells
        uri = _edge_uri(cells, last=True)
        if self.first is not None and uri is not None and uri == _edge_uri(row.cells, False):
            # One link annotation split over rows (or pages) by the layout: one link.
            _drop_break_hyphen(_trim_end(cells), row.cells, uri)
            cells.extend(row.cells)
            self.prev = row
            return False
        glue = None
        if self.first is not None and not broken:
            text = "".join(c.text for c in cells).rstrip("\n")
            glue = _continues_url(text, row.plain, self.prev is not None and self.prev.full)
        if glue is not None:
            _trim_end(cells).extend([Cell(glue), *row.cells] if glue else row.cells)
            self.prev = row
            return broken
        self.flush()
        lines, prev = self.lines, self.prev
        gap = (
            prev is not None and prev.page == row.page and prev.bottom - row.top > 0.9 * row.height
        )
        if broken and lines and lines[-1] and not lines[-1].endswith(_SENTENCE_END):
            if row.plain[:1].islower():
                gap = False
        elif broken:
            gap = True
        if gap and lines and lines[-1]:
            lines.append("")
            self.where.append(Span(row.line, 1, row.page))
        if broken:
            self.breaks.add(len(lines))
        if is_notes_heading(row.plain):
            self.in_notes = True
        self.first = row
        self.cells = list(row.cells)
        self.prev = row
        return False
