"""The body of a page with linked notes: sentences citing notes by marker, by link, or both.

An `<a href>` in the main content that is a source (`html_main`: no chrome, no own-site, image,
`#`, `mailto:` link) makes the sentence or list item holding it a claim with one INLINE note,
beside any markers the same sentence carries; each link's URL is anchored at its href in the
source. A block of nothing but links is navigation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import Doctype, ProcessingInstruction

from citeaudit.models import CitationStyle, Span
from citeaudit.parse.headings import is_uncited_heading
from citeaudit.parse.html_dom import (
    BLOCKS,
    HEADINGS,
    IGNORED,
    WORD,
    attr,
    short_text,
    tag_pos,
    text_of,
)
from citeaudit.parse.html_linked import Linked
from citeaudit.parse.html_main import source_href
from citeaudit.parse.html_render import Body
from citeaudit.parse.links import link_markup
from citeaudit.parse.raw import RawClaim, RawNote
from citeaudit.parse.sentences import markers, split_sentences

_BRACKETED = re.compile(r"\[\d{1,5}\]")
# Sphinx writes `[<a href="#id9">3</a>]`: the marker, rendered `[3]`, is bracketed twice
_DOUBLED = re.compile(r"\[(\[\d{1,5}\])\]")


@dataclass
class _Run:
    """The visible text of one block, where each piece came from, and the links it holds."""

    text: str = ""
    anchors: list[tuple[int, Span]] = field(default_factory=list)
    links: list[tuple[int, int, str, Span]] = field(default_factory=list)
    """(start, end) of the link's visible text, its URL, where the href is written."""
    heading: bool = False
    other_links: list[tuple[int, int]] = field(default_factory=list)
    """(start, end) of the text of links that are no sources (navigation, own site)."""

    def link_only(self) -> bool:
        """Nothing but links ("12 comments Share", a card's title): navigation, no claim."""
        at, rest = 0, []
        spans = sorted([(a, b) for a, b, _, _ in self.links] + self.other_links)
        for start, end in spans:
            rest.append(self.text[at:start])
            at = end
        rest.append(self.text[at:])
        return bool(self.links) and not WORD.search(_BRACKETED.sub("", "".join(rest)))

    def add(self, text: str, pos: Span) -> None:
        # Whitespace collapsed as it is added, so every offset stays an offset into `text`.
        collapsed = " ".join(text.split())
        if text[:1].isspace() and self.text and not self.text.endswith(" "):
            self.text += " "
        if not collapsed:
            return
        self.anchors.append((len(self.text), pos))
        self.text += collapsed + (" " if text[-1:].isspace() else "")

    def position(self, offset: int) -> Span:
        """The source position of the character at `offset`."""
        i = bisect_right(self.anchors, offset, key=itemgetter(0)) - 1
        if i < 0:
            return self.anchors[0][1] if self.anchors else Span(1, 1)
        start, where = self.anchors[i]
        return Span(where.line, where.column + offset - start)


def _sentence_note(
    run: _Run, start: int, end: int, number: int, site_links: bool
) -> RawNote | None:
    """The INLINE note of `run.text[start:end]`: the sentence, its links written as Markdown."""
    links = [link for link in run.links if start <= link[0] < end]
    if not links:
        return None
    parts: list[str] = []
    anchors: list[tuple[int, Span]] = [(0, run.position(start))]
    at, length = start, 0
    for link_start, link_end, href, where in links:
        piece = run.text[at:link_start]
        parts.append(piece)
        length += len(piece)
        markup = link_markup(run.text[link_start:link_end], href, relative=site_links)
        anchors.append((length, run.position(link_start)))
        url_at = 1 if markup.startswith("<") else markup.rfind("](") + 2
        anchors.append((length + url_at, where))
        parts.append(markup)
        length += len(markup)
        anchors.append((length, run.position(link_end)))
        at = link_end
    parts.append(run.text[at:end])
    return RawNote(
        number, anchors[0][1], "".join(parts), tuple(anchors), style=CitationStyle.INLINE
    )


def _add_string(run: _Run, node: NavigableString, fallback: Span) -> None:
    """Add a text to the run, each of its source lines anchored where it is written.

    bs4 records positions of tags only; a text ends where the next tag starts, so its lines
    are counted back from there. A column before the first newline is exact unless a character
    reference (`&amp;`) is longer than the character it writes.
    """
    text = str(node)
    after = node.next_element
    if not isinstance(after, Tag) or after.sourceline is None:
        run.add(text, fallback)
        return
    pieces = text.split("\n")
    first_line = after.sourceline - len(pieces) + 1
    for k, piece in enumerate(pieces):
        lead = len(piece) - len(piece.lstrip())
        if k == 0:
            if len(pieces) == 1:
                where = Span(first_line, (after.sourcepos or 0) - len(piece) + lead + 1)
            elif fallback.line == first_line:
                where = fallback
            else:
                where = Span(max(first_line, 1), 1)
        else:
            where = Span(first_line + k, lead + 1)
        run.add((" " if k else "") + piece, where if where.line >= 1 else fallback)


def _runs(root: Tag, body: Body) -> Iterator[_Run]:
    """Blocks of visible text of the body, with the sources their links name."""
    cur = _Run()
    last = tag_pos(root)
    uncited: int | None = None
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, exiting = stack.pop()
        if exiting:
            assert isinstance(node, Tag)
            if cur.text.strip() and uncited is None:
                yield cur
            cur = _Run()
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, Comment | Doctype | ProcessingInstruction):
                _add_string(cur, node, last)
            continue
        if not isinstance(node, Tag) or id(node) in body.skip or id(node) in body.chrome:
            continue
        last = tag_pos(node)
        name = node.name
        if name in IGNORED:
            continue
        if name == "a" and id(node) in body.refs:
            cur.add(f"[{body.refs[id(node)]}]", last)
            continue
        if name == "a" and id(node) in body.inside:
            href = source_href(node, body.page, site_links=body.site_links)
            if href is not None:
                before = len(cur.anchors)
                cur.add(text_of(node), last)
                if len(cur.anchors) > before:
                    begin = cur.anchors[-1][0]
                    end = len(cur.text.rstrip())
                    cur.links.append((begin, end, href, body.source.href(node)))
                continue
            if attr(node, "href").strip()[:1] not in ("", "#"):
                before = len(cur.anchors)
                cur.add(text_of(node), last)
                if len(cur.anchors) > before:
                    cur.other_links.append((cur.anchors[-1][0], len(cur.text.rstrip())))
                continue
        if name in BLOCKS or name == "br":
            if cur.text.strip() and uncited is None:
                yield cur
            cur = _Run()
            if name == "br":
                continue
            if name in HEADINGS:
                level = int(name[1])
                if uncited is not None and level <= uncited:
                    uncited = None
                if is_uncited_heading(short_text(node)):
                    uncited = level
                cur.heading = True
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.children)))
    if cur.text.strip() and uncited is None:
        yield cur


def link_claims(
    soup: BeautifulSoup, linked: Linked, body: Body
) -> tuple[list[RawClaim], list[RawNote]]:
    """Body sentences citing notes by marker, by link, or both; the links' INLINE notes."""
    claims: list[RawClaim] = []
    inline: list[RawNote] = []
    number = max(linked.numbers.values(), default=0) + 1
    for run in _runs(soup, body):
        if run.link_only():
            run.links.clear()
        for offset, sentence in split_sentences(run.text):
            cited = list(markers(sentence)) if "[" in sentence else []
            note = (
                None
                if run.heading
                else _sentence_note(run, offset, offset + len(sentence), number, body.site_links)
            )
            if note is not None:
                inline.append(note)
                cited.append(number)
                number += 1
            if cited:
                text = _DOUBLED.sub(r"\1", " ".join(sentence.split()))
                claims.append(RawClaim(run.position(offset), text, tuple(cited)))
    return claims, inline
