"""Linked notes: markers that link to their notes inside the page (`<a href="#fn1">`).

Word's HTML export (`#_edn1` / `<a name="_edn1">`, also `_ftn`), WordPress and Drupal footnote
plugins, Wikipedia (`<sup class="reference">` -> `<ol class="references">`), Pandoc and
Markdown (`<a class="footnote-ref">` -> `<section class="footnotes">`): the link graph says
which marker cites which note box. A link back up the page is a backlink, and items of a notes
list no marker links to are notes too (never cited).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from citeaudit.parse.html_dom import LEADING_LABEL, attr, classes, iter_tags, text_of

_CONTAINERS = frozenset({"li", "p", "div", "dd", "dt", "td", "aside", "section", "blockquote"})
_NOT_NOTES = frozenset({"body", "main", "article", "html", "h1", "h2", "h3", "h4", "h5", "h6"})
_REF_TEXT = re.compile(r"^[\[(]?\s*(\d{1,5})\s*[\])]?\.?$")
_REF_HINT = re.compile(r"foot|fn|note|ref|cite|edn|ftn", re.IGNORECASE)
_MAX_NOTES = 100_000
_NOTE_REF_ROLES = frozenset({"doc-noteref", "doc-biblioref"})
_NOTE_ROLES = frozenset({"doc-footnote", "doc-endnote", "doc-biblioentry"})
_NOTE_CLASSES = frozenset({"citation", "footnote"})
_PLAIN_LINK_CLASSES = frozenset({"reference", "internal", "external"})
_MAX_LABEL = 40
_DOI = re.compile(r"\bdoi:\s?(10\.\d{4,9}/\S+?)(?=[.,;]?(?:\s|$))", re.IGNORECASE)


def _digits(text: str) -> int | None:
    text = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)
    m = _REF_TEXT.match(text.strip())
    return int(m.group(1)) if m else None


def _is_ref(a: Tag, target: Tag) -> bool:
    text = " ".join(text_of(a).split())
    if _digits(text) is not None:
        return True
    if attr(a, "role") in _NOTE_REF_ROLES or _is_note_box(target):
        # docutils and Sphinx: `[Census2020]` links to its citation by label, not number
        return 0 < len(text) <= _MAX_LABEL
    # docutils gives every link the class "reference": it hints at nothing
    own = " ".join(c for c in classes(a).split() if c not in _PLAIN_LINK_CLASSES)
    hinted = (
        a.find_parent("sup") is not None
        or a.find("sup") is not None
        or _REF_HINT.search(own + " " + attr(a, "role"))
    )
    return bool(hinted) and 0 < len(text) <= 8


def _is_note_box(tag: Tag) -> bool:
    """A footnote or citation box by its ARIA role or docutils' class (`div.citation`)."""
    return attr(tag, "role") in _NOTE_ROLES or bool(_NOTE_CLASSES & set(classes(tag).split()))


def _container(target: Tag) -> Tag | None:
    node: Tag | None = target
    while node is not None and node.name not in _CONTAINERS:
        if node.name in _NOT_NOTES:
            return None
        node = node.parent
    return node


@dataclass
class Linked:
    """The notes boxes of a page and the markers that cite them."""

    containers: list[Tag]
    numbers: dict[int, int]
    """id(container) -> note number."""
    refs: dict[int, int]
    """id(ref <a>) -> note number."""
    ref_tags: list[Tag] = field(default_factory=list)


def localize_cross_page_cites(soup: BeautifulSoup) -> None:
    """Give Sphinx citations of another page's bibliography a note box in this page.

    sphinxcontrib-bibtex links `:cite:` to the one page holding `.. bibliography::`
    (`../report.html#id12`) and writes the entry, as formatted, in the link's `title`; a page
    without the bibliography still says what it cites. Each cited entry becomes a
    `doc-biblioentry` box at the end of the page, at the position of its first citation.
    """
    boxes: dict[str, str] = {}
    body = soup.body or soup
    for a in soup.select(".bibtex-citation > a[href][title]"):
        href, title = attr(a, "href"), " ".join(attr(a, "title").split())
        if href.startswith("#") or "#" not in href or not title:
            continue
        if href not in boxes:
            boxes[href] = f"citeaudit-cited-{len(boxes) + 1}"
            box = soup.new_tag("div", attrs={"id": boxes[href], "role": "doc-biblioentry"})
            box.sourceline, box.sourcepos = a.sourceline, a.sourcepos
            entry = soup.new_tag("p")
            entry.sourceline, entry.sourcepos = a.sourceline, a.sourcepos
            entry.append(_DOI.sub(r"https://doi.org/\1", title))
            box.append(entry)
            body.append(box)
        a["href"] = "#" + boxes[href]


def find_linked(soup: BeautifulSoup) -> Linked | None:
    """The page's linked notes and the markers citing them (None when it has none)."""
    by_id: dict[str, Tag] = {}
    anchors: list[Tag] = []
    order: dict[int, int] = {}
    for tag in iter_tags(soup):
        order[id(tag)] = len(order)
        for key in ("id", "name") if tag.name == "a" else ("id",):
            value = attr(tag, key)
            if value and value not in by_id:
                by_id[value] = tag
        if tag.name == "a" and attr(tag, "href").startswith("#"):
            anchors.append(tag)
    candidates: list[tuple[Tag, Tag]] = []
    for a in anchors:
        target = by_id.get(attr(a, "href")[1:])
        # A note follows the marker citing it; a link back up the page is a backlink (Word and
        # Drupal write both directions with the same markup).
        if target is None or order[id(target)] < order[id(a)] or not _is_ref(a, target):
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
        inside.update(id(t) for t in iter_tags(box))
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
            wanted = _digits(" ".join(text_of(a).split()))
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
    return Linked(containers, numbers, ref_numbers, [a for a, _ in refs])


def _add_uncited(boxes: dict[int, Tag], numbers: dict[int, int], used: set[int]) -> None:
    """Items of a notes list that no marker links to are notes too (never cited)."""
    lists = {id(b.parent): b.parent for b in boxes.values() if b.name == "li" and b.parent}
    # docutils and Sphinx write citations as `div.citation` boxes side by side in one list;
    # a bibliography lists entries other pages of the project cite
    listed = {id(b.parent): b.parent for b in boxes.values() if _is_note_box(b) and b.parent}
    for parent in listed.values():
        for item in parent.find_all(_is_note_box, recursive=False):
            if id(item) in boxes or not text_of(item).strip():
                continue
            label = item.find(class_="label")
            wanted = _digits(text_of(label)) if isinstance(label, Tag) else None
            number = wanted if wanted is not None and wanted not in used else max(used) + 1
            boxes[id(item)] = item
            numbers[id(item)] = number
            used.add(number)
    for parent in lists.values():
        if parent.name != "ol":
            continue
        start = attr(parent, "start")
        position = int(start) - 1 if start.isdigit() else 0
        for item in parent.find_all("li", recursive=False):
            position += 1
            if id(item) in boxes or not text_of(item).strip():
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
    for tag in iter_tags(parent):
        if id(tag) in ref_ids:
            return box
        if id(tag) in targets or (tag.name == "p" and tag is not box and _is_note_p(tag)):
            seen += 1
            if seen > 1:
                return box
    return parent


def _is_note_p(tag: Tag) -> bool:
    return bool(LEADING_LABEL.match(text_of(tag)[:12])) and bool(tag.find("a", href=True))
