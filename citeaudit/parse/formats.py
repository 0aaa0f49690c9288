"""One entry point for every input format: detect the format, call its reader.

The readers are imported when a document needs them: bs4 and pdfminer cost the start-up of
every run (about 0.5 to 1 s on a loaded machine), the markup readers with bibtexparser and
pylatexenc another 0.1 s, and a run over text or Markdown needs none of them.
The dispatcher holds no reader's helpers; the readers share theirs through `parse.links`,
`parse.rendered` and `parse.markup`. It does not look for URLs: the catalog does that for every
format alike.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from citeaudit.parse.detect import detect_format
from citeaudit.parse.raw import RawDocument
from citeaudit.parse.siblings import sibling_loader
from citeaudit.parse.text import decode, parse_text


def read_document(
    path: Path,
    data: bytes,
    input_format: str | None = None,
    *,
    require_notes: bool = True,
    site_links: bool = False,
) -> RawDocument:
    """Detect the format of a document's bytes (unless given) and parse it with its reader.

    `require_notes=False` lets plain text without a notes section through (the `urls` view);
    the HTML, DOCX, PDF and markup (rST, AsciiDoc, LaTeX) readers always need notes. A LaTeX
    source's `.bib` files are read from beside it. `site_links`: an HTML page's relative links
    are sources (a run given `--base-url`; other formats always read theirs).
    """
    fmt = detect_format(path, data, input_format)
    name = str(path)
    if fmt == "html":
        # deferred: bs4 (start-up, see the module docstring)
        from citeaudit.parse.html import read_html

        return dataclasses.replace(
            read_html(data, name, site_links=site_links), input_format="html"
        )
    if fmt == "docx":
        # deferred: defusedxml and the XML stack (start-up, see the module docstring)
        from citeaudit.parse.docx import read_docx

        return read_docx(data, name)
    if fmt == "pdf":
        # deferred: pdfminer (start-up, see the module docstring)
        from citeaudit.parse.pdf import read_pdf

        return read_pdf(data, name)
    if fmt == "rst":
        # deferred: the rST reader's modules (start-up, see the module docstring)
        from citeaudit.parse.rst import read_rst

        return read_rst(data, name, sibling_loader(name))
    if fmt == "asciidoc":
        # deferred: the AsciiDoc reader's modules (start-up, see the module docstring)
        from citeaudit.parse.asciidoc import read_asciidoc

        return read_asciidoc(data, name)
    if fmt == "latex":
        # deferred: bibtexparser and pylatexenc (start-up, see the module docstring)
        from citeaudit.parse.latex import read_latex

        return read_latex(data, name, sibling_loader(name))
    text, found = decode(data, name)
    raw = parse_text(
        text, name, findings=found, require_notes=require_notes, markdown=fmt == "markdown"
    )
    return dataclasses.replace(raw, input_format=fmt)
