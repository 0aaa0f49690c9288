"""`--include-fragments`: does `page#section` name an anchor the page has?

An HTML page's anchors are its `id` and `name` attributes (GitHub's rendered pages prefix their
heading ids with `user-content-`, which is accepted too). A Markdown page's anchors are its
headings under GitHub's slug rules: lower case, punctuation dropped, spaces to hyphens, a
repeated heading numbered `-1`, `-2`. A text fragment (`#:~:text=start,end`) is looked for in
the page's visible text. A missing anchor is never a dead page: the page answered, the place in
it is gone, and the verdict says so (`fragment_missing`). Everything here is pure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w])_+|_+(?![\w])")
_HTML_ANCHOR = re.compile(r"""<a\s[^>]*?(?:name|id)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


@dataclass(frozen=True, slots=True)
class Page:
    """What a fragment can be checked against: the page's anchors and its visible text."""

    anchors: frozenset[str]
    text: str


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag in ("a", "map", "iframe"))):
                self.anchors.add(value)
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def html_page(html: str) -> Page:
    """The anchors and visible text of an HTML page.

    >>> sorted(html_page('<h2 id="a">A</h2><a name="b"></a><p>Hi <b>there</b></p>').anchors)
    ['a', 'b']
    """
    parser = _Anchors()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):
        pass  # a broken page: the anchors read so far are what it has
    return Page(frozenset(parser.anchors), _SPACE.sub(" ", " ".join(parser.text)).strip())


def github_slug(heading: str) -> str:
    """GitHub's anchor for a heading's text (github-slugger).

    >>> github_slug("2.1 Methods & Sampling (v2)")
    '21-methods--sampling-v2'
    >>> github_slug("Über `code` _emphasis_")
    'über-code-emphasis'
    """
    text = _LINK.sub(r"\1", heading)
    text = _EMPHASIS_UNDERSCORE.sub("", text).lower()
    kept = []
    for ch in text:
        if ch in " -_" or unicodedata.category(ch)[0] in "LMN":
            kept.append(ch)
    return "".join(kept).replace(" ", "-")


def markdown_page(text: str) -> Page:
    """The anchors (heading slugs, numbered when repeated; HTML anchors) and text of Markdown.

    >>> sorted(markdown_page("# Intro\\n\\n## Intro\\n\\nBody\\n===\\n").anchors)
    ['body', 'intro', 'intro-1']
    """
    anchors: set[str] = set(_HTML_ANCHOR.findall(text))
    seen: dict[str, int] = {}
    fenced = False
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        heading = None
        m = _ATX.match(line)
        if m:
            heading = m.group(2)
        elif i + 1 < len(lines) and line.strip() and _SETEXT.match(lines[i + 1]):
            heading = line.strip()
        if heading is None:
            continue
        slug = github_slug(heading)
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        anchors.add(slug if n == 0 else f"{slug}-{n}")
    return Page(frozenset(anchors), _SPACE.sub(" ", text))


def split_fragment(fragment: str) -> tuple[str, tuple[str, ...]]:
    """An element fragment (unquoted) and its text directives (`#id:~:text=a&text=b`), as
    written: a directive's commas separate its parts, an encoded `%2C` does not.

    >>> split_fragment("sec-2:~:text=rose%20in%20May&text=prices")
    ('sec-2', ('rose%20in%20May', 'prices'))
    """
    element, _, directives = fragment.partition(":~:")
    texts = tuple(
        part[5:] for part in directives.split("&") if part.startswith("text=") and part[5:]
    )
    return unquote(element), texts


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def text_found(directive: str, text: str) -> bool:
    """Whether a text directive (`[prefix-,]start[,end][,-suffix]`) matches the page's text.

    >>> text_found("rose,May", "Prices rose sharply in May.")
    True
    >>> text_found("fell", "Prices rose.")
    False
    """
    parts = [unquote(p) for p in directive.split(",")]
    if parts and parts[0].endswith("-"):
        parts = parts[1:]
    if parts and parts[-1].startswith("-"):
        parts = parts[:-1]
    if not parts:
        return True
    haystack = _fold(text)
    start = haystack.find(_fold(parts[0]))
    if start < 0:
        return False
    return len(parts) < 2 or haystack.find(_fold(parts[1]), start) >= 0


def fragment_problem(fragment: str, page: Page) -> str | None:
    """Why a fragment names nothing on the page, or None when it does (or is empty).

    >>> fragment_problem("intro", Page(frozenset({"intro"}), ""))
    >>> fragment_problem("gone", Page(frozenset({"intro"}), ""))
    'no anchor #gone on the page'
    """
    element, texts = split_fragment(fragment)
    if element and element not in page.anchors and f"user-content-{element}" not in page.anchors:
        return f"no anchor #{element} on the page"
    for directive in texts:
        if not text_found(directive, page.text):
            return f"text fragment {unquote(directive)!r} not found on the page"
    return None


def page_of(body: str, *, markdown: bool) -> Page:
    """A page from its text: Markdown by its headings, anything else as HTML."""
    return markdown_page(body) if markdown else html_page(body)
