"""Render a subtree of an HTML page to rows of text, links written as Markdown.

Notes boxes of the linked route, and the whole page on the hand-numbered route (whose rows go
to the text parser), are rendered here: block elements break rows, marker links become `[N]`,
backlinks are dropped, `<sup>` digits become markers, and a source link is written with
`links.link_markup` so the catalog reads it as in any other format.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from bs4 import Comment, NavigableString, Tag
from bs4.element import Doctype, ProcessingInstruction

from citeaudit.models import Span
from citeaudit.parse.html_dom import (
    BLOCKS,
    IGNORED,
    LEADING_LABEL,
    NOTES_HEADING,
    WORD,
    attr,
    classes,
    tag_pos,
    text_of,
)
from citeaudit.parse.html_main import Page, source_href
from citeaudit.parse.links import escape_href, link_markup
from citeaudit.parse.raw import RawNote

_BACK_TEXT = re.compile(r"^[\[(]?\s*(?:\d{1,5}|[a-z]|[ivxlc]{1,6})?\s*[\])]?\.?$", re.IGNORECASE)
_BACK_SYMBOLS = "↩↑⤴⬆^︎️ \u00a0"
_SUP_MARKER = re.compile(r"^\s*\d{1,5}(?:\s*[,–-]\s*\d{1,5}){0,20}\s*$")
_EMPTY_BRACKETS = re.compile(r"\[\s*\](?!\()")
_HREF_VALUE = re.compile(r"""\bhref\s*=\s*["']?""", re.IGNORECASE)


@dataclass
class _Block:
    """One block of rendered text: its lines and the source line of each."""

    lines: list[str] = field(default_factory=lambda: [""])
    where: list[Span] = field(default_factory=list)
    soft: set[int] = field(default_factory=set)
    """Lines that continue the line before (cut only to keep a link's own source line)."""
    links: list[tuple[str, str]] = field(default_factory=list)
    """(Markdown written, visible text) of each source link added."""
    words: bool = False
    """Text other than link text was added."""

    def add(self, text: str, pos: Span, visible: str | None = None) -> None:
        if not text:
            return
        if len(self.where) < len(self.lines) and text.strip():
            self.where.append(pos)
        self.lines[-1] += text
        if visible is not None:
            self.links.append((text, visible))
        elif WORD.search(text):
            self.words = True

    def newline(self, soft: bool = False) -> None:
        if self.lines[-1].strip():
            if soft:
                self.soft.add(len(self.lines))
            self.lines.append("")

    def rows(self) -> list[tuple[str, Span, bool]]:
        out = []
        lines = self.lines
        if self.links and not self.words:
            # Nothing but links ("12 comments Share", a card's title): navigation, no claim.
            for markup, visible in self.links:
                lines = [line.replace(markup, visible) for line in lines]
        for i, (text, pos) in enumerate(zip(lines, self.where, strict=False)):
            text = " ".join(text.split())
            if text:
                out.append((text, pos, i in self.soft))
        return out


def _is_backlink(a: Tag) -> bool:
    if "back" in classes(a).lower() or "backlink" in attr(a, "role"):
        return True
    text = " ".join(text_of(a).split()).strip(_BACK_SYMBOLS)
    return bool(_BACK_TEXT.match(text))


class Source:
    """The decoded HTML source, to find where an attribute's value is written."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def href(self, a: Tag) -> Span:
        """Where the value of `a`'s href begins (the tag's start when it cannot be found)."""
        line, column = a.sourceline or 1, a.sourcepos or 0
        if line > len(self.starts):
            return tag_pos(a)
        at = self.starts[line - 1] + column
        m = _HREF_VALUE.search(self.text, at, min(len(self.text), at + 8000))
        if m is None:
            return tag_pos(a)
        offset = m.end()
        row = bisect_right(self.starts, offset) - 1
        return Span(row + 1, offset - self.starts[row] + 1)


@dataclass
class Body:
    """What the body walk needs to know: markers, chrome, the main content, the page."""

    skip: set[int]
    refs: dict[int, int]
    chrome: set[int]
    inside: set[int]
    page: Page
    source: Source
    hrefs: dict[tuple[int, str], Span] = field(default_factory=dict)
    """(line of the `<a>`, href as rendered) -> where the href is written."""
    site_links: bool = False
    """Relative hrefs in the main content are sources (a run with `--base-url`)."""


def note_from(box: Tag, number: int, scheme: str = "https", *, site_links: bool = False) -> RawNote:
    """A linked note's box as a note: its text rendered, its label and backlinks dropped."""
    skip = {id(t) for t in box.find_all(class_=re.compile("mw-cite-backlink"))}
    body = box.find(class_="reference-text")
    root = body if isinstance(body, Tag) else box
    parts: list[str] = []
    anchors: list[tuple[int, Span]] = []
    offset = 0
    for text, where, _ in render(
        root, skip=skip, links=True, backlinks=True, scheme=scheme, site_links=site_links
    ):
        if parts:
            parts.append("\n")
            offset += 1
        if not parts:
            text = LEADING_LABEL.sub("", text, count=1)
        anchors.append((offset, where))
        parts.append(text)
        offset += len(text)
    # Brackets left around a removed backlink ("[↩]") are noise.
    text = _EMPTY_BRACKETS.sub("", "".join(parts)).strip()
    return RawNote(number, tag_pos(box), text, tuple(anchors))


def render(
    root: Tag,
    *,
    skip: set[int] | None = None,
    links: bool | None,
    backlinks: bool = False,
    refs: dict[int, int] | None = None,
    body: Body | None = None,
    scheme: str = "https",
    site_links: bool = False,
) -> Iterator[tuple[str, Span, bool]]:
    """Rendered (line, source position, continues the row before) rows of a subtree.

    `links`: True writes every web link as Markdown, False never, None only after a notes
    heading (the hand-numbered route), and before it the links `body` counts as sources.
    `refs` maps marker links to their note number. `site_links`: relative hrefs are sources.
    """
    skip = skip or set()
    refs = refs or {}
    notes_mode = bool(links)
    cur = _Block()
    last = tag_pos(root)
    # Stack of (node, exiting): a closing entry flushes the block a block element opened.
    stack: list[tuple[object, bool]] = [(root, False)]
    ol_counters: dict[int, int] = {}
    while stack:
        node, exiting = stack.pop()
        if exiting:
            assert isinstance(node, Tag)
            if node.name in BLOCKS:
                rows = cur.rows()
                if links is None and rows and NOTES_HEADING.match(rows[0][0]) and len(rows) == 1:
                    notes_mode = True
                yield from rows
                cur = _Block()
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, Comment | Doctype | ProcessingInstruction):
                cur.add(str(node), last)
            continue
        if not isinstance(node, Tag) or id(node) in skip:
            continue
        last = tag_pos(node)
        name = node.name
        if name in IGNORED:
            continue
        if body is not None and not notes_mode:
            if id(node) in body.chrome:
                continue
            href = source_href(node, body.page, site_links=body.site_links) if name == "a" else None
            if href is not None and id(node) in body.inside and text_of(node).strip():
                # A link on a later source line starts a rendered line: it keeps its own line.
                if cur.where and cur.where[-1].line != last.line:
                    cur.newline(soft=True)
                markup = link_markup(text_of(node), href, relative=body.site_links)
                cur.add(markup, last, visible=text_of(node))
                body.hrefs.setdefault((last.line, escape_href(href)), body.source.href(node))
                continue
            navigation = attr(node, "href").strip()[:1] not in ("", "#")
            if name == "a" and navigation and node.find("sup") is None:
                # Link text, if no source: it counts as link text for link-only blocks.
                cur.add(text_of(node), last, visible=text_of(node))
                continue
        if name == "br":
            cur.newline()
            continue
        if name == "a" and id(node) in refs:
            cur.add(f"[{refs[id(node)]}]", last)
            continue
        if name == "a" and backlinks and attr(node, "href").startswith("#") and _is_backlink(node):
            continue
        if name == "a" and notes_mode and attr(node, "href"):
            href = attr(node, "href").strip()
            href = f"{scheme}:{href}" if href.startswith("//") else href
            cur.add(" " + link_markup(text_of(node), href, relative=site_links) + " ", last)
            continue
        if name == "sup" and links is None and not notes_mode and not node.find("a"):
            text = text_of(node)
            if _SUP_MARKER.match(text):
                cur.add(f"[{text.strip()}]", last)
                continue
        if name in BLOCKS:
            yield from cur.rows()
            cur = _Block()
            if name == "li" and notes_mode and links is None:
                parent = node.parent
                key = id(parent)
                if parent is not None and parent.name == "ol":
                    start = attr(parent, "start")
                    n = ol_counters.get(key, int(start) - 1 if start.isdigit() else 0) + 1
                    value = attr(node, "value")
                    n = int(value) if value.isdigit() else n
                    ol_counters[key] = n
                    if not LEADING_LABEL.match(text_of(node)[:12]):
                        cur.add(f"[{n}] ", last)
            stack.append((node, True))
        children = list(node.children)
        stack.extend((child, False) for child in reversed(children))
    yield from cur.rows()
