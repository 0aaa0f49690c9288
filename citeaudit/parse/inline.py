"""Inline-link citations: the hyperlinks in a sentence are that sentence's sources.

News articles, blog posts, READMEs and wiki pages cite by linking words in the running text, not
by numbered notes. Every reader that meets such text turns each sentence (or list item) holding
links into a claim citing one `RawNote` of style INLINE whose text is the sentence itself, so the
catalog finds, repairs and places the URLs with the same rules as in notes. Images, in-page
anchors, `mailto:`/`tel:`/`javascript:` are never sources; Markdown code never yields any.

This module masks what is not a link (images, code spans) without moving any character, so that
offsets into the masked text are offsets into the original. It does not split sentences
(`sentences`) nor find URLs (`urls`).

>>> mask_markdown("see `a[0]` and ![logo](https://a.example/l.png) [x](https://b.example/)")
'see        and                                  [x](https://b.example/)'
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter

from citeaudit.models import CitationStyle, Span
from citeaudit.parse.raw import RawNote

_BACKTICKS = re.compile(r"`+")
_IMAGE = re.compile(
    r"!\[[^\]\n]{0,2000}\]\([^)\n]{0,8000}\)|!\[[^\]\n]{0,2000}\]\[[^\]\n]{0,500}\]"
)
_URLISH = re.compile(r"(?i:https?://|ftp://|www\.|hxxps?|\[\.\]|\(\.\)|\[dot\]|\]\()")
_REFERENCE = re.compile(r"\[([^\]\n]{1,1000})\]\[([^\]\n]{0,1000})\]")
_SHORTCUT = re.compile(r"(?<![\]\\!])\[([^\]\n]{1,1000})\](?![(\[:])")
_SPACES = re.compile(r"\s+")
_HTML_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9]{0,20})(?=[\s/>])"
    r"((?:[^>\"']|\"[^\"]{0,8000}\"|'[^']{0,8000}'){0,200})/?>"
)
_HTML_MARKER = re.compile(
    r"<sup\b[^>]{0,500}>\s*(?:<a\b[^>]{0,8000}>\s*)?\[?(\d{1,5}(?:\s*[,–-]\s*\d{1,5}){0,20})\]?"
    r"\s*(?:</a>\s*)?</sup>"
    r"|<a\b[^>]{0,500}href=[\"']?#[^>]{0,500}>\s*\[?(\d{1,5})\]?\s*</a>",
    re.IGNORECASE,
)
_HREF = re.compile(r"\bhref\s*=\s*([\"'])([^\"']{0,8000})\1", re.IGNORECASE)
_NOTE_ID = re.compile(r"\bid\s*=\s*[\"']?[A-Za-z_:-]{0,20}?(\d{1,5})[\"'\s>]", re.IGNORECASE)
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup time u"
    " var".split()
)
UNSEEN = "\x00"
"""Fills the place of an inline tag in the lines as a reader sees them (see `unhtml_lines`)."""
_START = re.compile(r"\bstart\s*=\s*[\"']?(\d{1,6})", re.IGNORECASE)


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with each (start, end) span, in order, turned to spaces (newlines kept)."""
    pieces: list[str] = []
    at = 0
    for start, end in spans:
        pieces.append(text[at:start])
        pieces.append("".join("\n" if c == "\n" else " " for c in text[start:end]))
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def code_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each Markdown code span: a backtick run up to the next run as long.

    One pass over the runs, each length's runs kept in order, so it is linear on any input.

    >>> code_spans("a `b` c ``d`e`` `unclosed")
    [(2, 5), (8, 15)]
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for i, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(i)
    position = dict.fromkeys(by_length, 0)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(runs):
        length = runs[i][1] - runs[i][0]
        same = by_length[length]
        k = position[length]
        while k < len(same) and same[k] <= i:
            k += 1
        position[length] = k
        if k == len(same):
            i += 1
            continue
        closer = same[k]
        spans.append((runs[i][0], runs[closer][1]))
        i = closer + 1
    return spans


def mask_markdown(text: str) -> str:
    """The text with code spans and images blanked out, every other character in place."""
    if "`" in text:
        # One rebuild per kind: a rebuild per span would make many code spans quadratic.
        text = _blank(text, code_spans(text))
    if "![" in text:
        text = _blank(text, (m.span() for m in _IMAGE.finditer(text)))
    return text


def _spaces(text: str) -> str:
    return "".join("\n" if c == "\n" else " " for c in text)


def _padded(text: str, width: int) -> str:
    return text + " " * (width - len(text)) if len(text) <= width else " " * width


def _html_tag(m: re.Match[str], line_start: bool, counters: list[int], links: bool) -> str:
    """The same-length Markdown reading of one raw HTML tag (see `unhtml_lines`)."""
    tag = m.group(0)
    closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3)
    if not links and name in _INLINE_TAGS:
        return UNSEEN * len(tag)
    if closing:
        if name in ("ol", "ul") and counters:
            counters.pop()
        return _spaces(tag)
    if name in ("ol", "ul"):
        start = _START.search(attrs)
        first = int(start.group(1)) - 1 if start else 0
        counters.append(first if name == "ol" else -1)
        return _spaces(tag)
    if name == "li" and line_start and counters:
        if counters[-1] < 0:
            return _padded("-", len(tag))
        number = _NOTE_ID.search(attrs + ">")
        counters[-1] = int(number.group(1)) if number else counters[-1] + 1
        return _padded(f"{counters[-1]}.", len(tag))
    if name == "a" and links:
        href = _HREF.search(attrs)
        if href is None:
            return _spaces(tag)
        value = href.group(2).strip()
        at = m.start(3) + href.start(2) - m.start()
        if value.startswith("//") and at >= 6:
            # "href="//host" becomes "https://host": six characters in place of six.
            return " " * (at - 6) + "https:" + value + " " * (len(tag) - at - len(value))
        if value.lower().startswith(("http://", "https://", "ftp://")):
            return " " * at + value + " " * (len(tag) - at - len(value))
    return _spaces(tag)


def unhtml_lines(lines: list[str], skip: set[int], *, links: bool = True) -> list[str]:
    """Raw HTML in Markdown read as Markdown, each line as long as before (positions hold).

    `<sup>3</sup>` and `<a href="#n3">3</a>` become `[3]`; a line opening `<li>` in an `<ol>`
    becomes a list label (`3.`, from `id="note-3"` or the count), in a `<ul>` a bullet; of
    `<a href>` only a web URL is left, where it was written; every other tag (`<a name>`,
    `<img>`, `<p>`, `</li>`) turns to spaces. Comments and lines in `skip` (code) stay as they
    are. The content decides: Markdown around the HTML is untouched. `links=False` leaves no
    URL of an `<a href>` either, and fills inline tags with `UNSEEN` (a reader sees no space
    there): the line as a reader sees it, for claim texts.
    """
    counters: list[int] = []
    out: list[str] = []
    for i, line in enumerate(lines):
        if i in skip or "<" not in line:
            out.append(line)
            continue
        line = _HTML_MARKER.sub(lambda m: _padded(f"[{m.group(1) or m.group(2)}]", len(m[0])), line)
        indent = len(line) - len(line.lstrip())

        def tag(m: re.Match[str], at: int = indent) -> str:
            return _html_tag(m, m.start() == at, counters, links)

        line = _HTML_TAG.sub(tag, line)
        out.append(line)
    return out


def normalize_label(label: str) -> str:
    """A link reference label as CommonMark compares them: case-folded, spaces collapsed."""
    return _SPACES.sub(" ", label.strip()).casefold()


def may_hold_link(text: str) -> bool:
    """A cheap test that lets sentences without anything URL-like skip the URL scanner."""
    return _URLISH.search(text) is not None


def referenced(text: str, definitions: dict[str, tuple[str, Span]]) -> list[tuple[str, Span]]:
    """The definitions (url, where) that reference links `[text][ref]`, `[ref][]`, `[ref]` use.

    Numeric shortcut labels (`[3]`) are note markers, never links.
    """
    if not definitions or "[" not in text:
        return []
    found: list[tuple[str, Span]] = []
    for m in _REFERENCE.finditer(text):
        label = normalize_label(m.group(2) or m.group(1))
        if label in definitions:
            found.append(definitions[label])
    for m in _SHORTCUT.finditer(text):
        label = normalize_label(m.group(1))
        if not label.isdigit() and label in definitions:
            found.append(definitions[label])
    return list(dict.fromkeys(found))


def inline_note(
    number: int,
    text: str,
    start: int,
    end: int,
    position: Callable[[int], Span],
    anchors: Sequence[tuple[int, Span]] = (),
    extra: Sequence[tuple[str, Span]] = (),
) -> RawNote:
    """The INLINE note of the sentence `text[start:end]`, plus URLs defined elsewhere (`extra`).

    `position(offset)` maps an offset in `text` to its place in the document and `anchors` are
    the places where `text` jumps (a new line); both carry over to the sentence so every source
    points at the line and column it was written on.
    """
    sentence = text[start:end]
    own: list[tuple[int, Span]] = [(0, position(start))]
    # `anchors` is sorted by offset: take only this sentence's, or a long paragraph of many
    # cited sentences costs sentences x lines.
    first = bisect_right(anchors, start, key=itemgetter(0))
    last = bisect_left(anchors, end, key=itemgetter(0))
    own.extend((offset - start, position(offset)) for offset, _ in anchors[first:last])
    parts = [sentence]
    length = len(sentence)
    for url, where in extra:
        parts.append("\n")
        length += 1
        own.append((length, where))
        parts.append(url)
        length += len(url)
    return RawNote(
        number=number,
        span=own[0][1],
        text="".join(parts),
        anchors=tuple(own),
        style=CitationStyle.INLINE,
    )
