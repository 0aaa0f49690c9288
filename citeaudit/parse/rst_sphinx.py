"""Sphinx in reStructuredText: sphinxcontrib-bibtex citations, and roles that are no sources.

- `:cite:` and its forms (`:cite:p:`, `:cite:t:`, `:cite:ps:`, `:footcite:`, `:footcite:t:`,
  ...) cite the `.bib` entries their comma-separated keys name (pre- and post-text in braces,
  `{see}key{p. 2}`, is no key). An entry is one note, numbered in order of first citation after
  every footnote, whose sources are its `url`, `doi`, `howpublished` and arXiv `eprint` fields,
  read as the LaTeX reader reads them (`latex_bib`). A key no `.bib` defines is a marker without
  a note, which the catalog reports.
- The `.bib` files are those `bibtex_bibfiles` lists in the Sphinx project's `conf.py` (beside
  the document, or one or two folders up, where a project keeps it), and those an older
  sphinxcontrib-bibtex's `.. bibliography:: refs.bib` directive names.
- Any other role (`:ref:`, `:doc:`, `:numref:`, `:term:`, `:py:func:`, ...) refers to the
  project itself: its visible text stays in the claim, and it is never a source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from citeaudit.models import CitationStyle, Span
from citeaudit.parse.latex_bib import bib_entries, bib_note
from citeaudit.parse.markup import note_of
from citeaudit.parse.raw import RawNote
from citeaudit.parse.sentences import footnote_label_number
from citeaudit.parse.siblings import Loader

CITE_ROLE = re.compile(r"(?:foot)?cite(?::[a-z]{1,10})?$")
"""The role names of sphinxcontrib-bibtex citations (`cite`, `cite:p`, `footcite:t`, ...)."""
_BRACED = re.compile(r"\{[^{}]{0,500}\}")
_TITLED = re.compile(r"(.*?)\s*<[^<>]*>\s*$", re.DOTALL)
_BIBFILES = re.compile(r"^bibtex_bibfiles\s*=\s*[\[(]([^\])]{0,4000})[\])]", re.MULTILINE)
_QUOTED = re.compile(r"""["']([^"'\n]{1,500})["']""")
_BIB_DIRECTIVE = re.compile(r"^\s*\.\.\s+bibliography::[ \t]*(\S[^\n]*)?$")
_CONF_PLACES = ("", "../", "../../")


def cite_keys(body: str) -> list[str]:
    """The keys a cite role names.

    >>> cite_keys("{see}knuth1984, lamport1994{p. 2}")
    ['knuth1984', 'lamport1994']
    """
    return [key.strip() for key in _BRACED.sub("", body).split(",") if key.strip()]


def role_text(body: str) -> str:
    """What a cross-reference role shows (a piece of `body`).

    >>> role_text("Installing <install>"), role_text("~pkg.mod.func"), role_text("guide/index")
    ('Installing', 'func', 'guide/index')
    """
    titled = _TITLED.match(body)
    if titled and titled.group(1).strip():
        return titled.group(1).strip()
    body = body.strip()
    if body.startswith("~"):
        return body.rsplit(".", 1)[-1]
    return body.lstrip("!")


def bib_names(lines: Sequence[str], load: Loader) -> list[str]:
    """The `.bib` files a Sphinx document cites from, named relative to the document."""
    names: list[str] = []
    for line in lines:
        directive = _BIB_DIRECTIVE.match(line) if "bibliography::" in line else None
        if directive and directive.group(1):
            names.extend(directive.group(1).split())
    for place in _CONF_PLACES:
        conf = load(place + "conf.py")
        if conf is None:
            continue
        listed = _BIBFILES.search(conf.decode("utf-8", errors="replace"))
        if listed:
            names.extend(place + name for name in _QUOTED.findall(listed.group(1)))
        break  # the nearest conf.py is the project's
    return list(dict.fromkeys(names))


def bib_library(lines: Sequence[str], load: Loader | None) -> dict[str, dict[str, str]]:
    """Every entry of the document's `.bib` files by key (the first file defining a key wins)."""
    entries: dict[str, dict[str, str]] = {}
    if load is None:
        return entries
    for name in bib_names(lines, load):
        data = load(name)
        if data is None:
            continue  # its keys stay markers without notes
        for key, fields in bib_entries(data).items():
            entries.setdefault(key, fields)
    return entries


@dataclass
class Cites:
    """Numbers of cited `.bib` entries, in order of first citation after `after`."""

    after: int
    entries: dict[str, dict[str, str]]
    numbers: dict[str, int] = field(default_factory=dict)
    first: dict[str, tuple[Span, CitationStyle]] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)

    def number(self, key: str, where: Span, role: str) -> int:
        """The note number a citation of `key` by `role` at `where` cites."""
        if key not in self.entries:
            return footnote_label_number(self.unknown, key)
        if key not in self.numbers:
            self.after += 1
            self.numbers[key] = self.after
            foot = role.startswith("foot")
            self.first[key] = (
                where,
                CitationStyle.FOOTNOTES if foot else CitationStyle.BIBLIOGRAPHY,
            )
        return self.numbers[key]

    def notes(self) -> list[RawNote]:
        """One note per cited entry: its title and URL fields, at its first citation."""
        out = []
        for key, number in self.numbers.items():
            where, style = self.first[key]
            pieces = bib_note(self.entries[key], where)
            out.append(note_of(number, pieces.build(lambda ref: 0), style, key))
        return out
