"""Read LaTeX sources: footnotes, hyperlinks, and citations resolved through a `.bib` file.

- `\\footnote{...}` (also `\\footnote[n]{...}`, `\\footnotemark` + `\\footnotetext`) is a note
  cited where it stands, numbered as LaTeX numbers it; nested braces, `\\url{}` and
  `\\href{}{}` inside it are read.
- `\\cite{a,b}` and its natbib/biblatex kin (`\\citep`, `\\parencite`, `\\autocite`, ...) cite the
  bibliography entries a, b: one note per entry, numbered in order of first citation after every
  footnote, whose sources are the entry's `url`, `doi` (as `https://doi.org/<doi>`) and
  `howpublished` fields. The entries come from `\\bibliography{refs}` / `\\addbibresource{..}`
  files, read through the `load` callback (the reader does no I/O), or from a
  `thebibliography` environment's `\\bibitem`s. `\\nocite` keys are notes never cited.
- `\\url{}` and `\\href{}{}` in the running text make their sentence an INLINE claim.
- Comments (`%` to the end of the line), `\\verb`, and verbatim, listing, minted and comment
  environments never cite; the preamble is not body text.

The source is read in one pass with an index (no backtracking); groups are matched by counting
braces, and only footnotes, link texts and titles recurse, a bounded number of levels.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from citeaudit.models import CitationStyle
from citeaudit.parse.dates import find_date
from citeaudit.parse.latex_bib import bib_entries, first_cites, resolve_citations
from citeaudit.parse.latex_input import expand_inputs
from citeaudit.parse.latex_scan import Scanner
from citeaudit.parse.markup import Pieces, check_size, finish, note_of
from citeaudit.parse.raw import RawDocument, RawNote
from citeaudit.parse.siblings import Loader
from citeaudit.parse.text import decode

_IGNORE_COMMENT = re.compile(r"^\s*%")


def read_latex(data: bytes, path: str, load: Loader | None = None) -> RawDocument:
    """Parse a LaTeX source into claims and notes; `load` reads the files it includes and cites."""

    text, findings = decode(data, path)
    text = text.replace("\r\n", "\n")
    expanded = expand_inputs(text, load, PurePath(path).name)
    scanner = Scanner(expanded.text, expanded.at if expanded.included else None)
    last = scanner.run(0, len(expanded.text), Pieces(), 0)
    scanner.paragraph(last, True)
    doc = scanner.doc
    entries: dict[str, dict[str, str]] = {}
    for name in doc.bibfiles:
        wanted = name if name.endswith(".bib") else name + ".bib"
        found = load(wanted) if load is not None else None
        if found is None:
            # Its keys stay unresolved: each citation is reported as a marker without a note.
            continue
        for key, fields in bib_entries(found).items():
            entries.setdefault(key, fields)
    resolve, bib_notes = resolve_citations(doc, entries, first_cites(doc))
    notes: list[RawNote] = [
        note_of(n, p.build(resolve), CitationStyle.FOOTNOTES)
        for n, p in sorted(doc.footnotes.items())
    ]
    notes.extend(bib_notes)
    check_size(len(notes), path)
    paragraphs = [pieces.build(resolve) for pieces in doc.paragraphs]
    named = doc.title or doc.heading
    title = " ".join(named.build(resolve).text.split()) if named else None
    if doc.date is not None and doc.date.visible():
        when = find_date([doc.date.build(resolve).text])
    else:
        # No \date (or `\date{}`): the first lines of the text (a date printed under the title).
        when = find_date([r.text[:500] for r in paragraphs[:10]])
    return finish(
        notes,
        paragraphs,
        path=path,
        lines=text.split("\n"),
        comment=_IGNORE_COMMENT,
        looked_for="\\footnote{}, no \\cite{} with a bibliography",
        title=title or None,
        date=when,
        findings=(*findings, *expanded.findings),
        input_format="latex",
    )
