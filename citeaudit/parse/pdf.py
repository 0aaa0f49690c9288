"""Read PDF reports: text without page furniture, link annotations' real targets, superscripts.

Published reports are PDFs, and copying their text is where most URL damage comes from: long
URLs broken over lines and pages, running headers in the middle of notes, page numbers, and
note markers that are superscript digits with no brackets. This reader uses pdfminer.six rather
than pypdf: pdfminer gives every character its box, font size and rise, which link rectangles
and superscript markers need; pypdf gives text per show operator. pypdf is faster (1.4-1.7x on
the LibreOffice-made sample, 10x and more on a synthetic PDF, see benchmarks/bench_formats.py),
but this reader's 20-30 pages/s reads a 200-page report in under 10 s, and fidelity is the
point. It:

- groups characters into rows in reading order: a page with two columns (a gutter few lines
  cross) is read band by band, the left column before the right (`pdf_layout.regions`),
- drops page furniture: rows repeated verbatim on 3 or more places (running headers and the short
  rows that always follow them) and page numbers at the top or bottom of a page,
- writes each link annotation (`/Annots` `/A` `/URI`) over the characters inside its `/Rect` as a
  Markdown link, `<uri>` when the visible text is the URI itself (a link split over several
  lines or pages by the layout becomes one link), `[visible](uri)` otherwise, so a visible URL
  that disagrees with its target is `link_text_differs` in the catalog; prose a URI's box covers
  by mistake while that URI is visible elsewhere on the page stays plain text (pdfTeX boxes a
  whole page with a link split inside a footnote), and ligature glyphs (`U+FB01`) are spelled out,
- rejoins a plain URL broken at the end of a line when the next row starts with a scheme-less
  continuation (also a bare piece like `023-08.html` when the row ran to the column's edge),
  drops a hyphen the layout put inside a link's text when the URI has none, and marks page
  breaks inside notes with `\\f` (the catalog rejoins a fragment there, flagged
  `joined_fragment`),
- turns superscript digits after a word (smaller than the row's text and raised) into `[N]`,
- reads footnotes set at the foot of each page or column as one notes section after the body
  when there is no notes heading: the rows below a short separator rule whatever their size, else
  the smaller rows at the foot; a note opens with a superscript number, a number alone on its
  row (joined to the next), or a plain leading number that the page's body cites; rows above the
  first number continue the previous page's last footnote.

The rendered text then goes through the text parser (`rendered.parse_rendered`): positions are
`Span(line=row on its page, page=N)`. Bounds: more than `MAX_PAGES` pages is refused with an
InputError before any page is laid out; encrypted or corrupt files are InputErrors too.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from statistics import median
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTAnno, LTChar, LTContainer, LTLine, LTRect, LTTextLine
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1

from citeaudit.errors import InputError
from citeaudit.models import Span
from citeaudit.parse.headings import is_notes_heading
from citeaudit.parse.links import link_markup
from citeaudit.parse.pdf_layout import Box, regions, separator
from citeaudit.parse.raw import RawDocument
from citeaudit.parse.rendered import parse_rendered

MAX_PAGES = 5000
MAX_PAGE_CONTENT = 4 * 1024 * 1024
MAX_CONTENT = 64 * 1024 * 1024
_FURNITURE_REPEATS = 3
_MIN_FURNITURE = 12
_SUPERSCRIPT_SIZE = 0.8
_SUPERSCRIPT_RISE = 0.2
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$", re.I
)
_NOTE_START = re.compile(r"^\s*(?:\[\d{1,6}\]|\d{1,6}\.\s)")
_DOT_TAIL = re.compile(r"(?:https?://|www\.)\S*[ \t]+(?:dot|DOT)$")
_URLISH = re.compile(r"://|www\.|%[0-9A-Fa-f]{2}|/|^\s*\[\d")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_LO_ESCAPE = re.compile(r"<([0-9A-Fa-f]{2})>")
_CONTINUATION = re.compile(r"^[A-Za-z0-9%._~/\-?=&#+]+")
_SENTENCE_END = tuple('.!?:"”’)]')
_MARKER_CHARS = frozenset("0123456789,–-")
_LIGATURES = frozenset("\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06")
_LONE_NUMBER = re.compile(r"^\d{1,4}$")
_LEADING_NUMBER = re.compile(r"^(\d{1,4})(?:\.)?\s+\S")
_BODY_MARKER = re.compile(r"\[(\d{1,6})\]")
_GAP = 0.75
"""Characters further apart than this share of their size belong to different columns."""
_FULL_ROW = 0.06
"""A row ending this close to its column's right edge (a share of the width) was broken there."""


@dataclass
class _Cell:
    """One character of a row: its text and, when a link annotation covers it, the URI."""

    text: str
    uri: str | None = None
    marker: bool = False


@dataclass
class _Row:
    cells: list[_Cell]
    top: float
    bottom: float
    page: int
    line: int = 0
    plain: str = field(default="")
    size: float = 0.0
    """The row's most common font size."""
    note_start: bool = False
    """The row opens with a superscript number (a footnote's own marker)."""
    region: int = 0
    """Which region of its page (a column, or a band across the columns) holds the row."""
    foot: bool = False
    """The row lies below its region's footnote separator rule."""
    full: bool = False
    """The row runs to its region's right edge (a line the layout had to break)."""

    @property
    def height(self) -> float:
        """The box's height (at least 1 point)."""
        return max(self.top - self.bottom, 1.0)


def _lines(item: Any) -> Iterator[LTTextLine]:
    """Text lines of a laid-out page, iteratively (figures can nest)."""
    for node in _walk(item):
        if isinstance(node, LTTextLine):
            yield node


@dataclass
class _Piece:
    """A run of a text line's characters with no wide gap inside (pdfminer joins the lines of
    two columns when the gutter is narrower than its character margin)."""

    items: list[LTChar | LTAnno]
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        """The box's height."""
        return self.y1 - self.y0

    def __iter__(self) -> Iterator[LTChar | LTAnno]:
        return iter(self.items)


def _pieces(line: LTTextLine) -> Iterator[_Piece]:
    """A text line cut where two characters stand more than `_GAP` of their size apart."""
    items: list[LTChar | LTAnno] = []
    last: LTChar | None = None
    for c in line:
        if isinstance(c, LTChar):
            if last is not None and c.x0 - last.x1 > _GAP * max(c.size, last.size):
                yield _piece(items)
                items = []
            last = c
        if isinstance(c, LTChar | LTAnno) and (items or isinstance(c, LTChar)):
            items.append(c)
    if any(isinstance(c, LTChar) for c in items):
        yield _piece(items)


def _piece(items: list[LTChar | LTAnno]) -> _Piece:
    chars = [c for c in items if isinstance(c, LTChar)]
    return _Piece(
        items,
        min(c.x0 for c in chars),
        min(c.y0 for c in chars),
        max(c.x1 for c in chars),
        max(c.y1 for c in chars),
    )


def _walk(item: Any) -> Iterator[Any]:
    """Text lines and drawn lines/rectangles of a laid-out page, iteratively (figures nest)."""
    stack = [item]
    while stack:
        node = stack.pop()
        if isinstance(node, LTTextLine | LTLine | LTRect):
            yield node
        elif isinstance(node, LTContainer):
            stack.extend(reversed(list(node)))


def _link_rects(page: PDFPage) -> list[tuple[tuple[float, float, float, float], str]]:
    out = []
    x_shift, y_shift = page.mediabox[0], page.mediabox[1]
    for ref in resolve1(page.annots) or []:
        annot = resolve1(ref)
        if not isinstance(annot, dict):
            continue
        action = resolve1(annot.get("A"))
        rect = resolve1(annot.get("Rect"))
        if not isinstance(action, dict) or not isinstance(rect, list | tuple) or len(rect) != 4:
            continue
        uri = resolve1(action.get("URI"))
        if isinstance(uri, bytes):
            uri = uri.decode("utf-8", errors="replace")
        if not isinstance(uri, str) or not uri:
            continue
        # LibreOffice writes the bytes of an IRI it cannot parse as "<D8>": percent-encode them.
        uri = _LO_ESCAPE.sub(r"%\1", uri)
        try:
            x0, y0, x1, y1 = (float(resolve1(v)) for v in rect)
        except (TypeError, ValueError):
            continue
        box = (
            min(x0, x1) - x_shift,
            min(y0, y1) - y_shift,
            max(x0, x1) - x_shift,
            max(y0, y1) - y_shift,
        )
        out.append((box, uri.strip()))
    return out


def _uri_at(
    x: float, y: float, links: list[tuple[tuple[float, float, float, float], str]]
) -> str | None:
    for (x0, y0, x1, y1), uri in links:
        # pdfTeX pads link boxes by a point (\pdflinkmargin): the ";" after a URL is not its.
        pad = 1.0 if x1 - x0 > 6 else -0.5
        if x0 + pad <= x <= x1 - pad and y0 - 0.5 <= y <= y1 + 0.5:
            return uri
    return None


def _group_rows(lines: list[_Piece]) -> list[list[_Piece]]:
    """Lines whose boxes overlap vertically by half form one row (a bullet and its text)."""
    rows: list[list[_Piece]] = []
    for line in sorted(lines, key=lambda ln: (-ln.y1, ln.x0)):
        if rows:
            last = rows[-1]
            top = min(ln.y1 for ln in last)
            bottom = max(ln.y0 for ln in last)
            overlap = min(top, line.y1) - max(bottom, line.y0)
            if overlap >= 0.5 * min(line.height, top - bottom or line.height):
                last.append(line)
                continue
        rows.append([line])
    return [sorted(row, key=lambda ln: ln.x0) for row in rows]


def _row_cells(row: list[_Piece], links: list[Any]) -> tuple[list[_Cell], float]:
    chars: list[LTChar | LTAnno] = []
    for i, line in enumerate(row):
        if i:
            chars.append(LTAnno(" "))
        chars.extend(c for c in line if isinstance(c, LTChar | LTAnno))
    sizes = [round(c.size, 1) for c in chars if isinstance(c, LTChar) and c.get_text().strip()]
    body = Counter(sizes).most_common(1)[0][0] if sizes else 0.0
    base = [c.y0 for c in chars if isinstance(c, LTChar) and abs(c.size - body) < 0.5]
    baseline = median(base) if base else 0.0
    cells: list[_Cell] = []
    marker: list[str] = []

    def flush_marker() -> None:
        if marker:
            at_start = not "".join(c.text for c in cells).strip()
            label = f"[{''.join(marker).strip(',–-')}]" + (" " if at_start else "")
            cells.append(_Cell(label, marker=at_start))
            marker.clear()

    for c in chars:
        if isinstance(c, LTAnno):
            flush_marker()
            cells.append(_Cell(c.get_text().replace("\n", "")))
            continue
        text = c.get_text()
        if text in _LIGATURES:
            # Chromium and LibreOffice map "fi" glyphs to U+FB01: a URL needs the letters.
            text = unicodedata.normalize("NFKC", text)
        raised = (
            body
            and c.size < _SUPERSCRIPT_SIZE * body
            and c.y0 > baseline + _SUPERSCRIPT_RISE * body
        )
        if raised and text in _MARKER_CHARS and (marker or text.isdigit()):
            marker.append(text)
            continue
        flush_marker()
        uri = _uri_at((c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2, links) if links else None
        cells.append(_Cell(text, uri))
    flush_marker()
    # A space between two characters of the same link belongs to the link.
    for i in range(1, len(cells) - 1):
        gap = cells[i].uri is None and not cells[i].text.strip()
        if gap and cells[i - 1].uri is not None and cells[i - 1].uri == cells[i + 1].uri:
            cells[i].uri = cells[i - 1].uri
    return cells, body


def _open(data: bytes, path: str) -> tuple[PDFDocument, list[PDFPage]]:
    if not data.lstrip()[:1024].count(b"%PDF-"):
        raise InputError(f"{path}: not a PDF file")
    try:
        parser = PDFParser(io.BytesIO(data))
        document = PDFDocument(parser)
        if not document.is_extractable:
            raise InputError(f"{path}: the PDF forbids text extraction")
        count = resolve1(resolve1(document.catalog.get("Pages") or {}).get("Count", 0))
        if isinstance(count, int) and count > MAX_PAGES:
            raise InputError(f"{path}: refused: {count} pages (the limit is {MAX_PAGES})")
        pages = []
        for page in PDFPage.create_pages(document):
            pages.append(page)
            if len(pages) > MAX_PAGES:
                raise InputError(f"{path}: refused: more than {MAX_PAGES} pages")
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on corrupt input
        raise InputError(f"{path}: a corrupt or unreadable PDF ({type(exc).__name__})") from exc
    if not pages:
        raise InputError(f"{path}: a PDF without pages")
    return document, pages


def _content_size(page: PDFPage) -> int:
    """Decoded bytes of a page's content streams (pdfminer keeps them decoded for layout)."""
    total = 0
    try:
        for ref in page.contents:
            stream = resolve1(ref)
            if isinstance(stream, PDFStream):
                total += len(stream.get_data())
    except Exception:  # a broken stream is reported by the layout that follows
        return total
    return total


def _layout(pages: list[PDFPage], path: str) -> list[list[_Row]]:
    manager = PDFResourceManager(caching=True)
    # Rows are ordered by position here, so pdfminer's text-box ordering pass is skipped.
    device = PDFPageAggregator(manager, laparams=LAParams(boxes_flow=None))
    interpreter = PDFPageInterpreter(manager, device)
    out: list[list[_Row]] = []
    content_total = 0
    for number, page in enumerate(pages, start=1):
        content = _content_size(page)
        content_total += content
        # pdfminer lays out about a megabyte of content a second: a small compressed stream
        # of millions of text operators would hold the run for minutes
        if content > MAX_PAGE_CONTENT or content_total > MAX_CONTENT:
            raise InputError(
                f"{path}: refused: page {number} brings the content to {content_total >> 20} MB "
                f"(limits: {MAX_PAGE_CONTENT >> 20} MB a page, {MAX_CONTENT >> 20} MB in all)"
            )
        try:
            interpreter.process_page(page)
            layout = device.get_result()
            links = _link_rects(page)
        except Exception as exc:  # a broken content stream on one page
            raise InputError(f"{path}: page {number} of the PDF cannot be read ({exc})") from exc
        out.append(_page_rows(layout, links, number))
    return out


def _page_rows(layout: Any, links: list[Any], number: int) -> list[_Row]:
    """A page's rows in reading order, region by region, each flagged below its separator."""
    lines: list[_Piece] = []
    rules: list[Box] = []
    for node in _walk(layout):
        if isinstance(node, LTTextLine):
            lines.extend(_pieces(node))
        elif node.height <= 2.0 and node.width >= 10.0:
            rules.append((node.x0, node.y0, node.x1, node.y1))
    rows: list[_Row] = []
    index = 0
    for k, region in enumerate(regions([(ln.x0, ln.y0, ln.x1, ln.y1) for ln in lines])):
        width = region.x1 - region.x0
        part: list[_Row] = []
        for group in _group_rows([lines[i] for i in region.lines]):
            index += 1
            top = max(ln.y1 for ln in group)
            bottom = min(ln.y0 for ln in group)
            # Only the annotations level with this row can cover its characters.
            near = [lk for lk in links if lk[0][1] <= top + 1 and lk[0][3] >= bottom - 1]
            cells, size = _row_cells(group, near)
            plain = "".join(c.text for c in cells).strip()
            if not plain:
                continue
            row = _Row(cells, top, bottom, number, index, " ".join(plain.split()), size, region=k)
            row.note_start = next((c.marker for c in cells if c.text.strip()), False)
            row.full = max(ln.x1 for ln in group) >= region.x1 - _FULL_ROW * width
            part.append(row)
        rule = separator(rules, region, [(r.top, r.bottom) for r in part]) if rules else None
        for row in part:
            row.foot = rule is not None and row.top <= rule
        rows.extend(part)
    _drop_stray_links(rows)
    return rows


def _drop_stray_links(rows: list[_Row]) -> None:
    """Unlink text a link annotation covers by mistake: when a URI's visible text is on the page,
    its other runs over unrelated words are stray (pdfTeX, breaking a linked URL inside a
    footnote over a page, boxes every body line of the next page with that link)."""
    runs: list[tuple[str, list[_Cell]]] = []
    for row in rows:
        uri: str | None = None
        for cell in row.cells:
            if cell.uri is not None and cell.uri == uri:
                runs[-1][1].append(cell)
            elif cell.uri is not None:
                runs.append((cell.uri, [cell]))
            uri = cell.uri
    shown = {uri for uri, cells in runs if _shows(uri, cells)}
    for uri, cells in runs:
        if uri in shown and _prose("".join(c.text for c in cells)) and not _shows(uri, cells):
            for cell in cells:
                cell.uri = None


def _shows(uri: str, cells: list[_Cell]) -> bool:
    """True when the run's text is a piece of the URI itself (a visible URL)."""
    text = "".join(c.text for c in cells).strip().rstrip("-")
    return len(text) >= 4 and text in uri


def furniture(pages: list[list[_Row]]) -> set[int]:
    """ids of rows that are page furniture: repeated headers/footers and page numbers."""
    counts = Counter(
        r.plain
        for rows in pages
        for r in rows
        if len(r.plain) >= _MIN_FURNITURE and _prose(r.plain)
    )
    repeated = {text for text, n in counts.items() if n >= _FURNITURE_REPEATS}
    out: set[int] = set()
    followers: Counter[str] = Counter()
    for rows in pages:
        for i, row in enumerate(rows):
            if row.plain in repeated:
                out.add(id(row))
                if i + 1 < len(rows) and rows[i + 1].plain not in repeated:
                    followers[rows[i + 1].plain] += 1
        # The first and last rows read, and the highest and lowest on the page (with columns,
        # a centred page number can fall in either column's region).
        ends = (
            [rows[0], rows[-1], max(rows, key=lambda r: r.top), min(rows, key=lambda r: r.bottom)]
            if rows
            else []
        )
        for row in ends:
            if _PAGE_NUMBER.match(row.plain):
                out.add(id(row))
    # A running header wrapped over two rows: its short tail always follows the first row.
    tails = {
        t
        for t, n in followers.items()
        if n >= _FURNITURE_REPEATS and _all_after(pages, t, repeated)
    }
    for rows in pages:
        for i, row in enumerate(rows):
            if row.plain in tails and i and rows[i - 1].plain in repeated:
                out.add(id(row))
    return out


def _prose(text: str) -> bool:
    """Running headers are words, never a URL or a piece of one (long URLs repeat across notes)."""
    return " " in text.strip() or text.isalpha() if not _URLISH.search(text) else False


def _all_after(pages: list[list[_Row]], text: str, repeated: set[str]) -> bool:
    """True when every row reading `text` follows a repeated (furniture) row."""
    for rows in pages:
        for i, row in enumerate(rows):
            if row.plain == text and not (i and rows[i - 1].plain in repeated):
                return False
    return True


def _render(cells: Iterable[_Cell], links: bool) -> str:
    out: list[str] = []
    run: list[str] = []
    uri: str | None = None
    for cell in [*cells, _Cell("", None)]:
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


def _edge_uri(cells: list[_Cell], last: bool) -> str | None:
    for cell in reversed(cells) if last else cells:
        if cell.text.strip():
            return cell.uri
    return None


def _drop_break_hyphen(cells: list[_Cell], nxt: list[_Cell], uri: str) -> None:
    """Drop a hyphen the layout added where it broke a link's text: the URI is the truth."""
    if not cells or cells[-1].text not in ("-", "\u00ad") or cells[-1].uri != uri:
        return
    tail = "".join(c.text for c in list(_run(reversed(cells), uri))[::-1])
    head = "".join(c.text for c in _run(nxt, uri))
    if tail + head not in uri and tail[:-1] + head in uri:
        cells.pop()


def _run(cells: Iterable[_Cell], uri: str) -> Iterator[_Cell]:
    """The cells from the start of `cells` while they belong to the link `uri`."""
    for cell in cells:
        if cell.uri != uri:
            return
        yield cell


def _trim_end(cells: list[_Cell]) -> list[_Cell]:
    while cells and not cells[-1].text:
        cells.pop()
    return cells


@contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """pdfminer logs warnings about damaged files; the CLI's one-line error says it all."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def read_pdf(data: bytes, path: str) -> RawDocument:
    """Parse a PDF report into claims and notes; positions are (page, row on the page)."""
    with _quiet_pdfminer():
        document, pdf_pages = _open(data, path)
        pages = _layout(pdf_pages, path)
    if not any(pages):
        raise InputError(f"{path}: no text found in this PDF (a scanned document?)")
    skip = furniture(pages)
    body_pages, note_pages = _split_footnotes(pages, skip)
    lines: list[str] = []
    where: list[Span] = []
    breaks: set[int] = set()
    cells: list[_Cell] = []
    first: _Row | None = None
    in_notes = False
    prev: _Row | None = None

    def flush() -> None:
        nonlocal cells, first
        if first is not None:
            lines.append(_render(cells, in_notes).strip())
            where.append(Span(first.line, 1, first.page))
        cells, first = [], None

    def assemble(pages: list[list[_Row]]) -> None:
        nonlocal cells, first, in_notes, prev
        for rows in pages:
            broken = True
            for row in rows:
                if id(row) in skip:
                    broken = True
                    continue
                uri = _edge_uri(cells, last=True)
                if first is not None and uri is not None and uri == _edge_uri(row.cells, False):
                    # One link annotation split over rows (or pages) by the layout: one link.
                    _drop_break_hyphen(_trim_end(cells), row.cells, uri)
                    cells.extend(row.cells)
                    prev, broken = row, False
                    continue
                glue = None
                if first is not None and not broken:
                    text = "".join(c.text for c in cells).rstrip("\n")
                    glue = _continues_url(text, row.plain, prev is not None and prev.full)
                if glue is not None:
                    _trim_end(cells).extend([_Cell(glue), *row.cells] if glue else row.cells)
                    prev = row
                    continue
                flush()
                gap = (
                    prev is not None
                    and prev.page == row.page
                    and prev.bottom - row.top > 0.9 * row.height
                )
                if broken and lines and lines[-1] and not lines[-1].endswith(_SENTENCE_END):
                    if row.plain[:1].islower():
                        gap = False
                elif broken:
                    gap = True
                if gap and lines and lines[-1]:
                    lines.append("")
                    where.append(Span(row.line, 1, row.page))
                if broken:
                    breaks.add(len(lines))
                if is_notes_heading(row.plain):
                    in_notes = True
                first = row
                cells = list(row.cells)
                broken = False
                prev = row

    assemble(body_pages)
    if any(note_pages):
        # Footnotes at the foot of each page: read them as one notes section after the body.
        flush()
        opener = next(r for rows in note_pages for r in rows)
        lines.extend(("", "Notes"))
        where.extend((Span(opener.line, 1, opener.page),) * 2)
        in_notes = True
        prev = None
        assemble(note_pages)
    flush()
    return parse_rendered(
        lines, where, path, "pdf", title=_title(document, pages, skip), breaks=frozenset(breaks)
    )


def _split_footnotes(
    pages: list[list[_Row]], skip: set[int]
) -> tuple[list[list[_Row]], list[list[_Row]]]:
    """Body rows and footnote rows of each page, when notes sit at page feet without a heading.

    A region's footnotes are the rows below its separator rule (a short rule above the notes,
    whatever their size), else the rows at its foot set smaller than the body text. The zone
    counts when a row in it opens a note: a superscript number, a number alone on its row, or a
    number that matches a marker in the page's body; or, right after a page with footnotes, when
    a rule sets off rows continuing the last footnote.
    """
    kept = [[r for r in rows if id(r) not in skip] for rows in pages]
    if any(is_notes_heading(r.plain) for rows in kept for r in rows):
        return pages, [[] for _ in pages]
    sizes: Counter[float] = Counter()
    for rows in kept:
        for r in rows:
            sizes[round(r.size, 1)] += len(r.plain)
    if not sizes:
        return pages, [[] for _ in pages]
    body_size = sizes.most_common(1)[0][0]
    body_pages: list[list[_Row]] = []
    note_pages: list[list[_Row]] = []
    before = False
    for rows in pages:
        parts: dict[int, list[_Row]] = {}
        for row in rows:
            parts.setdefault(row.region, []).append(row)
        zones = [_foot_zone(part, skip, body_size) for part in parts.values()]
        in_zones = {id(r) for zone in zones for r in zone}
        markers = {
            int(m) for r in rows if id(r) not in in_zones for m in _BODY_MARKER.findall(r.plain)
        }
        notes: list[_Row] = []
        for zone in zones:
            opened = _open_notes([r for r in zone if id(r) not in skip], markers)
            ruled = any(r.foot for r in zone)
            if any(r.note_start for r in opened) or (ruled and before and opened):
                notes.extend(opened)
            else:
                in_zones -= {id(r) for r in zone}
        body = [r for r in rows if id(r) not in in_zones]
        before = bool(notes)
        body_pages.append(body)
        note_pages.append(notes)
    return body_pages, note_pages


def _foot_zone(rows: list[_Row], skip: set[int], body_size: float) -> list[_Row]:
    """The rows of a region below its separator, else its smaller rows at the foot, else the
    rows from the first footnote set off by a gap (see `_gap_zone`)."""
    ruled = [r for r in rows if r.foot]
    if ruled:
        return ruled
    start = i = len(rows)
    while i:
        row = rows[i - 1]
        if id(row) not in skip:
            if row.size >= 0.95 * body_size:
                break
            start = i - 1
        i -= 1
    return rows[start:] if start < len(rows) else _gap_zone(rows, skip)


def _gap_zone(rows: list[_Row], skip: set[int]) -> list[_Row]:
    """Footnotes in the body's size with no rule: the rows from the first row, below a gap wider
    than the region's line spacing, that opens with a superscript number the rows above cite."""
    kept = [r for r in rows if id(r) not in skip]
    gaps = [a.bottom - b.top for a, b in zip(kept, kept[1:], strict=False)]
    if len(gaps) < 2:
        return []
    usual = median(gaps)
    cited: set[int] = set()
    for i, row in enumerate(kept):
        opener = _BODY_MARKER.match(row.plain) if row.note_start else None
        cited_above = i and opener and int(opener.group(1)) in cited
        if cited_above and gaps[i - 1] > usual + 0.5 * row.height:
            return rows[rows.index(row) :]
        cited.update(int(m) for m in _BODY_MARKER.findall(row.plain))
    return []


def _open_notes(zone: list[_Row], markers: set[int]) -> list[_Row]:
    """Footnote rows with each note's number as a note start: a number alone on its row joins
    the row after it, and a plain leading number the page's body cites becomes a marker."""
    out: list[_Row] = []
    i = 0
    while i < len(zone):
        row = zone[i]
        lone = _LONE_NUMBER.match(row.plain)
        if lone and i + 1 < len(zone) and not zone[i + 1].note_start:
            nxt = zone[i + 1]
            label = _Cell(f"[{row.plain}] ", marker=True)
            out.append(replace(nxt, cells=[label, *nxt.cells], line=row.line, note_start=True))
            i += 2
            continue
        lead = _LEADING_NUMBER.match(row.plain)
        if not row.note_start and lead and int(lead.group(1)) in markers:
            out.append(_numbered(row, lead.group(1)))
        else:
            out.append(row)
        i += 1
    return out


def _numbered(row: _Row, number: str) -> _Row:
    """The row with its leading plain number (and a dot after it) written as a note marker."""
    cells = list(row.cells)
    while cells and not cells[0].text.strip():
        cells.pop(0)
    taken = 0
    while cells and taken < len(number):
        taken += len(cells.pop(0).text.strip())
    if cells and cells[0].text == ".":
        cells.pop(0)
    while cells and not cells[0].text.strip():
        cells.pop(0)
    return replace(row, cells=[_Cell(f"[{number}] ", marker=True), *cells], note_start=True)


def _title(document: PDFDocument, pages: list[list[_Row]], skip: set[int]) -> str | None:
    """The document's /Title, else a running header that opens page 1 (it is the title)."""
    for info in document.info:
        title = resolve1(info.get("Title")) if isinstance(info, dict) else None
        if isinstance(title, bytes):
            title = title.decode("utf-16" if title[:2] in (b"\xfe\xff", b"\xff\xfe") else "latin-1")
        if isinstance(title, str) and title.strip():
            return " ".join(title.split())
    head = []
    for row in pages[0] if pages else []:
        if id(row) not in skip:
            break
        head.append(row.plain)
    return " ".join(head) or None
