"""One entry point for every input format, and the bridge from rendered text to the text parser.

`read_document` detects the format and calls its reader. Readers of HTML, DOCX and PDF meet
documents that number their notes by hand ("[1] ..." under an "Endnotes" heading); rather than
copying the text parser's rules (notes across pages, running headers, markers after full stops),
they render the document to lines of text, with explicit hyperlinks written as Markdown links,
remember where each line came from, and hand the lines to `parse.text.parse_text`.
`parse_rendered` then maps every position back to the original (HTML source line, DOCX
paragraph, PDF page and line) and marks page breaks inside notes with `\\f`.

It does not look for URLs: the catalog does that for every format alike.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from citeaudit.models import Finding, Span
from citeaudit.parse.detect import detect_format
from citeaudit.parse.raw import PAGE_BREAK, RawClaim, RawDocument, RawNote
from citeaudit.parse.urls import is_relative_href

_AUTHORITY = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,20}://)([^/?#\s]*)")
_WEB_SCHEMES = ("http://", "https://", "www.", "hxxp://", "hxxps://", "ftp://")


def is_web_href(href: str) -> bool:
    """An href that names a web resource (not `#anchor`, `mailto:`, `javascript:`)."""
    return href.strip().lower().startswith(_WEB_SCHEMES)


def _escape_label(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _decode_host(href: str) -> str:
    """Undo percent-encoding in the host, as browsers do (`sana%5Bdot%5Dsy` -> `sana[dot]sy`).

    >>> _decode_host("https://sana%5Bdot%5Dsy/a%20b")
    'https://sana[dot]sy/a%20b'
    """
    m = _AUTHORITY.match(href)
    if m is None or "%" not in m.group(2):
        return href
    return m.group(1) + unquote(m.group(2)) + href[m.end() :]


def _escape_href(href: str) -> str:
    href = href.replace(" ", "%20").replace("\n", "").replace("\t", "")
    href = href.replace("<", "%3C").replace(">", "%3E")
    if href.count("(") != href.count(")"):
        href = href.replace("(", "%28").replace(")", "%29")
    return href


def link_markup(text: str, href: str, *, relative: bool = True) -> str:
    """How an explicit hyperlink is written into note text for the catalog.

    Visible text that is the href itself (also after percent-decoding) becomes an autolink
    `<url>`, so the catalog treats it exactly as the same URL written in plain text (glued or
    defanged URLs are repaired the same way); anything else becomes `[text](href)`, which the
    catalog reads as one source (text not a URL) or two that disagree (`link_text_differs`).

    >>> link_markup("https://a.example/x", "https://a.example/x")
    '<https://a.example/x>'
    >>> link_markup("see [this]", "https://a.example/x")
    '[see \\\\[this\\\\]](https://a.example/x)'
    >>> link_markup("Home", "#top")
    'Home'
    >>> link_markup("Methods", "../methods.html#sampling")
    '[Methods](../methods.html#sampling)'

    `relative=False` (HTML pages) keeps a relative link's text only: on a web page it is the
    site's own navigation (wiki pages, ISBN lookups, tag pages), not a citation.

    >>> link_markup("ISBN", "/wiki/Special:BookSources/978", relative=False)
    'ISBN'
    """
    text = " ".join(text.split())
    href = _decode_host(href.strip())
    if href and is_relative_href(href) and text:
        if not relative:
            return text
        # a local file or a page of the document's own site: the catalog flags it `relative`
        return f"[{_escape_label(text)}]({_escape_href(href)})"
    if not href or not is_web_href(href):
        return text
    same = text and (text == href or unquote(text) == unquote(href))
    if same and not any(c in text for c in " <>"):
        return f"<{text}>"
    return f"[{_escape_label(text)}]({_escape_href(href)})"


def _where(where: Sequence[Span], line: int, column: int) -> Span:
    if 1 <= line <= len(where):
        w = where[line - 1]
        return Span(w.line, column if w.page is None else w.column, w.page)
    return Span(line, column)


def _remap_note(note: RawNote, where: Sequence[Span], breaks: frozenset[int]) -> RawNote:
    text = note.text
    anchors: list[tuple[int, Span]] = []
    shift = 0
    for i, (offset, span) in enumerate(note.anchors):
        if i and span.line - 1 in breaks and PAGE_BREAK not in text[: offset + shift][-4:]:
            # A page break (or removed running header) cut this note here.
            at = offset + shift
            text = text[:at] + PAGE_BREAK + "\n" + text[at:]
            shift += 2
        anchors.append((offset + shift, _where(where, span.line, span.column)))
    return RawNote(
        number=note.number,
        span=_where(where, note.span.line, note.span.column),
        text=text,
        anchors=tuple(anchors),
        ignored=note.ignored,
        style=note.style,
        label=note.label,
    )


def parse_rendered(
    lines: Sequence[str],
    where: Sequence[Span],
    path: str,
    input_format: str,
    *,
    title: str | None = None,
    doc_date: date | None = None,
    breaks: frozenset[int] = frozenset(),
    findings: tuple[Finding, ...] = (),
) -> RawDocument:
    """Parse rendered lines with the text parser; map positions back through `where`.

    `where[i]` is the original position of `lines[i]`; `breaks` holds the indexes of lines that
    follow a page break or a removed running header (a note continuing there gets `\\f`).
    """
    from citeaudit.parse.text import parse_text

    raw = parse_text("\n".join(lines), path, findings=findings)
    notes = tuple(_remap_note(n, where, breaks) for n in raw.notes)
    claims = tuple(
        RawClaim(_where(where, c.span.line, c.span.column), c.text, c.markers) for c in raw.claims
    )
    ignored = frozenset(_where(where, n, 1).line for n in raw.ignored_lines)
    return dataclasses.replace(
        raw,
        title=title or raw.title,
        date=doc_date or raw.date,
        claims=claims,
        notes=notes,
        input_format=input_format,
        ignored_lines=ignored,
    )


def read_document(
    path: Path, data: bytes, input_format: str | None = None, *, require_notes: bool = True
) -> RawDocument:
    """Detect the format of a document's bytes (unless given) and parse it with its reader.

    `require_notes=False` lets plain text without a notes section through (the `urls` view);
    the HTML, DOCX, PDF and markup (rST, AsciiDoc, LaTeX) readers always need notes. A LaTeX
    source's `.bib` files are read from beside it.
    """
    fmt = detect_format(path, data, input_format)
    name = str(path)
    if fmt == "html":
        from citeaudit.parse.html import read_html

        return dataclasses.replace(read_html(data, name), input_format="html")
    if fmt == "docx":
        from citeaudit.parse.docx import read_docx

        return read_docx(data, name)
    if fmt == "pdf":
        from citeaudit.parse.pdf import read_pdf

        return read_pdf(data, name)
    if fmt == "rst":
        from citeaudit.parse.rst import read_rst

        return read_rst(data, name)
    if fmt == "asciidoc":
        from citeaudit.parse.asciidoc import read_asciidoc

        return read_asciidoc(data, name)
    if fmt == "latex":
        from citeaudit.parse.latex import read_latex, sibling_loader

        return read_latex(data, name, sibling_loader(name))
    from citeaudit.parse.text import decode, parse_text

    text, found = decode(data, name)
    raw = parse_text(
        text, name, findings=found, require_notes=require_notes, markdown=fmt == "markdown"
    )
    return dataclasses.replace(raw, input_format=fmt)
