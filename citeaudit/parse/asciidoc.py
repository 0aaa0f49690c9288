"""Read AsciiDoc reports: footnotes, links, and bibliography references, as Asciidoctor reads them.

- `footnote:[text]` is a note cited where it stands, numbered in order of appearance;
  `footnote:name[text]` names it and a later `footnote:name[]` cites the same note again (the old
  `footnoteref:[name,text]` / `footnoteref:[name]` too). Its text may hold links and `\\]`.
- `link:url[text]`, `https://url[text]`, `<https://url>` and bare URLs make their sentence an
  INLINE claim.
- `<<key>>` cites a bibliography entry `[[[key]]]` (or `[[[key,label]]]`): one note per entry,
  numbered after every footnote, in the order the entries are listed.
- Comments (`//` lines, `////` blocks), listing, literal and passthrough blocks, indented literal
  paragraphs, `[source]` paragraphs and inline monospace never cite. `= Title` is the title;
  section titles are never claims.

Lines are classified in one pass; each block is then rendered once (`parse.markup`), bracketed
arguments matched by counting, so the work is linear in the document.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field

from citeaudit.models import CitationStyle, Span
from citeaudit.parse.dates import find_date
from citeaudit.parse.markup import Lines, Pieces, check_size, finish, note_of
from citeaudit.parse.raw import RawDocument, RawNote
from citeaudit.parse.sentences import footnote_label_number
from citeaudit.parse.text import decode

_IGNORE_COMMENT = re.compile(r"^\s*//")
_SKIPPED_BLOCKS = re.compile(r"^(?:/{4,}|-{4,}|\.{4,}|\+{4,}|`{3}.*)\s*$")
_OPEN_BLOCKS = re.compile(r"^(?:={4,}|\*{4,}|_{4,}|--|\|={3,}|:={3,})\s*$")
_ATTRIBUTE_ENTRY = re.compile(r"^:!?([\w-]+)!?:(?:[ \t]+(.*))?$")
_PREPROCESSOR = re.compile(r"^(?:include|ifdef|ifndef|ifeval|endif)::\S*\[.*\]$")
_BLOCK_MACRO = re.compile(r"^[a-z]+::\S*\[.*\]\s*$")
_URL = re.compile(r"^(?:https?|ftp)://\S+$")
_BLOCK_ATTRIBUTES = re.compile(r"^\[([^\[\]]*)\]\s*$")
_BLOCK_TITLE = re.compile(r"^\.[^.\s]")
_TITLE = re.compile(r"^(={1,6}|#{1,6})\s+(\S.*)$")
_BULLET = re.compile(r"^\s*(?:\*{1,5}|-|\.{1,5}|\d{1,9}\.|[a-zA-Z]\.|<\d{1,3}>)\s+")
_BIBLIOGRAPHY_ANCHOR = re.compile(r"\[\[\[([\w:.-]{1,200})(?:,\s*([^\]]{0,200}))?\]\]\]\s*")
_FOOTNOTE_SCAN = re.compile(
    r"\{[\w-]{1,100}\}\[|\\\]|\]|link:(?:\+\+[^\n]{1,8000}?\+\+|[^\s\[\]]{1,8000})\[|(?:https?|ftp)://[^\s\[\]<>]{1,8000}\["
)
_LITERAL_STYLES = frozenset({"source", "listing", "literal", "stem", "latexmath", "asciimath"})
_INLINE = re.compile(
    r"(?P<footnote>footnote(?P<ref>ref)?:(?P<fid>[\w-]{0,100})\[)"
    r"|(?P<link>link:(?P<ltarget>\+\+[^\n]{1,8000}?\+\+|[^\s\[]{1,8000})\[)"
    r"|(?P<url>(?<![\w/:<])(?:https?|ftp)://[^\s\[\]<>]{1,8000})(?P<ubracket>\[)?"
    r"|(?P<angle><(?P<aurl>(?:https?|ftp)://[^\s<>]{1,8000})>)"
    r"|(?P<attr>\{(?P<aname>[\w-]{1,100})\})(?P<abracket>\[)?"
    r"|(?P<xref><<(?P<xid>[\w:.-]{1,200})(?:,(?P<xtext>[^>\n]{0,500}))?>>)"
    r"|(?P<mono>(?<![\w`])`(?P<monotext>[^`\n][^`]{0,4000}?)`(?![\w`]))"
    r"|(?P<pass>\+\+\+(?P<passtext>.{0,4000}?)\+\+\+|pass:[a-z,]{0,20}\[(?P<passmacro>[^\]]{0,4000})\])",
    re.DOTALL,
)


def _close(text: str, i: int, end: int) -> int:
    """The index of the first `]` after `i` that no backslash escapes, or -1."""
    while True:
        k = text.find("]", i + 1, end)
        if k == -1 or text[k - 1] != "\\":
            return k
        i = k


def _close_footnote(text: str, i: int, end: int) -> int:
    """The `]` ending the footnote text opened at `i`: link macros inside keep their own `]`."""
    at = i + 1
    while True:
        m = _FOOTNOTE_SCAN.search(text, at, end)
        if m is None:
            return -1
        if m.group() == "]":
            return m.start()
        if m.group() == "\\]":
            at = m.end()
            continue
        close = _close(text, m.end() - 1, end)
        if close == -1:
            return -1
        at = close + 1


@dataclass
class _Block:
    kind: str
    rows: list[tuple[int, int, str]] = field(default_factory=list)
    key: str = ""
    label: str = ""


def _scan(lines: list[str]) -> tuple[list[_Block], dict[str, tuple[str, Span]]]:
    """The document's blocks, and its attribute entries (`:name: value`) with their places."""
    blocks: list[_Block] = []
    attributes: dict[str, tuple[str, Span]] = {}
    current: _Block | None = None
    fence: str | None = None
    literal_next = False
    bibliography = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if fence is not None:
            if stripped == fence:
                fence = None
            continue
        if _SKIPPED_BLOCKS.match(stripped):
            fence = "```" if stripped.startswith("```") else stripped
            current = None
            literal_next = False
            continue
        if not stripped:
            current = None
            continue
        if stripped.startswith("//") or _PREPROCESSOR.match(stripped):
            continue
        if current is None:
            if _OPEN_BLOCKS.match(stripped) or stripped == "+":
                continue
            entry = _ATTRIBUTE_ENTRY.match(line)
            if entry:
                value = (entry.group(2) or "").strip()
                attributes[entry.group(1)] = (value, Span(i + 1, entry.start(2) + 1))
                continue
            if _BLOCK_MACRO.match(stripped):
                continue  # include::, image::, toc::, video:: ...
            block_attributes = _BLOCK_ATTRIBUTES.match(stripped)
            if block_attributes and not stripped.startswith("[["):
                first = block_attributes.group(1).split(",")[0].strip().lower()
                literal_next = first in _LITERAL_STYLES
                if first == "bibliography":
                    bibliography = True
                continue
            if _BLOCK_TITLE.match(stripped):
                continue
            title = _TITLE.match(line)
            if title:
                blocks.append(_Block("title" if len(title.group(1)) == 1 else "heading"))
                blocks[-1].rows.append((i, title.start(2), title.group(2).rstrip()))
                bibliography = bibliography and len(title.group(1)) > 2
                continue
            if literal_next or line[:1] in (" ", "\t"):
                # A `[source]` paragraph or an indented literal paragraph: skipped to its end.
                current = _Block("literal")
                literal_next = False
                continue
        elif current.kind == "literal":
            continue
        bullet = _BULLET.match(line)
        if current is None or bullet:
            column = bullet.end() if bullet else len(line) - len(line.lstrip())
            current = _Block("text")
            anchor = _BIBLIOGRAPHY_ANCHOR.match(line, column)
            if anchor and (bibliography or bullet):
                current.kind = "entry"
                current.key = anchor.group(1)
                current.label = (anchor.group(2) or anchor.group(1)).strip()
                column = anchor.end()
            blocks.append(current)
        else:
            column = len(line) - len(line.lstrip())
        text = line[column:].rstrip()
        if text.endswith(" +"):
            text = text[:-2].rstrip()
        current.rows.append((i, column, text))
    return blocks, attributes


@dataclass
class _Renderer:
    attributes: dict[str, tuple[str, Span]]
    bibliography: frozenset[str]
    footnotes: dict[int, Pieces] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)
    count: int = 0
    unknown: dict[str, int] = field(default_factory=dict)

    def render(self, src: Lines, a: int, b: int, out: Pieces, depth: int = 0) -> None:
        """Render `src.text[a:b]` into `out`: markers, links and masked code in place."""
        text = src.text
        last = a
        i = a
        unclosed = no_bracket = b

        def copy(x: int, y: int) -> None:
            # In a footnote `\]` is a bracket that does not close it.
            while depth and (k := text.find("\\]", x, y)) != -1:
                src.copy(out, x, k)
                x = k + 1
            src.copy(out, x, y)

        while i < b:
            m = _INLINE.search(text, i, b)
            if m is None:
                break
            i = m.end()
            if m.group("footnote"):
                close = -1 if m.start() > unclosed else _close_footnote(text, m.end() - 1, b)
                if close == -1:
                    # No `]` ends it, so none ends a later one either: do not look again.
                    unclosed = min(unclosed, m.start())
                    continue
                copy(last, m.start())
                self.footnote(src, m, close, out, depth)
                last = i = close + 1
            elif m.group("link") or (m.group("url") and m.group("ubracket")):
                close = -1 if m.start() > no_bracket else _close(text, m.end() - 1, b)
                if close == -1:
                    no_bracket = min(no_bracket, m.start())
                    continue
                copy(last, m.start())
                start = m.start("ltarget") if m.group("link") else m.start("url")
                url = m.group("ltarget") or m.group("url")
                if url.startswith("++") and url.endswith("++"):
                    url, start = url[2:-2], start + 2
                label = text[m.end() : close].replace("\\]", "]")
                if "=" in label:
                    # `[text,window=_blank]`: attributes follow the text.
                    label = label.split(",")[0]
                label = label.rstrip("^").strip('"')
                out.link(label, src.at(m.start()), url, src.at(start))
                last = i = close + 1
            elif m.group("attr"):
                value, defined = self.attributes.get(m.group("aname"), ("", Span(1)))
                if not _URL.match(value):
                    continue  # not a URL: its text is not this reader's business
                close = _close(text, m.end() - 1, b) if m.group("abracket") else m.end() - 1
                if close == -1:
                    continue
                copy(last, m.start())
                label = text[m.end() : close] if m.group("abracket") else ""
                # `{url-name}[text]`: the URL is written where the attribute is defined.
                out.link(
                    label.split(",")[0] if "=" in label else label,
                    src.at(m.start()),
                    value,
                    defined,
                )
                last = i = close + 1
            elif m.group("url") or m.group("angle"):
                continue  # the catalog finds a bare URL or an autolink as it is written
            elif m.group("xref"):
                copy(last, m.start())
                key = m.group("xid")
                if key in self.bibliography:
                    out.mark([("bib", key)], src.at(m.start()))
                else:
                    # A cross-reference to a section or an anchor: its text, not a citation.
                    shown = m.group("xtext") if m.group("xtext") is not None else key
                    start = m.start("xtext") if m.group("xtext") is not None else m.start("xid")
                    src.copy(out, start, start + len(shown))
                last = i
            elif m.group("mono"):
                copy(last, m.start())
                src.copy(out, m.start("monotext"), m.end("monotext"), masked=True)
                last = i
            else:
                copy(last, m.start())
                inner = "passtext" if m.group("passtext") is not None else "passmacro"
                src.copy(out, m.start(inner), m.end(inner), masked=True)
                last = i
        copy(last, b)

    def footnote(self, src: Lines, m: re.Match[str], close: int, out: Pieces, depth: int) -> None:
        body_start = m.end()
        name = m.group("fid")
        if m.group("ref"):
            # footnoteref:[name,text] defines; footnoteref:[name] cites it again.
            inside = src.text[body_start:close]
            name, _, rest = inside.partition(",")
            name = name.strip()
            body_start += len(inside) - len(rest) if rest else len(inside)
        has_text = bool(src.text[body_start:close].strip())
        if name and not has_text:
            number = self.names.get(name)
            if number is None:
                number = footnote_label_number(self.unknown, name)
            out.mark([("fn", number)], src.at(m.start()))
            return
        self.count += 1
        number = self.count
        if name:
            self.names.setdefault(name, number)
        note = Pieces()
        if depth < 20:
            self.render(src, body_start, close, note, depth + 1)
        inner = [r for t, _, _ in note.items if not isinstance(t, str) for r in t.refs]
        self.footnotes[number] = note
        out.mark([("fn", number), *inner], src.at(m.start()))


def read_asciidoc(data: bytes, path: str) -> RawDocument:
    """Parse an AsciiDoc report into claims and notes (positions are source lines)."""

    text, findings = decode(data, path)
    lines = [line.rstrip("\r") for line in text.split("\n")]
    blocks, attributes = _scan(lines)
    renderer = _Renderer(attributes, frozenset(b.key for b in blocks if b.kind == "entry"))
    title: str | None = None
    heading: str | None = None
    paragraphs: list[Pieces] = []
    entries: list[tuple[_Block, Pieces]] = []
    for block in blocks:
        if not block.rows:
            continue
        src = Lines(tuple(block.rows))
        out = Pieces()
        renderer.render(src, 0, len(src.text), out)
        if block.kind == "title" or (block.kind == "heading" and heading is None):
            shown = " ".join(out.build(lambda r: 0).text.split())
            if block.kind == "title":
                title = title or shown
            else:
                heading = shown
        elif block.kind == "entry":
            entries.append((block, out))
        elif block.kind == "text" and out.visible():
            paragraphs.append(out)
    numbers: dict[Hashable, int] = {("fn", n): n for n in renderer.footnotes}
    after = max([*renderer.footnotes, 0])
    for block, _ in entries:
        if ("bib", block.key) not in numbers:
            after += 1
            numbers[("bib", block.key)] = after
    unknown = renderer.unknown

    def resolve(ref: Hashable) -> int:
        if ref in numbers:
            return numbers[ref]
        assert isinstance(ref, tuple)
        if ref[0] == "fn":
            return int(ref[1])
        return footnote_label_number(unknown, str(ref[1]))

    notes: list[RawNote] = [
        note_of(n, p.build(resolve), CitationStyle.FOOTNOTES)
        for n, p in sorted(renderer.footnotes.items())
    ]
    seen: set[str] = set()
    for block, pieces in entries:
        if block.key in seen:
            continue
        seen.add(block.key)
        note = note_of(
            numbers[("bib", block.key)], pieces.build(resolve), CitationStyle.BIBLIOGRAPHY
        )
        notes.append(note if block.label == str(note.number) else _labelled(note, block.label))
    check_size(len(notes), path)
    return finish(
        notes,
        (pieces.build(resolve) for pieces in paragraphs),
        path=path,
        lines=lines,
        comment=_IGNORE_COMMENT,
        looked_for="footnote:[...] or <<bibliography>> references",
        title=title or heading,
        date=find_date(lines),
        findings=findings,
        input_format="asciidoc",
    )


def _labelled(note: RawNote, label: str) -> RawNote:
    return RawNote(note.number, note.span, note.text, note.anchors, note.ignored, note.style, label)
