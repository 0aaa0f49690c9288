"""Place fixes in HTML: only an `<a>`'s href and its link text change; all other markup stays.

The catalog's positions in HTML are lines of rendered text, not byte offsets, so the links are
found again with the standard library's tokenizer (`html.parser`), which reports where each tag
starts: the href value's exact bytes come from the start tag as written, the link text from
between the start tag and `</a>` when it is plain text. A fix applies to every link whose href
is the source's URL (the same URL gets the same verdict wherever it is); a URL the catalog
found as the visible text of a link pointing elsewhere changes in that text only. An archive
capture is added as `<a href="capture">archived</a>` after the dead link's `</a>`.

Deliberately not rewritten: URLs in running text that no link holds (the page shows them, but
only links are edited), and link text broken up by markup.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from bs4.dammit import EncodingDetector

from citeaudit.catalog.normalize import normalize
from citeaudit.fix.diff import show
from citeaudit.fix.edits import drop_overlaps, encoded, rewrite
from citeaudit.fix.model import Edit, Placed, Proposal
from citeaudit.models import Catalog

_HREF = re.compile(r"""(?<![\w-])href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)


@dataclass
class _Link:
    """One `<a href>` as written: where its href value and its text are, in characters."""

    tag_start: int
    tag_end: int
    value_start: int
    value_end: int
    quote: str
    href: str
    text_start: int | None = None
    text_end: int | None = None
    end_tag_end: int | None = None
    nested: bool = False


class _LinkFinder(HTMLParser):
    """Every `<a href>` of a page with the character offsets of its parts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.links: list[_Link] = []
        self._open: _Link | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a link at `<a href>`; any other tag inside one marks its text as markup."""
        if tag != "a":
            if self._open is not None:
                self._open.nested = True
            return
        self._close(None)
        raw = self.get_starttag_text() or ""
        start = self._offset()
        m = _HREF.search(raw)
        if m is None:
            return
        group = next(g for g in (1, 2, 3) if m.group(g) is not None)
        self._open = _Link(
            tag_start=start,
            tag_end=start + len(raw),
            value_start=start + m.start(group),
            value_end=start + m.end(group),
            quote={1: '"', 2: "'", 3: ""}[group],
            href=html.unescape(m.group(group)).strip(),
        )

    def handle_endtag(self, tag: str) -> None:
        """Close the open link at `</a>`."""
        if tag == "a":
            self._close(self._offset())

    def finish(self) -> list[_Link]:
        """Every link, the last one closed even when its `</a>` is missing."""
        self.close()
        self._close(None)
        return self.links

    def _close(self, end_tag: int | None) -> None:
        link = self._open
        if link is None:
            return
        self._open = None
        if end_tag is not None:
            close = self.text.find(">", end_tag)
            link.end_tag_end = close + 1 if close != -1 else None
            if not link.nested:
                link.text_start, link.text_end = link.tag_end, end_tag
        self.links.append(link)


def _links(text: str) -> list[_Link]:
    finder = _LinkFinder(text)
    finder.feed(text)
    return finder.finish()


def page_encoding(data: bytes) -> tuple[str, int]:
    """The encoding a page declares (BOM, meta charset; else UTF-8) and its BOM's length."""
    rest, by_bom = EncodingDetector.strip_byte_order_mark(data)
    if by_bom:
        return by_bom.lower(), len(data) - len(rest)
    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    return (declared or "utf-8").lower(), 0


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass(frozen=True, slots=True)
class _Page:
    """A decoded page with where each line starts, in characters and in bytes."""

    text: str
    encoding: str
    starts: tuple[int, ...]
    byte_starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str, encoding: str, offset: int) -> _Page:
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        byte_starts = []
        for i, start in enumerate(starts):
            byte_starts.append(offset)
            end = starts[i + 1] if i + 1 < len(starts) else len(text)
            offset += len(encoded(text[start:end], encoding))
        return cls(text, encoding, tuple(starts), tuple(byte_starts))

    def byte_at(self, index: int) -> int:
        line = bisect_right(self.starts, index) - 1
        head = self.text[self.starts[line] : index]
        return self.byte_starts[line] + len(encoded(head, self.encoding))

    def where(self, index: int) -> tuple[int, int]:
        line = bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1


def place(data: bytes, catalog: Catalog, proposals: Sequence[Proposal]) -> Placed:
    """The edits that make `proposals` in an HTML page's bytes."""
    encoding, offset = page_encoding(data)
    try:
        text = data[offset:].decode(encoding, "surrogateescape")
    except LookupError:
        reason = f"the page declares an unknown encoding {encoding!r}"
        return Placed((), tuple(p.skipped(reason) for p in proposals))
    page = _Page.of(text, encoding, offset)
    by_url: dict[str, Proposal] = {}
    by_text: dict[str, Proposal] = {}
    for p in proposals:
        by_url.setdefault(p.source.url, p)
        by_text.setdefault(p.source.as_written, p)
    edits: list[Edit] = []
    placed: set[int] = set()
    for link in _links(text):
        edits += _link_edits(page, link, by_url, by_text, placed)
    kept, overlapping = drop_overlaps(edits)
    missing = [
        p.skipped("no link holds this URL (in HTML only links are rewritten)")
        for p in proposals
        if id(p) not in placed and by_url.get(p.source.url) is p
    ]
    return Placed(tuple(kept), (*missing, *overlapping), encoding)


def _link_edits(
    page: _Page,
    link: _Link,
    by_url: dict[str, Proposal],
    by_text: dict[str, Proposal],
    placed: set[int],
) -> list[Edit]:
    text = page.text
    shown = None
    if link.text_start is not None and link.text_end is not None:
        t0, t1 = _stripped(text, link.text_start, link.text_end)
        shown = (t0, t1, html.unescape(text[t0:t1]))
    target = by_url.get(normalize(link.href).url) if link.href else None
    out: list[Edit] = []
    if target is not None:
        placed.add(id(target))
        if target.append:
            if link.end_tag_end is None:
                return []
            capture = html.escape(target.new_url, quote=True)
            at = link.end_tag_end
            out.append(_edit(page, target, at, at, f' <a href="{capture}">archived</a>'))
            return out
        value = html.escape(target.new_url, quote=True)
        quote = link.quote or '"'
        new_value = value if link.quote else f"{quote}{value}{quote}"
        out.append(_edit(page, target, link.value_start, link.value_end, new_value))
        if shown is not None and normalize(shown[2]).url == target.source.url:
            out.append(_edit(page, target, shown[0], shown[1], html.escape(target.new_url)))
        return out
    if shown is not None and shown[2] in by_text:
        # A link showing one URL and pointing at another: the shown URL is a source of its own.
        labelled = by_text[shown[2]]
        if not labelled.append:
            placed.add(id(labelled))
            out.append(_edit(page, labelled, shown[0], shown[1], html.escape(labelled.new_url)))
    return out


def _edit(page: _Page, proposal: Proposal, start: int, end: int, new: str) -> Edit:
    line, column = page.where(start)
    return Edit(
        kind=proposal.kind,
        start=page.byte_at(start),
        end=page.byte_at(end),
        old=page.text[start:end],
        new=new,
        reason=proposal.reason,
        line=line,
        column=column,
        note=proposal.note,
        url=proposal.source.url,
    )


__all__ = ["place", "rewrite", "show"]
