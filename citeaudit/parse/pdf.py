"""Read PDF reports: text without page furniture, link annotations' real targets, superscripts.

Published reports are PDFs, and copying their text is where most URL damage comes from: long
URLs broken over lines and pages, running headers in the middle of notes, page numbers, and
note markers that are superscript digits with no brackets. This reader uses pdfminer.six rather
than pypdf: pdfminer gives every character its box, font size and rise, which link rectangles
and superscript markers need; pypdf gives text per show operator. pypdf is faster (1.4-1.7x on
the LibreOffice-made sample, 10x and more on a synthetic PDF, see benchmarks/bench_formats.py),
but this reader's 20-30 pages/s reads a 200-page report in under 10 s, and fidelity is the
point. It:

- groups characters into rows in reading order (single-column layout; a multi-column page is read
  row by row across the columns),
- drops page furniture: rows repeated verbatim on 3 or more places (running headers and the short
  rows that always follow them) and page numbers at the top or bottom of a page,
- writes each link annotation (`/Annots` `/A` `/URI`) over the characters inside its `/Rect` as a
  Markdown link, `<uri>` when the visible text is the URI itself (a link split over several
  lines or pages by the layout becomes one link), `[visible](uri)` otherwise, so a visible URL
  that disagrees with its target is `link_text_differs` in the catalog,
- rejoins a plain URL broken at the end of a line when the next row starts with a scheme-less
  continuation, and mark page breaks inside notes with `\\f` (the catalog rejoins a fragment
  there, flagged `joined_fragment`),
- turns superscript digits after a word (smaller than the row's text and raised) into `[N]`,
- reads footnotes set at the foot of each page (smaller rows, the first opening with a
  superscript number) as one notes section after the body when there is no notes heading.

The rendered text then goes through the text parser (`formats.parse_rendered`): positions are
`Span(line=row on its page, page=N)`. Bounds: more than `MAX_PAGES` pages is refused with an
InputError before any page is laid out; encrypted or corrupt files are InputErrors too.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTAnno, LTChar, LTContainer, LTTextLine
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1

from citeaudit.errors import InputError
from citeaudit.models import Span
from citeaudit.parse.formats import link_markup, parse_rendered
from citeaudit.parse.headings import is_notes_heading
from citeaudit.parse.raw import RawDocument

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

    @property
    def height(self) -> float:
        """The box's height (at least 1 point)."""
        return max(self.top - self.bottom, 1.0)


def _lines(item: Any) -> Iterator[LTTextLine]:
    """Text lines of a laid-out page, iteratively (figures can nest)."""
    stack = [item]
    while stack:
        node = stack.pop()
        if isinstance(node, LTTextLine):
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
        if x0 - 0.5 <= x <= x1 + 0.5 and y0 - 0.5 <= y <= y1 + 0.5:
            return uri
    return None


def _group_rows(lines: list[LTTextLine]) -> list[list[LTTextLine]]:
    """Lines whose boxes overlap vertically by half form one row (a bullet and its text)."""
    rows: list[list[LTTextLine]] = []
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


def _row_cells(row: list[LTTextLine], links: list[Any]) -> tuple[list[_Cell], float]:
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
        rows = []
        for index, group in enumerate(_group_rows(list(_lines(layout))), start=1):
            top = max(ln.y1 for ln in group)
            bottom = min(ln.y0 for ln in group)
            # Only the annotations level with this row can cover its characters.
            near = [lk for lk in links if lk[0][1] <= top + 1 and lk[0][3] >= bottom - 1]
            cells, size = _row_cells(group, near)
            plain = "".join(c.text for c in cells).strip()
            if not plain:
                continue
            row = _Row(cells, top, bottom, number, index, " ".join(plain.split()), size)
            row.note_start = next((c.marker for c in cells if c.text.strip()), False)
            rows.append(row)
        out.append(rows)
    return out


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
        for row in (rows[:1] + rows[-1:]) if rows else []:
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


def _continues_url(line: str, nxt: str) -> str | None:
    """How `nxt` continues a plain URL that `line` ends with: "" (glued), " ", or None (not).

    A layout breaks long URLs anywhere; a defanged host (`tasnimnews dot` / `com/fa/...`) at a
    space. The continuation must look like a URL piece, not the start of a sentence.
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
    return None


def _edge_uri(cells: list[_Cell], last: bool) -> str | None:
    for cell in reversed(cells) if last else cells:
        if cell.text.strip():
            return cell.uri
    return None


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
                    _trim_end(cells).extend(row.cells)
                    prev, broken = row, False
                    continue
                glue = None
                if first is not None and not broken:
                    glue = _continues_url("".join(c.text for c in cells).rstrip("\n"), row.plain)
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

    A page's footnotes are the rows at its foot set smaller than the body text, the first of
    them opening with a superscript number; rows continuing a footnote from the page before sit
    at the top of that zone in the same small size.
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
    for rows in pages:
        start = i = len(rows)
        while i:
            row = rows[i - 1]
            if id(row) not in skip:
                if row.size >= 0.95 * body_size:
                    break
                start = i - 1
            i -= 1
        zone = rows[start:]
        if not any(r.note_start for r in zone):
            zone, start = [], len(rows)
        body_pages.append(rows[:start])
        note_pages.append(zone)
    return body_pages, note_pages


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
