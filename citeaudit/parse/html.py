"""Read HTML reports: the footnote and endnote patterns publishers really produce.

Two routes, chosen by what the page holds:

- Linked notes. A marker links to its note inside the page (`<a href="#fn1">`): Word's HTML
  export (`#_edn1` / `<a name="_edn1">`, also `_ftn`), WordPress and Drupal footnote plugins,
  Wikipedia (`<sup class="reference">` -> `<ol class="references">`), Pandoc and Markdown
  (`<a class="footnote-ref">` -> `<section class="footnotes">`). The link graph says exactly which
  sentence cites which note, so the reader builds notes and claims from it directly.
- Hand-numbered notes. "[1] ..." paragraphs or a plain `<ol>` under a heading such as Endnotes or
  References, with `[1]` or `<sup>1</sup>` markers in the body. The page is rendered to lines of
  text and handed to the text parser (`rendered.parse_rendered`), so both formats share one set
  of rules.

Both routes also read inline citations: an `<a href>` in the main content that is a source
(`html_main`: no chrome, no own-site, image, `#`, `mailto:` link) makes the sentence or list item
holding it a claim with one INLINE note, beside any markers the same sentence carries. On the
linked route the reader builds those notes itself, each link's URL anchored at its href in the
source; on the hand-numbered route the links are rendered as Markdown and the text parser makes
the notes, their hrefs placed back afterwards. A block of nothing but links is navigation.

In notes an `<a href>` is written as a Markdown link (`links.link_markup`), so a visible URL
that differs from its href becomes `link_text_differs` in the catalog. `<script>`, `<style>`,
`<nav>`, `<header>`, `<footer>` are ignored. Positions are lines and columns of the HTML source
(texts are placed by counting back from the tag after them). The tree is walked with an explicit
stack, so deeply nested markup cannot exhaust the recursion limit.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import Doctype, ProcessingInstruction
from bs4.exceptions import ParserRejectedMarkup

from citeaudit.errors import InputError
from citeaudit.models import CitationStyle, Finding, FindingKind, Span
from citeaudit.parse.dates import find_date
from citeaudit.parse.headings import is_uncited_heading
from citeaudit.parse.html_main import (
    Page,
    localize_self_links,
    main_content,
    page_of,
    source_href,
)
from citeaudit.parse.links import escape_href, link_markup
from citeaudit.parse.raw import RawClaim, RawDocument, RawNote
from citeaudit.parse.rendered import parse_rendered
from citeaudit.parse.sentences import markers, split_sentences

_IGNORED = frozenset({"script", "style", "nav", "header", "footer", "noscript", "template"})
_BLOCKS = frozenset(
    """address article aside blockquote body caption dd div dl dt fieldset figcaption figure
    h1 h2 h3 h4 h5 h6 hr li main ol p pre section table tbody td tfoot th thead tr ul""".split()
)
_CONTAINERS = frozenset({"li", "p", "div", "dd", "dt", "td", "aside", "section", "blockquote"})
_NOT_NOTES = frozenset({"body", "main", "article", "html", "h1", "h2", "h3", "h4", "h5", "h6"})
_NOTES_HEADING = re.compile(
    r"^\s*(?:end\s?notes|notes|references|sources|footnotes|citations|bibliography"
    r"|works cited|notes and references|sources and notes)\s*:?\s*$",
    re.IGNORECASE,
)
_REF_TEXT = re.compile(r"^[\[(]?\s*(\d{1,5})\s*[\])]?\.?$")
_REF_HINT = re.compile(r"foot|fn|note|ref|cite|edn|ftn", re.IGNORECASE)
_BACK_TEXT = re.compile(r"^[\[(]?\s*(?:\d{1,5}|[a-z]|[ivxlc]{1,6})?\s*[\])]?\.?$", re.IGNORECASE)
_BACK_SYMBOLS = "↩↑⤴⬆^︎️ \u00a0"
_SUP_MARKER = re.compile(r"^\s*\d{1,5}(?:\s*[,–-]\s*\d{1,5}){0,20}\s*$")
_LEADING_LABEL = re.compile(r"^\s*(?:\[\d{1,5}\]|\d{1,5}[.)]|\^)\s*")
_EMPTY_BRACKETS = re.compile(r"\[\s*\](?!\()")
_DATE_META = (
    "article:published_time",
    "datePublished",
    "date",
    "dc.date",
    "DC.date.issued",
    "citation_publication_date",
    "parsely-pub-date",
)
_MAX_NOTES = 100_000
_MD_LINK = re.compile(r"\[((?:\\.|[^\]\\]){0,2000})\]\([^)\s]{1,8000}\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s>]{1,8000})>")
_RENDERED_URL = re.compile(
    r"\]\((?P<md>[^)\s]{1,8000})\)|<(?P<auto>(?:https?|ftp)://[^\s>]{1,8000})>"
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_BRACKETED = re.compile(r"\[\d{1,5}\]")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
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
        elif _WORD.search(text):
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


def _pos(tag: Tag) -> Span:
    return Span(tag.sourceline or 1, (tag.sourcepos or 0) + 1)


def _text(tag: Tag) -> str:
    """Visible text of a subtree (iterative: bs4's generators do not recurse)."""
    return "".join(
        s
        for s in tag.descendants
        if isinstance(s, NavigableString)
        and not isinstance(s, Comment | Doctype | ProcessingInstruction)
    )


def _classes(tag: Tag) -> str:
    value: object = tag.get("class") or []
    return " ".join(value) if isinstance(value, list) else str(value)


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value or ""


def _iter_tags(root: Tag) -> Iterator[Tag]:
    for node in root.descendants:
        if isinstance(node, Tag):
            yield node


def _parse_date(value: str) -> date | None:
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def _title_and_date(soup: BeautifulSoup) -> tuple[str | None, date | None]:
    title = None
    h1 = soup.find("h1")
    if isinstance(h1, Tag) and " ".join(_text(h1).split()):
        title = " ".join(_text(h1).split())
    elif soup.title is not None and soup.title.string:
        title = " ".join(soup.title.string.split()) or None
    found = None
    for tag in soup.find_all("meta"):
        key = _attr(tag, "property") or _attr(tag, "name") or _attr(tag, "itemprop")
        if key.lower() in {k.lower() for k in _DATE_META}:
            found = _parse_date(_attr(tag, "content"))
            if found:
                break
    if found is None:
        for tag in soup.find_all("time"):
            found = _parse_date(_attr(tag, "datetime"))
            if found:
                break
    return title, found


# bs4 logs undecodable bytes on the root logger's stderr; they become a finding instead
logging.getLogger("bs4.dammit").setLevel(logging.ERROR)


def _decode(data: bytes, path: str) -> BeautifulSoup:
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: this looks like a binary file, not an HTML report")
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    try:
        return BeautifulSoup(data, "html.parser")
    except ParserRejectedMarkup as exc:  # e.g. "<![CDATX[": html.parser gives up
        raise InputError(f"{path}: the HTML parser rejected this markup ({exc})") from exc


def _strip_ignored(soup: BeautifulSoup) -> None:
    for tag in list(soup.find_all(_IGNORED)):
        if tag.parent is not None:
            tag.extract()
    for node in list(soup.find_all(string=lambda s: isinstance(s, Comment))):
        node.extract()


def _top_lines(soup: BeautifulSoup, limit: int = 40) -> list[str]:
    """The first lines of visible text (headers included: the date is often there)."""
    out: list[str] = []
    for node in soup.descendants:
        if not isinstance(node, NavigableString) or isinstance(node, Comment | Doctype):
            continue
        if node.parent is not None and node.parent.name in ("script", "style", "title"):
            continue
        text = " ".join(str(node).split())
        if text:
            out.append(text)
            if len(out) >= limit:
                break
    return out


# -- linked notes ------------------------------------------------------------------------------


def _digits(text: str) -> int | None:
    text = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)
    m = _REF_TEXT.match(text.strip())
    return int(m.group(1)) if m else None


def _is_ref(a: Tag) -> bool:
    text = " ".join(_text(a).split())
    if _digits(text) is not None:
        return True
    hinted = (
        a.find_parent("sup") is not None
        or a.find("sup") is not None
        or _REF_HINT.search(_classes(a) + " " + _attr(a, "role"))
    )
    return bool(hinted) and 0 < len(text) <= 8


def _container(target: Tag) -> Tag | None:
    node: Tag | None = target
    while node is not None and node.name not in _CONTAINERS:
        if node.name in _NOT_NOTES:
            return None
        node = node.parent
    return node


def _is_backlink(a: Tag) -> bool:
    if "back" in _classes(a).lower() or "backlink" in _attr(a, "role"):
        return True
    text = " ".join(_text(a).split()).strip(_BACK_SYMBOLS)
    return bool(_BACK_TEXT.match(text))


@dataclass
class _Linked:
    containers: list[Tag]
    numbers: dict[int, int]
    """id(container) -> note number."""
    refs: dict[int, int]
    """id(ref <a>) -> note number."""
    ref_tags: list[Tag] = field(default_factory=list)


def _find_linked(soup: BeautifulSoup) -> _Linked | None:
    by_id: dict[str, Tag] = {}
    anchors: list[Tag] = []
    order: dict[int, int] = {}
    for tag in _iter_tags(soup):
        order[id(tag)] = len(order)
        for key in ("id", "name") if tag.name == "a" else ("id",):
            value = _attr(tag, key)
            if value and value not in by_id:
                by_id[value] = tag
        if tag.name == "a" and _attr(tag, "href").startswith("#"):
            anchors.append(tag)
    candidates: list[tuple[Tag, Tag]] = []
    for a in anchors:
        target = by_id.get(_attr(a, "href")[1:])
        # A note follows the marker citing it; a link back up the page is a backlink (Word and
        # Drupal write both directions with the same markup).
        if target is None or order[id(target)] < order[id(a)] or not _is_ref(a):
            continue
        box = _container(target)
        if box is None:
            continue
        candidates.append((a, box))
    if not candidates:
        return None
    boxes = {id(b): b for _, b in candidates}
    # A ref inside a note box is a backlink (or a note citing a note), not a body marker.
    inside: set[int] = set()
    for box in boxes.values():
        inside.update(id(t) for t in _iter_tags(box))
    refs = [(a, b) for a, b in candidates if id(a) not in inside]
    if not refs:
        return None
    ref_ids = {id(a) for a, _ in refs}
    targets = {id(b) for _, b in refs}
    final: dict[int, Tag] = {}
    for _, box in refs:
        final[id(box)] = _widen(box, targets, ref_ids)
    numbers: dict[int, int] = {}
    ref_numbers: dict[int, int] = {}
    used: set[int] = set()
    next_free = 1
    for a, box in refs:
        box_key = id(final[id(box)])
        if box_key not in numbers:
            wanted = _digits(" ".join(_text(a).split()))
            if wanted is None or wanted in used:
                while next_free in used:
                    next_free += 1
                wanted = next_free
            numbers[box_key] = wanted
            used.add(wanted)
            if len(numbers) > _MAX_NOTES:
                break
        ref_numbers[id(a)] = numbers[box_key]
    boxes_by_id = {id(b): b for b in final.values()}
    _add_uncited(boxes_by_id, numbers, used)
    containers = sorted(boxes_by_id.values(), key=lambda b: numbers[id(b)])
    return _Linked(containers, numbers, ref_numbers, [a for a, _ in refs])


def _add_uncited(boxes: dict[int, Tag], numbers: dict[int, int], used: set[int]) -> None:
    """Items of a notes list that no marker links to are notes too (never cited)."""
    lists = {id(b.parent): b.parent for b in boxes.values() if b.name == "li" and b.parent}
    for parent in lists.values():
        if parent.name != "ol":
            continue
        start = _attr(parent, "start")
        position = int(start) - 1 if start.isdigit() else 0
        for item in parent.find_all("li", recursive=False):
            position += 1
            if id(item) in boxes or not _text(item).strip():
                continue
            number = position if position not in used else max(used, default=0) + 1
            boxes[id(item)] = item
            numbers[id(item)] = number
            used.add(number)


def _widen(box: Tag, targets: set[int], ref_ids: set[int]) -> Tag:
    """Word writes `<div id=edn1><p>..</p><p>..</p></div>`: take the div if it holds one note."""
    parent = box.parent
    if box.name != "p" or parent is None or parent.name not in ("div", "section", "li"):
        return box
    seen = 0
    for tag in _iter_tags(parent):
        if id(tag) in ref_ids:
            return box
        if id(tag) in targets or (tag.name == "p" and tag is not box and _is_note_p(tag)):
            seen += 1
            if seen > 1:
                return box
    return parent


def _is_note_p(tag: Tag) -> bool:
    return bool(_LEADING_LABEL.match(_text(tag)[:12])) and bool(tag.find("a", href=True))


def _note_from(box: Tag, number: int, scheme: str = "https") -> RawNote:
    skip = {id(t) for t in box.find_all(class_=re.compile("mw-cite-backlink"))}
    body = box.find(class_="reference-text")
    root = body if isinstance(body, Tag) else box
    parts: list[str] = []
    anchors: list[tuple[int, Span]] = []
    offset = 0
    for text, where, _ in _render(root, skip=skip, links=True, backlinks=True, scheme=scheme):
        if parts:
            parts.append("\n")
            offset += 1
        if not parts:
            text = _LEADING_LABEL.sub("", text, count=1)
        anchors.append((offset, where))
        parts.append(text)
        offset += len(text)
    # Brackets left around a removed backlink ("[↩]") are noise.
    text = _EMPTY_BRACKETS.sub("", "".join(parts)).strip()
    return RawNote(number, _pos(box), text, tuple(anchors))


def _render(
    root: Tag,
    *,
    skip: set[int] | None = None,
    links: bool | None,
    backlinks: bool = False,
    refs: dict[int, int] | None = None,
    body: _Body | None = None,
    scheme: str = "https",
) -> Iterator[tuple[str, Span, bool]]:
    """Rendered (line, source position, continues the row before) rows of a subtree.

    `links`: True writes every web link as Markdown, False never, None only after a notes
    heading (the hand-numbered route), and before it the links `body` counts as sources.
    `refs` maps marker links to their note number.
    """
    skip = skip or set()
    refs = refs or {}
    notes_mode = bool(links)
    cur = _Block()
    last = _pos(root)
    # Stack of (node, exiting): a closing entry flushes the block a block element opened.
    stack: list[tuple[object, bool]] = [(root, False)]
    ol_counters: dict[int, int] = {}
    while stack:
        node, exiting = stack.pop()
        if exiting:
            assert isinstance(node, Tag)
            if node.name in _BLOCKS:
                rows = cur.rows()
                if links is None and rows and _NOTES_HEADING.match(rows[0][0]) and len(rows) == 1:
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
        last = _pos(node)
        name = node.name
        if name in _IGNORED:
            continue
        if body is not None and not notes_mode:
            if id(node) in body.chrome:
                continue
            href = source_href(node, body.page) if name == "a" else None
            if href is not None and id(node) in body.inside and _text(node).strip():
                # A link on a later source line starts a rendered line: it keeps its own line.
                if cur.where and cur.where[-1].line != last.line:
                    cur.newline(soft=True)
                cur.add(link_markup(_text(node), href, relative=False), last, visible=_text(node))
                body.hrefs.setdefault((last.line, escape_href(href)), body.source.href(node))
                continue
            navigation = _attr(node, "href").strip()[:1] not in ("", "#")
            if name == "a" and navigation and node.find("sup") is None:
                # Link text, if no source: it counts as link text for link-only blocks.
                cur.add(_text(node), last, visible=_text(node))
                continue
        if name == "br":
            cur.newline()
            continue
        if name == "a" and id(node) in refs:
            cur.add(f"[{refs[id(node)]}]", last)
            continue
        if name == "a" and backlinks and _attr(node, "href").startswith("#") and _is_backlink(node):
            continue
        if name == "a" and notes_mode and _attr(node, "href"):
            href = _attr(node, "href").strip()
            href = f"{scheme}:{href}" if href.startswith("//") else href
            cur.add(" " + link_markup(_text(node), href, relative=False) + " ", last)
            continue
        if name == "sup" and links is None and not notes_mode and not node.find("a"):
            text = _text(node)
            if _SUP_MARKER.match(text):
                cur.add(f"[{text.strip()}]", last)
                continue
        if name in _BLOCKS:
            yield from cur.rows()
            cur = _Block()
            if name == "li" and notes_mode and links is None:
                parent = node.parent
                key = id(parent)
                if parent is not None and parent.name == "ol":
                    start = _attr(parent, "start")
                    n = ol_counters.get(key, int(start) - 1 if start.isdigit() else 0) + 1
                    value = _attr(node, "value")
                    n = int(value) if value.isdigit() else n
                    ol_counters[key] = n
                    if not _LEADING_LABEL.match(_text(node)[:12]):
                        cur.add(f"[{n}] ", last)
            stack.append((node, True))
        children = list(node.children)
        stack.extend((child, False) for child in reversed(children))
    yield from cur.rows()


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
        return bool(self.links) and not _WORD.search(_BRACKETED.sub("", "".join(rest)))

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


class _Source:
    """The decoded HTML source, to find where an attribute's value is written."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def href(self, a: Tag) -> Span:
        """Where the value of `a`'s href begins (the tag's start when it cannot be found)."""
        line, column = a.sourceline or 1, a.sourcepos or 0
        if line > len(self.starts):
            return _pos(a)
        at = self.starts[line - 1] + column
        m = _HREF_VALUE.search(self.text, at, min(len(self.text), at + 8000))
        if m is None:
            return _pos(a)
        offset = m.end()
        row = bisect_right(self.starts, offset) - 1
        return Span(row + 1, offset - self.starts[row] + 1)


def _sentence_note(run: _Run, start: int, end: int, number: int) -> RawNote | None:
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
        markup = link_markup(run.text[link_start:link_end], href, relative=False)
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


@dataclass
class _Body:
    """What the body walk needs to know: markers, chrome, the main content, the page."""

    skip: set[int]
    refs: dict[int, int]
    chrome: set[int]
    inside: set[int]
    page: Page
    source: _Source
    hrefs: dict[tuple[int, str], Span] = field(default_factory=dict)
    """(line of the `<a>`, href as rendered) -> where the href is written."""


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


def _runs(root: Tag, body: _Body) -> Iterator[_Run]:
    """Blocks of visible text of the body, with the sources their links name."""
    cur = _Run()
    last = _pos(root)
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
        last = _pos(node)
        name = node.name
        if name in _IGNORED:
            continue
        if name == "a" and id(node) in body.refs:
            cur.add(f"[{body.refs[id(node)]}]", last)
            continue
        if name == "a" and id(node) in body.inside:
            href = source_href(node, body.page)
            if href is not None:
                before = len(cur.anchors)
                cur.add(_text(node), last)
                if len(cur.anchors) > before:
                    begin = cur.anchors[-1][0]
                    end = len(cur.text.rstrip())
                    cur.links.append((begin, end, href, body.source.href(node)))
                continue
            if _attr(node, "href").strip()[:1] not in ("", "#"):
                before = len(cur.anchors)
                cur.add(_text(node), last)
                if len(cur.anchors) > before:
                    cur.other_links.append((cur.anchors[-1][0], len(cur.text.rstrip())))
                continue
        if name in _BLOCKS or name == "br":
            if cur.text.strip() and uncited is None:
                yield cur
            cur = _Run()
            if name == "br":
                continue
            if name in _HEADINGS:
                level = int(name[1])
                if uncited is not None and level <= uncited:
                    uncited = None
                if is_uncited_heading(_short_text(node)):
                    uncited = level
                cur.heading = True
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.children)))
    if cur.text.strip() and uncited is None:
        yield cur


def _claims(
    soup: BeautifulSoup, linked: _Linked, body: _Body
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
                None if run.heading else _sentence_note(run, offset, offset + len(sentence), number)
            )
            if note is not None:
                inline.append(note)
                cited.append(number)
                number += 1
            if cited:
                claims.append(
                    RawClaim(run.position(offset), " ".join(sentence.split()), tuple(cited))
                )
    return claims, inline


def read_html(data: bytes, path: str) -> RawDocument:
    """Parse an HTML report into claims and notes (positions are HTML source lines)."""
    soup = _decode(data, path)
    document = _read_soup(soup, path, _source_text(data, soup))
    if soup.contains_replacement_characters:
        replaced = Finding(
            FindingKind.INVALID_UTF8,
            f"bytes that no encoding could decode were replaced (read as {soup.original_encoding})",
        )
        document = dataclasses.replace(document, findings=(*document.findings, replaced))
    return document


def _source_text(data: bytes, soup: BeautifulSoup) -> str:
    try:
        return data.decode(soup.original_encoding or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def _place_hrefs(note: RawNote, hrefs: dict[tuple[int, str], Span]) -> RawNote:
    """Point each link URL of a rendered INLINE note at its href in the source (not the row)."""
    if note.style != CitationStyle.INLINE or not hrefs:
        return note
    anchors = list(note.anchors) or [(0, note.span)]
    for m in _RENDERED_URL.finditer(note.text):
        start = m.start("md") if m.group("md") else m.start("auto")
        url = m.group("md") or m.group("auto")
        where = hrefs.get((note.position(start).line, url))
        if where is not None:
            anchors.extend([(start, where), (start + len(url), note.position(start + len(url)))])
    anchors.sort(key=itemgetter(0))
    return dataclasses.replace(note, anchors=tuple(anchors))


def _visible(text: str) -> str:
    """A rendered claim as the reader sees it: Markdown links back to their visible text."""
    if "](" not in text and "<" not in text:
        return text
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    return _MD_LINK.sub(lambda m: re.sub(r"\\(.)", r"\1", m.group(1)), text)


def _short_text(tag: Tag, limit: int = 200) -> str:
    """The start of a subtree's visible text (enough to tell a heading; deep nests stay cheap)."""
    parts: list[str] = []
    size = 0
    for node in tag.descendants:
        if isinstance(node, NavigableString) and not isinstance(node, Comment):
            parts.append(str(node))
            size += len(node)
            if size > limit:
                break
    return " ".join("".join(parts).split())


def _notes_headings(soup: BeautifulSoup) -> list[Tag]:
    return [h for h in soup.find_all(list(_HEADINGS)) if _NOTES_HEADING.match(_short_text(h))]


def _read_soup(soup: BeautifulSoup, path: str, source: str) -> RawDocument:
    title, found_date = _title_and_date(soup)
    if found_date is None:
        found_date = find_date(_top_lines(soup))
    page = page_of(soup)  # before comments go: a browser writes "saved from url" in one
    localize_self_links(soup, page)
    _strip_ignored(soup)
    linked = _find_linked(soup)
    keep = _notes_headings(soup) if linked is None else [*linked.containers, *linked.ref_tags]
    root, chrome = main_content(soup, keep)
    inside = {id(root), *(id(t) for t in _iter_tags(root))}
    if linked is None:
        body = _Body(set(), {}, chrome, inside, page, _Source(source))
        rows = list(_render(soup, links=None, body=body, scheme=page.scheme))
        if not rows:
            raise InputError(f"{path}: no text found in this HTML document")
        lines: list[str] = []
        where: list[Span] = []
        for text, pos, soft in rows:
            if soft and lines:
                lines[-1:] = [text, ""]  # the row joins the paragraph the row before opened
                where[-1:] = [pos, pos]
                continue
            lines.extend((text, ""))
            where.extend((pos, pos))
        raw = parse_rendered(lines, where, path, "html", title=title, doc_date=found_date)
        visible = tuple(dataclasses.replace(c, text=_visible(c.text)) for c in raw.claims)
        placed = tuple(_place_hrefs(n, body.hrefs) for n in raw.notes)
        return dataclasses.replace(raw, claims=visible, notes=placed)
    skip = {id(b) for b in linked.containers}
    body = _Body(skip, linked.refs, chrome, inside, page, _Source(source))
    notes = [_note_from(b, linked.numbers[id(b)], page.scheme) for b in linked.containers]
    claims, inline = _claims(soup, linked, body)
    return RawDocument(
        title=title,
        date=found_date,
        claims=tuple(claims),
        notes=(*notes, *inline),
        input_format="html",
    )
