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
import re
from operator import itemgetter

from bs4 import BeautifulSoup, Tag

from citeaudit.errors import InputError
from citeaudit.models import CitationStyle, Finding, FindingKind, Span
from citeaudit.parse.dates import find_date
from citeaudit.parse.html_claims import link_claims
from citeaudit.parse.html_dom import (
    HEADINGS,
    NOTES_HEADING,
    iter_tags,
    parse_html,
    short_text,
    strip_ignored,
    title_and_date,
    top_lines,
)
from citeaudit.parse.html_linked import find_linked, localize_cross_page_cites
from citeaudit.parse.html_main import localize_self_links, main_content, own_site_links, page_of
from citeaudit.parse.html_render import Body, Source, note_from, render
from citeaudit.parse.raw import RawDocument, RawNote
from citeaudit.parse.rendered import parse_rendered

_MD_LINK = re.compile(r"\[((?:\\.|[^\]\\]){0,2000})\]\([^)\s]{1,8000}\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s>]{1,8000})>")
_RENDERED_URL = re.compile(
    r"\]\((?P<md>[^)\s]{1,8000})\)|<(?P<auto>(?:https?|ftp)://[^\s>]{1,8000})>"
)


def read_html(data: bytes, path: str, *, site_links: bool = False) -> RawDocument:
    """Parse an HTML report into claims and notes (positions are HTML source lines).

    `site_links` (a run given `--base-url`): relative links of the main content and the notes
    are sources, flagged `relative`, for the base URL to resolve; without it they are the own
    site's navigation (wiki pages, tag pages), never sources.
    """
    soup = parse_html(data, path)
    document = _read_soup(soup, path, _source_text(data, soup), site_links)
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


def _notes_headings(soup: BeautifulSoup) -> list[Tag]:
    return [h for h in soup.find_all(list(HEADINGS)) if NOTES_HEADING.match(short_text(h))]


def _read_soup(soup: BeautifulSoup, path: str, source: str, site_links: bool) -> RawDocument:
    title, found_date = title_and_date(soup)
    if found_date is None:
        found_date = find_date(top_lines(soup))
    page = page_of(soup)  # before comments go: a browser writes "saved from url" in one
    localize_self_links(soup, page)
    strip_ignored(soup)
    localize_cross_page_cites(soup)
    linked = find_linked(soup)
    keep = _notes_headings(soup) if linked is None else [*linked.containers, *linked.ref_tags]
    root, chrome = main_content(soup, keep)
    inside = {id(root), *(id(t) for t in iter_tags(root))}
    unchecked = () if site_links else _unchecked(own_site_links(root, chrome, page))
    if linked is None:
        body = Body(set(), {}, chrome, inside, page, Source(source), site_links=site_links)
        rows = list(render(soup, links=None, body=body, scheme=page.scheme, site_links=site_links))
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
        findings = (*raw.findings, *unchecked)
        return dataclasses.replace(raw, claims=visible, notes=placed, findings=findings)
    skip = {id(b) for b in linked.containers}
    body = Body(skip, linked.refs, chrome, inside, page, Source(source), site_links=site_links)
    notes = [
        note_from(b, linked.numbers[id(b)], page.scheme, site_links=site_links)
        for b in linked.containers
    ]
    claims, inline = link_claims(soup, linked, body)
    return RawDocument(
        title=title,
        date=found_date,
        claims=tuple(claims),
        notes=(*notes, *inline),
        findings=unchecked,
        input_format="html",
    )


def _unchecked(count: int) -> tuple[Finding, ...]:
    """The finding that says how many relative links were left out for want of a base URL."""
    if not count:
        return ()
    links = "link" if count == 1 else "links"
    message = (
        f"{count} relative {links} in the main content (the page's own site) not checked: "
        "give --base-url (the site's address or root folder) to check them"
    )
    return (Finding(FindingKind.RELATIVE_LINKS_UNCHECKED, message),)
