"""Content drift and quotes: does the live page still say what the report cites it for?

Why it exists: a link checker stops at "the URL answers". A page can answer and say something else
than when it was cited: an article rewritten, a statement edited, a figure corrected. For a live
source with a capture near the document's date, this module compares the main text of the live
page with the capture's (navigation, boilerplate, scripts and the archive's own toolbar stripped)
and gives a similarity score; under the threshold the source is annotated `drifted`. When a claim
quotes words ("..." or “...”) and cites a source, the quote is looked for in the live page and in
the capture: `quote_found_live`, `quote_found_archived` or `quote_missing`. Quotes are judged per
claim: a claim citing three sources needs its quote in one of them, so the source that holds it
is annotated as found and the other two are not called `quote_missing`; only when none of the
claim's fetched sources holds the quote are they all `quote_missing`.

Text extraction and comparison are pure functions; `annotate` is the only I/O: at most one bounded
GET of the live page and one of the capture per source (never more than `max_bytes` each), through
the checker's own client (same `--resolve`, same refusal of private addresses).

What it does not do: judge meaning. Similarity is word-shingle overlap; a quote is found when its
words appear in order, with case, punctuation and quote styles ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup

from citeaudit.check.content import words
from citeaudit.models import Catalog

DEFAULT_DRIFT_THRESHOLD = 0.5
"""Below this main-text similarity (0..1) a live source is annotated `drifted`."""

DRIFTED = "drifted"
QUOTE_FOUND_LIVE = "quote_found_live"
QUOTE_FOUND_ARCHIVED = "quote_found_archived"
QUOTE_MISSING = "quote_missing"

# Elements that are never the page's own text.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "template",
    "button",
    "select",
)
# Class or id words of navigation and boilerplate blocks (and the Wayback Machine's toolbar).
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|header|sidebar|cookie|cookies|banner|breadcrumb|"
    r"share|social|related|advert|ads|subscribe|wm-ipp|wm-ipp-base|donato)(?:$|[\s_-])",
    re.IGNORECASE,
)
# Straight and typographic double quotes; bounded length keeps the scan linear.
_QUOTES = (
    re.compile(r'"([^"\n]{1,400})"'),
    re.compile(r"“([^”\n]{1,400})”"),
    re.compile(r"«([^»\n]{1,400})»"),
)
_WAYBACK_REPLAY = re.compile(r"(/web/\d{1,14})(/)")


@dataclass(frozen=True, slots=True)
class DriftOptions:
    """How the content step compares pages."""

    threshold: float = DEFAULT_DRIFT_THRESHOLD
    max_bytes: int = 1024 * 1024
    """Read at most this much of each page (live or captured)."""
    window_days: int = 365
    """A capture counts as "near the document date" within this many days of it."""
    min_quote_words: int = 3
    """Quoted phrases shorter than this (scare quotes, titles of one word) are not searched."""
    concurrency: int = 8


def main_text(html: str) -> str:
    """The readable main text of an HTML page: scripts, navigation and boilerplate stripped.

    >>> main_text("<nav>Home</nav><main><p>The  dam   broke.</p></main><script>x()</script>")
    'The dam broke.'
    """
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    noise = [tag for tag in soup.find_all(True) if _is_boilerplate(tag.attrs or {})]
    for tag in noise:
        if not tag.decomposed:
            tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    return " ".join(root.get_text(" ").split())


def _is_boilerplate(attrs: Mapping[str, Any]) -> bool:
    classes = attrs.get("class") or []
    names = " ".join([str(attrs.get("id") or "")] + [str(c) for c in classes])
    return bool(names.strip()) and _BOILERPLATE.search(names) is not None


def _shingles(tokens: Sequence[str], size: int) -> set[tuple[str, ...]]:
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def similarity(a: str, b: str) -> float:
    """Overlap of the two texts' three-word shingles (Jaccard), 0..1; 1 for two empty texts.

    >>> similarity("the dam broke at noon", "the dam broke at noon")
    1.0
    >>> similarity("the dam broke at noon", "prices rose sharply in may")
    0.0
    """
    sa, sb = _shingles(words(a), 3), _shingles(words(b), 3)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def quotes(text: str, *, min_words: int = 3) -> list[str]:
    """The quoted phrases of a claim ("...", “...” or «...») of at least `min_words` words.

    >>> quotes('He said “we will not retreat from Bakhmut” and left. "Ok"')
    ['we will not retreat from Bakhmut']
    """
    found: dict[str, None] = {}
    for pattern in _QUOTES:
        for match in pattern.finditer(text):
            phrase = " ".join(match.group(1).split())
            if len(words(phrase)) >= min_words:
                found.setdefault(phrase, None)
    return list(found)


def contains_quote(page_text: str, quote: str) -> bool:
    """Whether the quote's words appear in order in the page (case and punctuation ignored).

    >>> contains_quote("He said: We will NOT retreat, from Bakhmut.", "we will not retreat from")
    True
    """
    needle = " ".join(words(quote))
    return bool(needle) and f" {needle} " in f" {' '.join(words(page_text))} "


def quotes_by_url(catalogs: Iterable[Catalog], *, min_words: int = 3) -> dict[str, list[str]]:
    """For each URL, the quoted phrases of the claims that cite it."""
    out: dict[str, dict[str, None]] = {}
    for catalog in catalogs:
        for claim in catalog.claims:
            phrases = quotes(claim.text, min_words=min_words)
            if not phrases:
                continue
            for number in claim.notes:
                note = catalog.note(number)
                for source in note.sources if note else ():
                    for phrase in phrases:
                        out.setdefault(source.url, {}).setdefault(phrase, None)
    return {url: list(p) for url, p in out.items()}


def quoted_claims(
    catalogs: Iterable[Catalog], *, min_words: int = 3
) -> list[tuple[str, tuple[str, ...]]]:
    """(quote, URLs the claim cites) for every quote of every claim, in document order."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for catalog in catalogs:
        for claim in catalog.claims:
            phrases = quotes(claim.text, min_words=min_words)
            if not phrases:
                continue
            urls: dict[str, None] = {}
            for number in claim.notes:
                note = catalog.note(number)
                for source in note.sources if note else ():
                    urls.setdefault(source.url, None)
            out += [(phrase, tuple(urls)) for phrase in phrases]
    return out


_QUOTE_LABEL = {
    "live": QUOTE_FOUND_LIVE,
    "archived": QUOTE_FOUND_ARCHIVED,
    "missing": QUOTE_MISSING,
}


def where_found(live_text: str | None, archived_text: str | None, phrase: str) -> str:
    """Where one source's texts hold a quote: "live", "archived" or "missing".

    >>> where_found("we hold the bridge", "we hold the bridge", "hold the bridge")
    'live'
    >>> where_found("prices rose", "we hold the bridge", "hold the bridge")
    'archived'
    """
    if live_text is not None and contains_quote(live_text, phrase):
        return "live"
    if archived_text is not None and contains_quote(archived_text, phrase):
        return "archived"
    return "missing"


def quote_evidence(
    found: Mapping[str, Mapping[str, str]], quoted: Sequence[tuple[str, Sequence[str]]]
) -> dict[str, list[str]]:
    """Per URL, its quote annotations, each quote judged over all the sources of its claim.

    `found[url][quote]` is `where_found` for the sources that were fetched.

    >>> found = {"a": {"q": "live"}, "b": {"q": "missing"}}
    >>> quote_evidence(found, [("q", ("a", "b"))])
    {'a': ['quote_found_live']}
    >>> quote_evidence({"b": {"q": "missing"}}, [("q", ("a", "b"))])
    {'b': ['quote_missing']}
    """
    out: dict[str, dict[str, None]] = {}
    for phrase, urls in quoted:
        places = {u: found[u][phrase] for u in urls if phrase in found.get(u, {})}
        held = {u: p for u, p in places.items() if p != "missing"}
        for url, place in (held or places).items():
            out.setdefault(url, {})[_QUOTE_LABEL[place]] = None
    return {url: list(notes) for url, notes in out.items()}


def evidence(
    live_text: str | None,
    archived_text: str | None,
    phrases: Sequence[str],
    threshold: float,
) -> tuple[tuple[str, ...], float | None]:
    """The annotations and similarity for one source from its two texts (None: not fetched)."""
    notes: list[str] = []
    score = None
    if live_text is not None and archived_text is not None:
        score = similarity(live_text, archived_text)
        if score < threshold:
            notes.append(DRIFTED)
    notes += [_QUOTE_LABEL[where_found(live_text, archived_text, p)] for p in phrases]
    return tuple(dict.fromkeys(notes)), score


def raw_capture_url(url: str) -> str:
    """A Wayback replay URL in its raw form (`id_`): the page as captured, without the toolbar.

    >>> raw_capture_url("https://web.archive.org/web/20240101000000/https://a.org/x")
    'https://web.archive.org/web/20240101000000id_/https://a.org/x'
    """
    return _WAYBACK_REPLAY.sub(r"\1id_\2", url, count=1)
