"""Bibliography entries as notes: `.bib` files read with bibtexparser, numbered as cited.

A cited entry is one note, numbered in order of first citation after every footnote, whose
sources are its `url`, `doi` (as `https://doi.org/<doi>`), `howpublished` and arXiv `eprint`
fields, after its title. `\\nocite` keys (and `\\nocite{*}`) are notes never cited.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Hashable

import bibtexparser

from citeaudit.models import CitationStyle, Span
from citeaudit.parse.latex_scan import URL_ESCAPE, LatexDoc, plain
from citeaudit.parse.markup import Pieces, note_of
from citeaudit.parse.raw import RawNote
from citeaudit.parse.sentences import footnote_label_number

_BIB_FIELDS = ("url", "doi", "howpublished", "eprint")

# bibtexparser logs every block it cannot parse; the document still reads, with those keys missing
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


def bib_entries(data: bytes) -> dict[str, dict[str, str]]:
    """The entries of a `.bib` file by key: their fields, names lowercased (first key wins)."""
    library = bibtexparser.parse_string(data.decode("utf-8", errors="replace"))
    entries: dict[str, dict[str, str]] = {}
    for entry in library.entries:
        fields = {k.lower(): str(f.value) for k, f in entry.fields_dict.items()}
        entries.setdefault(entry.key, fields)
    return entries


def bib_note(fields: dict[str, str], where: Span) -> Pieces:
    """An entry's note: its title, then each URL field, all at the citation that cites it."""
    out = Pieces()
    title = " ".join(plain(fields.get("title", "")).split())
    if title:
        out.add(title + ".", where)
    for name in _BIB_FIELDS:
        value = fields.get(name, "").strip()
        if not value:
            continue
        if name == "doi":
            doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", value, flags=re.I)
            value = "https://doi.org/" + URL_ESCAPE.sub(r"\1", doi)
        elif (
            name == "eprint"
            and fields.get("eprinttype", fields.get("archiveprefix", "")).lower() != "arxiv"
        ):
            continue
        elif name == "eprint":
            value = "https://arxiv.org/abs/" + value
        else:
            inner = re.search(r"\\url\s*\{([^{}]*)\}", value)
            value = URL_ESCAPE.sub(r"\1", inner.group(1) if inner else value)
        out.add(" ", where)
        out.add(value, where)
    return out


def resolve_citations(
    doc: LatexDoc, entries: dict[str, dict[str, str]], first_cite: dict[str, Span]
) -> tuple[Callable[[Hashable], int], list[RawNote]]:
    """Number the cited entries after the footnotes: the resolver of references, their notes."""
    numbers: dict[Hashable, int] = {("fn", n): n for n in doc.footnotes}
    after = max(list(doc.footnotes) + [0])
    notes: list[RawNote] = []
    unknown: dict[str, int] = {}
    for key in [*doc.cited, *(k for k in doc.nocite if k not in doc.cited)]:
        if key == "*":
            continue
        fields = entries.get(key)
        item = doc.bibitems.get(key)
        if fields is None and item is None:
            continue
        after += 1
        numbers[("cite", key)] = after
        where = first_cite.get(key, Span(1))
        pieces = item if item is not None else bib_note(fields or {}, where)
        notes.append(note_of(after, pieces.build(lambda r: 0), CitationStyle.BIBLIOGRAPHY, key))
    if "*" in doc.nocite:
        for key, fields in entries.items():
            if ("cite", key) not in numbers:
                after += 1
                numbers[("cite", key)] = after
                notes.append(
                    note_of(
                        after,
                        bib_note(fields, Span(1)).build(lambda r: 0),
                        CitationStyle.BIBLIOGRAPHY,
                        key,
                    )
                )

    def resolve(ref: Hashable) -> int:
        if ref in numbers:
            return numbers[ref]
        assert isinstance(ref, tuple)
        return footnote_label_number(unknown, str(ref[1]))

    return resolve, notes


def first_cites(doc: LatexDoc) -> dict[str, Span]:
    """Where each key is first cited."""
    first: dict[str, Span] = {}
    for pieces in [*doc.paragraphs, *doc.footnotes.values()]:
        for text, where, _ in pieces.items:
            if not isinstance(text, str) and where is not None:
                for ref in text.refs:
                    if isinstance(ref, tuple) and ref[0] == "cite":
                        first.setdefault(str(ref[1]), where)
    return first
