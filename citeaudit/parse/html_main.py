"""Which links of an HTML page are sources: the main content without chrome, not the own site.

A reader sees an article, not the page around it. Navigation, headers, footers, `aside`, menus,
share buttons, comment sections, "related" blocks, tag and author links are page chrome; links
to the page's own site (wiki pages, ISBN lookups, tag pages) are navigation, not citations.

Why an own heuristic and not trafilatura or readability-lxml: benchmarks/bench_html_main.py
compares the three on seven pages with real-world chrome. Both libraries re-serialize the text
they keep, so no kept link can be traced back to its line in the original file, and both lose
and keep the wrong links: trafilatura found 21 of 28 sources at precision 0.70 (none of the
blog post's, no footnote of the saved page), readability-lxml 21 of 28 at precision 0.64
(nothing of the Wikipedia-like page; own-site and navigation links kept). The parse tree
already holds every position, and the signals those libraries use first (semantic elements,
ARIA roles, class and id names, link-only blocks) are cheap to read from it.

The rules, all on the BeautifulSoup tree: the main root is the most specific content candidate
(`itemprop=articleBody`, `main`, `article`, `role=main`, well-known content classes) that holds
most of the candidates' text; chrome is any element (outside that root's ancestors) that is a
chrome element, has a chrome role, or has a class or id naming chrome (but never one holding
most of the page's text); share-button URLs are never sources; the page's own URL comes
from `<link rel=canonical>`, `og:url`, `<base href>`, the "saved from url" comment browsers
write, or, in a page saved from a browser, from absolute links to fragments of the page itself.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from citeaudit.parse.html_dom import attr
from citeaudit.parse.suffixes import registered_domain
from citeaudit.parse.url_bounds import is_relative_href

_CHROME_TAGS = frozenset(
    {"nav", "header", "footer", "aside", "form", "menu", "button", "dialog", "select"}
)
_CHROME_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
)
# One segment of a class or id ("share" in "post-share-buttons"), so "has-sidebar" on <body> or
# "tag-syria" on a WordPress <article> never matter: those elements are never chrome.
_CHROME_WORD = re.compile(
    r"^(?:nav|navbar|navigation|menu|breadcrumbs?|share|sharing|sharedaddy|social|comments?"
    r"|disqus|related|recommended|sidebar|widgets?|tags|tagcloud|byline|author|newsletter"
    r"|subscribe|promo|advert|ads|cookie|masthead|pagination|skip|editsection|navbox|catlinks"
    r"|jump|printfooter|footer|header|toolbar|topbar)$"
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_NEVER_CHROME = frozenset({"html", "body", "main", "article"})
_CONTENT_WORDS = re.compile(
    r"^(?:entry-content|post-content|post-body|article-body|article-content|articlebody"
    r"|story-body|story-content|mw-content-text|mw-parser-output|main-content|content-body)$",
    re.IGNORECASE,
)
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)", re.IGNORECASE)
_REF_FRAGMENT = re.compile(r"fn|ref|note|edn|ftn|cite", re.IGNORECASE)
_NOT_SOURCE_REL = frozenset({"tag", "author", "category", "bookmark", "prev", "next"})
_WEB = ("http://", "https://", "ftp://")
# Share buttons post the page itself somewhere; whatever their class, they cite nothing.
_SHARE_URL = re.compile(
    r"^https?://(?:[\w-]+\.)*(?:facebook\.com/sharer|twitter\.com/(?:intent|share)"
    r"|x\.com/intent|linkedin\.com/(?:shareArticle|sharing)|reddit\.com/submit"
    r"|pinterest\.com/pin/create|api\.whatsapp\.com/send|wa\.me/\?|t\.me/share"
    r"|telegram\.me/share|news\.ycombinator\.com/submitlink|getpocket\.com/save"
    r"|tumblr\.com/share|vk\.com/share|bsky\.app/intent)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Page:
    """What the page says about itself: its own URL (if known) and its registered domain."""

    url: str | None = None
    site: str | None = None
    scheme: str = "https"


def _words(tag: Tag) -> list[str]:
    names = attr(tag, "class").split() + attr(tag, "id").split()
    return [part for name in names for part in re.split(r"[-_]", name.lower()) if part]


def is_chrome(tag: Tag) -> bool:
    """An element a reader does not read as the article: navigation, share, comments, ..."""
    if tag.name in _NEVER_CHROME:
        return False
    if tag.name in _CHROME_TAGS or attr(tag, "role").lower() in _CHROME_ROLES:
        return True
    if tag.has_attr("hidden") or attr(tag, "aria-hidden").lower() == "true":
        return True  # a reader never sees it
    if _HIDDEN_STYLE.search(attr(tag, "style")):
        return True
    return any(_CHROME_WORD.match(word) for word in _words(tag))


def _own_size(node: object, sizes: dict[int, int]) -> int:
    if isinstance(node, Tag):
        return sizes.get(id(node), 0)
    if isinstance(node, NavigableString) and not isinstance(node, Comment):
        return len(node.strip())
    return 0


def _sizes(root: Tag) -> tuple[dict[int, int], dict[int, int]]:
    """Visible text length and depth of every element, in one pass (deep markup stays linear)."""
    sizes: dict[int, int] = {}
    depth: dict[int, int] = {id(root): 0}
    stack: list[tuple[Tag, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            sizes[id(node)] = sum(_own_size(c, sizes) for c in node.contents)
            continue
        stack.append((node, True))
        for child in node.contents:
            if isinstance(child, Tag):
                depth[id(child)] = depth[id(node)] + 1
                stack.append((child, False))
    return sizes, depth


def _is_candidate(tag: Tag) -> bool:
    if tag.name in ("main", "article") or attr(tag, "role").lower() == "main":
        return True
    if attr(tag, "itemprop").lower() == "articlebody":
        return True
    names = attr(tag, "class").split() + attr(tag, "id").split()
    return any(_CONTENT_WORDS.match(name) for name in names)


def _ancestors(tags: list[Tag]) -> set[int]:
    """ids of the given elements and all their ancestors (each climbed once)."""
    seen: set[int] = set()
    for tag in tags:
        node: Tag | None = tag
        while node is not None and id(node) not in seen:
            seen.add(id(node))
            node = node.parent
    return seen


def main_content(soup: BeautifulSoup, keep: list[Tag]) -> tuple[Tag, set[int]]:
    """The element holding the article, and the ids of the chrome to leave out.

    The root is the deepest candidate with most of the candidates' text. Chrome is never the
    root, one of its ancestors, an element holding a `keep` element (a note, a marker, a notes
    heading) or one holding most of the page's text (a layout wrapper named "has-sidebar").
    """
    body = soup.body if isinstance(soup.body, Tag) else soup
    sizes, depth = _sizes(soup)
    tags = [t for t in soup.descendants if isinstance(t, Tag)]
    candidates = [t for t in tags if _is_candidate(t)]
    root = body
    largest = max((sizes.get(id(t), 0) for t in candidates), default=0)
    if largest:
        # "Most of": related-article cards are <article>s too, but small ones.
        big = [t for t in candidates if sizes.get(id(t), 0) >= 0.6 * largest]
        root = max(big, key=lambda t: depth.get(id(t), 0))
    protected = _ancestors([root, *keep])
    total = sizes.get(id(body), 0)
    chrome = {
        id(t)
        for t in tags
        if id(t) not in protected and sizes.get(id(t), 0) <= total / 2 and is_chrome(t)
    }
    return root, chrome


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host or None


def _site(url: str | None) -> str | None:

    host = _host(url) if url else None
    if not host:
        return None
    site = registered_domain(host)
    if site == host and host.count(".") >= 2 and not host.replace(".", "").isdigit():
        # A suffix the bundled list does not know (".example", an intranet name): the last two
        # labels, so www.own.example and own.example are one site.
        site = ".".join(host.split(".")[-2:])
    return site


@dataclass
class _Scan:
    """What one walk over the page collects (bs4's filtered find_all walks once per call)."""

    canonical: str | None = None
    og_url: str | None = None
    base: str | None = None
    saved_from: str | None = None
    ids: set[str] = field(default_factory=set)
    hrefs: list[str] = field(default_factory=list)


def _scan(soup: BeautifulSoup) -> _Scan:
    found = _Scan()
    for node in soup.descendants:
        if isinstance(node, Comment):
            m = _SAVED_FROM.search(str(node))
            if m and found.saved_from is None and m.group(1).lower().startswith(_WEB):
                found.saved_from = m.group(1)
            continue
        if not isinstance(node, Tag):
            continue
        if node.get("id"):
            found.ids.add(attr(node, "id"))
        name = node.name
        if name == "a":
            if node.get("name"):
                found.ids.add(attr(node, "name"))
            if node.get("href"):
                found.hrefs.append(attr(node, "href").strip())
        elif name == "link" and found.canonical is None:
            if "canonical" in attr(node, "rel").lower().split() and attr(node, "href"):
                found.canonical = attr(node, "href").strip()
        elif name == "meta" and found.og_url is None:
            if attr(node, "property").lower() == "og:url" and attr(node, "content"):
                found.og_url = attr(node, "content").strip()
        elif name == "base" and found.base is None and attr(node, "href").strip():
            href = attr(node, "href").strip()
            found.base = href if href.lower().startswith(_WEB) else None
    return found


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def page_of(soup: BeautifulSoup) -> Page:
    """The page's own URL and site, declared or inferred from links to its own fragments."""
    scan = _scan(soup)
    url = scan.canonical or scan.og_url or scan.base or scan.saved_from
    votes: Counter[str] = Counter()
    hinted: set[str] = set()
    for href in scan.hrefs:
        if "#" not in href or not href.lower().startswith(_WEB):
            continue
        base, fragment = href.split("#", 1)
        if fragment in scan.ids:
            votes[base] += 1
            if _REF_FRAGMENT.search(fragment):
                hinted.add(base)
    if url is None and votes:
        base, count = votes.most_common(1)[0]
        # One link to an id of this page could be a coincidence ("#top"); a note link or
        # several links are the page's own address, written absolute by "Save page as".
        if count >= 2 or base in hinted:
            url = base
    if url is None:
        return Page()
    scheme = urlsplit(url).scheme.lower() if "://" in url else "https"
    return Page(url, _site(url), scheme if scheme in ("http", "https") else "https")


def localize_self_links(soup: BeautifulSoup, page: Page) -> None:
    """Write absolute links to a fragment of this very page as `#fragment` (in-page links)."""
    if page.url is None:
        return
    own = _without_fragment(page.url).rstrip("/")
    for a in soup.descendants:
        if not isinstance(a, Tag) or a.name != "a":
            continue
        href = attr(a, "href").strip()
        if "#" in href and href.split("#", 1)[0].rstrip("/") == own:
            a["href"] = "#" + href.split("#", 1)[1]


def source_href(a: Tag, page: Page, *, site_links: bool = False) -> str | None:
    """The URL an `<a>` cites, or None when it is no source (anchor, mail, own site, image).

    `site_links` (a run with `--base-url`): a relative href is a source too, resolved later
    against the base URL; without it a relative link is the own site's navigation.
    """
    href = " ".join(attr(a, "href").split())
    if not href or href.startswith("#"):
        return None
    if href.startswith("//"):
        href = f"{page.scheme}:{href}"
    relative = site_links and is_relative_href(href)
    web = href.lower().startswith(_WEB) or href.lower().startswith("www.")
    if not web and not relative:
        return None  # relative (the own site), mailto:, tel:, javascript:, data:
    if _NOT_SOURCE_REL & set(attr(a, "rel").lower().split()):
        return None
    if _SHARE_URL.match(href):
        return None
    if not a.get_text(strip=True) and a.find("img") is not None:
        return None  # a linked image
    if page.site is not None and "://" in href and _site(href) == page.site:
        return None
    return href


def own_site_links(root: Tag, chrome: set[int], page: Page) -> int:
    """How many links of the main content (chrome left out) are relative: the page's own site,
    sources only when a `--base-url` says where that site is."""
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in chrome:
            continue
        if node.name == "a" and source_href(node, page) is None:
            count += source_href(node, page, site_links=True) is not None
        stack.extend(child for child in node.children if isinstance(child, Tag))
    return count
