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
from collections.abc import Iterator
from contextlib import contextmanager

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1

from citeaudit.errors import InputError
from citeaudit.parse.pdf_footnotes import section_numbers, split_footnotes
from citeaudit.parse.pdf_furniture import furniture
from citeaudit.parse.pdf_lines import LineAssembler
from citeaudit.parse.pdf_rows import Row, link_rects, page_rows
from citeaudit.parse.raw import RawDocument
from citeaudit.parse.rendered import parse_rendered

MAX_PAGES = 5000
MAX_PAGE_CONTENT = 4 * 1024 * 1024
MAX_CONTENT = 64 * 1024 * 1024


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


def _layout(pages: list[PDFPage], path: str) -> list[list[Row]]:
    manager = PDFResourceManager(caching=True)
    # Rows are ordered by position here, so pdfminer's text-box ordering pass is skipped.
    device = PDFPageAggregator(manager, laparams=LAParams(boxes_flow=None))
    interpreter = PDFPageInterpreter(manager, device)
    out: list[list[Row]] = []
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
            links = link_rects(page)
        except Exception as exc:  # a broken content stream on one page
            raise InputError(f"{path}: page {number} of the PDF cannot be read ({exc})") from exc
        out.append(page_rows(layout, links, number))
    return out


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
    body_pages, note_pages = split_footnotes(pages, skip)
    lines = LineAssembler(skip)
    lines.add_pages(body_pages)
    if any(note_pages):
        # Footnotes at the foot of each page: read them as one notes section after the body,
        # or after the body's own notes section (numbered on from it), which it then continues.
        headed = section_numbers([[r for r in rows if id(r) not in skip] for rows in pages])
        opener = next(r for rows in note_pages for r in rows)
        lines.open_notes(opener, heading=not headed)
        lines.add_pages(note_pages)
    lines.flush()
    return parse_rendered(
        lines.lines,
        lines.where,
        path,
        "pdf",
        title=_title(document, pages, skip),
        breaks=frozenset(lines.breaks),
    )


def _title(document: PDFDocument, pages: list[list[Row]], skip: set[int]) -> str | None:
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
