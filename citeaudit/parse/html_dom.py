"""The parsed HTML tree as the HTML readers need it: text, attributes, positions, metadata.

Shared by the linked-notes finder (`html_linked`), the renderer (`html_render`), the
inline-link claims (`html_claims`) and the reader itself (`html`). Every walk is iterative:
deeply nested markup cannot exhaust the recursion limit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date, datetime

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import Doctype, ProcessingInstruction
from bs4.exceptions import ParserRejectedMarkup

from citeaudit.errors import InputError
from citeaudit.models import Span

IGNORED = frozenset({"script", "style", "nav", "header", "footer", "noscript", "template"})
BLOCKS = frozenset(
    """address article aside blockquote body caption dd div dl dt fieldset figcaption figure
    h1 h2 h3 h4 h5 h6 hr li main ol p pre section table tbody td tfoot th thead tr ul""".split()
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
NOTES_HEADING = re.compile(
    r"^\s*(?:end\s?notes|notes|references|sources|footnotes|citations|bibliography"
    r"|works cited|notes and references|sources and notes)\s*:?\s*$",
    re.IGNORECASE,
)
LEADING_LABEL = re.compile(r"^\s*(?:\[\d{1,5}\]|\d{1,5}[.)]|\^)\s*")
WORD = re.compile(r"[^\W\d_]{2,}")
_DATE_META = (
    "article:published_time",
    "datePublished",
    "date",
    "dc.date",
    "DC.date.issued",
    "citation_publication_date",
    "parsely-pub-date",
)


def tag_pos(tag: Tag) -> Span:
    """The source position (line, column) where a tag starts."""
    return Span(tag.sourceline or 1, (tag.sourcepos or 0) + 1)


def text_of(tag: Tag) -> str:
    """Visible text of a subtree (iterative: bs4's generators do not recurse)."""
    return "".join(
        s
        for s in tag.descendants
        if isinstance(s, NavigableString)
        and not isinstance(s, Comment | Doctype | ProcessingInstruction)
    )


def classes(tag: Tag) -> str:
    """A tag's classes as one space-separated string."""
    value: object = tag.get("class") or []
    return " ".join(value) if isinstance(value, list) else str(value)


def attr(tag: Tag, name: str) -> str:
    """An attribute's value as a string ("" when absent; lists joined)."""
    value = tag.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value or ""


def iter_tags(root: Tag) -> Iterator[Tag]:
    """Every tag below `root`, in document order."""
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


def title_and_date(soup: BeautifulSoup) -> tuple[str | None, date | None]:
    """The page's title (its `<h1>`, else `<title>`) and date (meta tags, else `<time>`)."""
    title = None
    h1 = soup.find("h1")
    # docutils and Sphinx end each heading with a "¶" permalink
    heading = " ".join(text_of(h1).split()).rstrip("¶").rstrip() if isinstance(h1, Tag) else ""
    if heading:
        title = heading
    elif soup.title is not None and soup.title.string:
        title = " ".join(soup.title.string.split()) or None
    found = None
    for tag in soup.find_all("meta"):
        key = attr(tag, "property") or attr(tag, "name") or attr(tag, "itemprop")
        if key.lower() in {k.lower() for k in _DATE_META}:
            found = _parse_date(attr(tag, "content"))
            if found:
                break
    if found is None:
        for tag in soup.find_all("time"):
            found = _parse_date(attr(tag, "datetime"))
            if found:
                break
    return title, found


# bs4 logs undecodable bytes on the root logger's stderr; they become a finding instead
logging.getLogger("bs4.dammit").setLevel(logging.ERROR)


def parse_html(data: bytes, path: str) -> BeautifulSoup:
    """Parse HTML bytes with html.parser (InputError for binary, empty or rejected markup)."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: this looks like a binary file, not an HTML report")
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    try:
        return BeautifulSoup(data, "html.parser")
    except ParserRejectedMarkup as exc:  # e.g. "<![CDATX[": html.parser gives up
        raise InputError(f"{path}: the HTML parser rejected this markup ({exc})") from exc


def strip_ignored(soup: BeautifulSoup) -> None:
    """Remove scripts, styles, navigation and comments from the tree."""
    for tag in list(soup.find_all(IGNORED)):
        if tag.parent is not None:
            tag.extract()
    for node in list(soup.find_all(string=lambda s: isinstance(s, Comment))):
        node.extract()


def top_lines(soup: BeautifulSoup, limit: int = 40) -> list[str]:
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


def short_text(tag: Tag, limit: int = 200) -> str:
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
