"""How an explicit hyperlink of HTML, DOCX or PDF is written into rendered text for the catalog.

The readers that render a document to lines of text write every explicit link as Markdown
(`[text](href)`, or `<url>` when the visible text is the URL), so the catalog reads links of all
formats with one set of rules.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from citeaudit.parse.url_bounds import is_relative_href

_AUTHORITY = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,20}://)([^/?#\s]*)")
_WEB_SCHEMES = ("http://", "https://", "www.", "hxxp://", "hxxps://", "ftp://")


def is_web_href(href: str) -> bool:
    """An href that names a web resource (not `#anchor`, `mailto:`, `javascript:`)."""
    return href.strip().lower().startswith(_WEB_SCHEMES)


def _escape_label(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _decode_host(href: str) -> str:
    """Undo percent-encoding in the host, as browsers do (`sana%5Bdot%5Dsy` -> `sana[dot]sy`).

    >>> _decode_host("https://sana%5Bdot%5Dsy/a%20b")
    'https://sana[dot]sy/a%20b'
    """
    m = _AUTHORITY.match(href)
    if m is None or "%" not in m.group(2):
        return href
    return m.group(1) + unquote(m.group(2)) + href[m.end() :]


def escape_href(href: str) -> str:
    """An href made safe inside Markdown link parentheses (spaces, angle brackets, parens)."""
    href = href.replace(" ", "%20").replace("\n", "").replace("\t", "")
    href = href.replace("<", "%3C").replace(">", "%3E")
    if href.count("(") != href.count(")"):
        href = href.replace("(", "%28").replace(")", "%29")
    return href


def link_markup(text: str, href: str, *, relative: bool = True) -> str:
    """How an explicit hyperlink is written into note text for the catalog.

    Visible text that is the href itself (also after percent-decoding) becomes an autolink
    `<url>`, so the catalog treats it exactly as the same URL written in plain text (glued or
    defanged URLs are repaired the same way); anything else becomes `[text](href)`, which the
    catalog reads as one source (text not a URL) or two that disagree (`link_text_differs`).

    >>> link_markup("https://a.example/x", "https://a.example/x")
    '<https://a.example/x>'
    >>> link_markup("see [this]", "https://a.example/x")
    '[see \\\\[this\\\\]](https://a.example/x)'
    >>> link_markup("Home", "#top")
    'Home'
    >>> link_markup("Methods", "../methods.html#sampling")
    '[Methods](../methods.html#sampling)'

    `relative=False` (HTML pages) keeps a relative link's text only: on a web page it is the
    site's own navigation (wiki pages, ISBN lookups, tag pages), not a citation.

    >>> link_markup("ISBN", "/wiki/Special:BookSources/978", relative=False)
    'ISBN'
    """
    text = " ".join(text.split())
    href = _decode_host(href.strip())
    if href and is_relative_href(href) and text:
        if not relative:
            return text
        # a local file or a page of the document's own site: the catalog flags it `relative`
        return f"[{_escape_label(text)}]({escape_href(href)})"
    if not href or not is_web_href(href):
        return text
    same = text and (text == href or unquote(text) == unquote(href))
    if same and not any(c in text for c in " <>"):
        return f"<{text}>"
    return f"[{_escape_label(text)}]({escape_href(href)})"
