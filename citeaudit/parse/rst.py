"""Read reStructuredText reports: footnotes, citations and hyperlinks, as docutils numbers them.

- Footnotes `.. [1] text` (the text may start on the next, indented line), auto-numbered
  `.. [#]` and `.. [#label]`, auto-symbol `.. [*]`, and citations `.. [Key2020] text`; markers
  `[1]_`, `[#]_`, `[#label]_`, `[*]_`, `[Key2020]_`. Auto-numbered footnotes take, in the order
  they are defined, the smallest numbers no hand-numbered footnote uses; `[#]_` markers take the
  anonymous ones in order, as docutils does. Citations and symbol footnotes are numbered after.
- Hyperlinks `` `text <url>`_ `` (also `__` and multi-line), named references `` `text`_ `` and
  `word_` to `.. _text: url` targets, anonymous `` `text`__ `` to `.. __: url` in order, and bare
  URLs: a sentence holding any is an INLINE claim.
- Literal blocks (after `::`), code directives, doctest blocks, comments and inline literals
  never cite. Section titles are never claims; the first one is the document's title.

One pass over the lines classifies them (linear), a second renders each paragraph and note with
every piece at the line and column it was written on (`parse.markup`).
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field

from citeaudit.models import Span
from citeaudit.parse.dates import find_date
from citeaudit.parse.markup import Lines, Pieces, check_size, finish, note_of
from citeaudit.parse.raw import RawDocument, RawNote
from citeaudit.parse.rst_numbers import Block, Numbers, number_notes, ref_name
from citeaudit.parse.rst_sphinx import CITE_ROLE, Cites, bib_library, cite_keys, role_text
from citeaudit.parse.siblings import Loader
from citeaudit.parse.text import decode

_IGNORE_COMMENT = re.compile(r"^\s*\.\.\s")
_EXPLICIT = re.compile(r"^(\s*)\.\.(?:\s+|$)")
_FOOTNOTE = re.compile(r"\[([^\]\s]{1,100})\](?:\s+|$)")
_TARGET = re.compile(r"__:(?:\s+|$)|_(`[^`]{1,500}`|[^:`][^:]{0,500}):(?:\s+|$)")
_DIRECTIVE = re.compile(r"([\w:.+-]{1,60})::(?:\s+|$)")
_OPTION = re.compile(r"^\s*:[\w .-]{1,60}:")
_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1{2,}\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-*+•‣⁃]|\d{1,9}[.)]|#[.)]|\(\d{1,9}\)|[a-zA-Z][.)])\s+")
_LINE_BLOCK = re.compile(r"^(\s*)\|\s+")
_CODE_DIRECTIVES = frozenset(
    """code code-block sourcecode literalinclude raw highlight math include image figure
    parsed-literal csv-table list-table table toctree only ifconfig graphviz uml testcode
    doctest testoutput""".split()
)
_INLINE = re.compile(
    r"``(?P<lit>.{1,4000}?)``"
    r"|:(?:code|literal|samp|kbd|file|command|math|program|envvar):`(?P<role>[^`]{0,4000})`"
    r"|(?<![\w`]):(?P<xrole>[A-Za-z][\w.+-]{0,40}(?::[A-Za-z][\w.+-]{0,40}){0,2}):"
    r"`(?P<xbody>[^`]{0,4000})`"
    r"|`(?P<etext>[^`<]{0,4000}?)\s*<(?P<target>[^`>]{1,8000})>`(?P<eund>__?)"
    r"|`(?P<rname>[^`]{1,1000})`(?P<rund>__?)(?![\w])"
    r"|\[(?P<fn>[^\]\s]{1,100})\]_(?![\w])"
    r"|(?<![\w`/.:-])(?P<word>[A-Za-z0-9][\w.+-]{0,200}?)(?P<wund>__?)(?![\w`])",
    re.DOTALL,
)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


@dataclass
class _Scan:
    blocks: list[Block] = field(default_factory=list)
    targets: dict[str, tuple[str, Span]] = field(default_factory=dict)
    anonymous: list[tuple[str, Span]] = field(default_factory=list)


def _body_end(lines: list[str], start: int, indent: int) -> int:
    """The first line after `start` that is not blank and not indented more than `indent`."""
    j = start + 1
    last = start + 1
    while j < len(lines):
        if lines[j].strip():
            if _indent(lines[j]) <= indent:
                break
            last = j + 1
        j += 1
    return last


def _explicit(lines: list[str], i: int, scan: _Scan) -> int:
    """Read the explicit markup block at line `i`; the index of the line after it."""
    line = lines[i]
    m = _EXPLICIT.match(line)
    assert m is not None
    indent = len(m.group(1))
    at = m.end()
    rest = line[at:]
    end = _body_end(lines, i, indent)
    body = [(j, _indent(lines[j]), lines[j].strip()) for j in range(i + 1, end) if lines[j].strip()]
    fn = _FOOTNOTE.match(rest)
    if fn:
        block = Block("note", label=fn.group(1))
        first = line[at + fn.end() :].strip()
        if first:
            block.lines.append((i, at + fn.end(), first))
        block.lines.extend(body)
        scan.blocks.append(block)
        return end
    target = _TARGET.match(rest)
    if target:
        text = line[at + target.end() :].strip()
        where = Span(i + 1, at + target.end() + 1)
        if not text and body:
            where = Span(body[0][0] + 1, body[0][1] + 1)
        # Whitespace inside a target URI is not part of it (docutils joins the lines).
        url = "".join([text, *(t for _, _, t in body)]).replace(" ", "")
        if target.group(1) is None:
            scan.anonymous.append((url, where))
        else:
            scan.targets.setdefault(ref_name(target.group(1)), (url, where))
        return end
    directive = _DIRECTIVE.match(rest)
    if directive and directive.group(1).lower() not in _CODE_DIRECTIVES:
        # An admonition's body is text like any other; its options are not.
        j = i + 1
        while j < len(lines) and _OPTION.match(lines[j]) and _indent(lines[j]) > indent:
            j += 1
        return j
    return end  # a code directive or a comment: nothing in it cites


def _scan(lines: list[str]) -> _Scan:
    scan = _Scan()
    current: Block | None = None
    literal_indent: int | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            current = None
            i += 1
            continue
        indent = _indent(line)
        if literal_indent is not None:
            if current is None and indent > literal_indent:
                # The literal block a `::` announced: skipped to its end.
                i = _body_end(lines, i - 1, literal_indent)
                literal_indent = None
                continue
            if current is None:
                literal_indent = None
        if stripped.startswith(">>>") and current is None:
            while i < len(lines) and lines[i].strip():
                i += 1
            continue
        if _EXPLICIT.match(line):
            current = None
            i = _explicit(lines, i, scan)
            continue
        if _ADORNMENT.match(line):
            if current is not None and len(current.lines) == 1 and current.kind == "text":
                current.kind = "title"
            elif (
                current is None
                and i + 2 < len(lines)
                and lines[i + 1].strip()
                and _ADORNMENT.match(lines[i + 2])
            ):
                title = lines[i + 1]
                scan.blocks.append(Block("title", [(i + 1, _indent(title), title.strip())]))
                i += 2
            current = None
            i += 1
            continue
        bullet = _BULLET.match(line) or _LINE_BLOCK.match(line)
        column = bullet.end() if bullet else indent
        if current is None or bullet:
            current = Block("text")
            scan.blocks.append(current)
            literal_indent = None
        current.lines.append((i, column, line[column:].rstrip()))
        if stripped.endswith("::"):
            literal_indent = _indent(lines[current.lines[0][0]])
        i += 1
    return scan


@dataclass
class _Renderer:
    scan: _Scan
    numbers: Numbers
    cites: Cites
    next_anonymous_target: int = 0

    def render(self, block: Block) -> Pieces:
        """The pieces of one block: its text, markers and links at their source positions."""
        src = Lines(tuple(block.lines))
        out = Pieces()
        last = 0
        for m in _INLINE.finditer(src.text):
            src.copy(out, last, m.start())
            last = m.end()
            if m.group("lit") is not None:
                src.copy(out, m.start("lit"), m.end("lit"), masked=True)
            elif m.group("role") is not None:
                src.copy(out, m.start("role"), m.end("role"), masked=True)
            elif m.group("xbody") is not None:
                self._role(m, src, out)
            elif m.group("target") is not None:
                self._embedded(m, src, out)
            elif m.group("rname") is not None:
                self._named(m.group("rname"), m.group("rund"), out)
                src.copy(out, m.start("rname"), m.end("rname"))
            elif m.group("fn") is not None:
                out.mark([self.numbers.resolve(m.group("fn"))], src.at(m.start()))
            elif self._named(m.group("word"), m.group("wund"), out):
                src.copy(out, m.start("word"), m.end("word"))
            else:
                src.copy(out, m.start(), m.end())
        src.copy(out, last, len(src.text))
        return out

    def _role(self, m: re.Match[str], src: Lines, out: Pieces) -> None:
        """A Sphinx role: a citation of `.bib` entries, else a cross-reference, never a source."""
        role, body = m.group("xrole").lower(), m.group("xbody")
        if CITE_ROLE.match(role):
            at = src.at(m.start())
            out.mark([self.cites.number(key, at, role) for key in cite_keys(body)], at)
            return
        shown = role_text(body)
        start = m.start("xbody") + body.find(shown)
        # Masked: a project's own page (`:doc:`, `:ref:`) is shown, and is no source.
        src.copy(out, start, start + len(shown), masked=True)

    def _embedded(self, m: re.Match[str], src: Lines, out: Pieces) -> None:
        url = "".join(m.group("target").split())
        if url.endswith("_") and "://" not in url:
            # `text <name_>`_ points at a target defined elsewhere.
            self._named(url[:-1], "_", out)
            src.copy(out, m.start("etext"), m.end("etext"))
            return
        out.link(m.group("etext"), src.at(m.start()), url, src.at(m.start("target")))

    def _named(self, name: str, underscores: str, out: Pieces) -> bool:
        if underscores == "__":
            if self.next_anonymous_target < len(self.scan.anonymous):
                out.refer(*self.scan.anonymous[self.next_anonymous_target])
                self.next_anonymous_target += 1
                return True
            return False
        found = self.scan.targets.get(ref_name(name))
        seen: set[str] = set()
        # A target may point at another (`.. _a: b_`): follow the chain, once each.
        while found and found[0].endswith("_") and "://" not in found[0]:
            alias = ref_name(found[0][:-1])
            if alias in seen:
                found = None
                break
            seen.add(alias)
            found = self.scan.targets.get(alias)
        if found:
            out.refer(*found)
            return True
        return False


_UNRESOLVED = (
    "its :cite: keys are in no .bib file (looked in the bibtex_bibfiles of conf.py and the "
    "files `.. bibliography::` names)"
)


def _same(ref: Hashable) -> int:
    assert isinstance(ref, int)
    return ref


def read_rst(data: bytes, path: str, load: Loader | None = None) -> RawDocument:
    """Parse a reStructuredText report into claims and notes; `load` reads its `.bib` files."""

    text, findings = decode(data, path)
    lines = [line.rstrip("\r") for line in text.split("\n")]
    scan = _scan(lines)
    numbers = number_notes(scan.blocks)
    check_size(len(numbers.of_block), path)
    after = max([n for n, _, _ in numbers.of_block.values()] + [0])
    cites = Cites(after, bib_library(lines, load))
    renderer = _Renderer(scan, numbers, cites)
    notes: list[RawNote] = []
    rendered = []
    title: str | None = None
    for k, block in enumerate(scan.blocks):
        pieces = renderer.render(block)
        if block.kind == "title":
            title = title or " ".join(pieces.build(_same).text.split())
        elif block.kind == "note":
            number, label, style = numbers.of_block[k]
            notes.append(note_of(number, pieces.build(_same), style, label))
        elif pieces.visible():
            rendered.append(pieces.build(_same))
    notes.extend(cites.notes())
    return finish(
        notes,
        rendered,
        path=path,
        lines=lines,
        comment=_IGNORE_COMMENT,
        looked_for="footnotes `.. [1]`, citations `.. [Key]`, :cite: roles with a .bib",
        title=title,
        date=find_date(lines),
        findings=findings,
        input_format="rst",
        after=cites.after,
        unresolved=_UNRESOLVED if cites.unknown else None,
    )
