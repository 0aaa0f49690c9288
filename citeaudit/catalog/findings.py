"""Document-level findings: what a fact-checker should look at before anything is probed.

These are offline observations over the whole catalog: the same URL cited by many notes, one
page written two ways, an outlet spelled three ways, a post id under two account spellings, an
article id that lost a character, notes nobody cites and markers with no note. They are hints
for a human (each with a confidence), never a verdict on a source.

The typo heuristics live in `typos`; the rest (repeats, variants, links, citations) here.
"""

from __future__ import annotations

from collections.abc import Sequence

from citeaudit.catalog.occurrences import Occurrences
from citeaudit.catalog.typos import account_spellings, domain_spellings, path_variants
from citeaudit.models import Claim, Finding, FindingKind, Flag, Note


def cited_in_many(occ: Occurrences) -> list[Finding]:
    """The same normalized URL cited in several notes."""
    return [
        Finding(
            FindingKind.CITED_IN_MANY,
            f"the same URL is cited in {len(numbers)} notes ({', '.join(map(str, numbers))})",
            notes=tuple(numbers),
            urls=(url,),
        )
        for url, numbers in occ.repeated()
    ]


def _page(url: str) -> str:
    """What is left of a URL once scheme, fragment and a trailing slash are set aside."""
    _, _, rest = url.partition("://")
    head, sep, query = rest.split("#", 1)[0].partition("?")
    return head.rstrip("/") + sep + query


def same_resource_variants(occ: Occurrences) -> list[Finding]:
    """One page written with another scheme or with/without a trailing slash."""
    # Two passes over a bitmap of page hashes rather than a table of every page: the whole
    # catalog is alive while findings run, and a dict (or set) of one entry per URL cost more
    # than half the file's size again. The first pass marks the hash slots seen twice; only
    # URLs in those slots (the variants, and a few strangers sharing a slot) are grouped by
    # their real page in the second.
    bits = _hash_bits(occ.sources)
    seen, twice = bytearray(bits >> 3), bytearray(bits >> 3)
    mask = bits - 1
    for s in occ.checkable():
        slot = hash(_page(s.url)) & mask
        byte, bit = slot >> 3, 1 << (slot & 7)
        if seen[byte] & bit:
            twice[byte] |= bit
        else:
            seen[byte] |= bit
    del seen
    groups: dict[str, list[str]] = {}
    # A page is reported where its second spelling appears, as it was when pages were grouped
    # by one table in a single pass.
    order: list[list[str]] = []
    for s in occ.checkable():
        page = _page(s.url)
        slot = hash(page) & mask
        if twice[slot >> 3] & (1 << (slot & 7)):
            urls = groups.setdefault(page, [])
            urls.append(s.url)
            if len(urls) == 2:
                order.append(urls)
    return [
        Finding(
            FindingKind.SAME_RESOURCE_VARIANT,
            "the same page is written "
            f"{len(urls)} ways (scheme or trailing slash differ): "
            f"{' vs '.join(urls)}",
            notes=occ.notes(urls),
            urls=tuple(urls),
            confidence="high",
        )
        for urls in order
    ]


def _hash_bits(items: Sequence[object]) -> int:
    """A power of two over 16 times len(items): a stranger shares a URL's slot 1 time in 16."""
    return max(64, 1 << (16 * len(items)).bit_length())


def link_findings(notes: Sequence[Note]) -> list[Finding]:
    """Truncated URLs, and links whose visible URL differs from their target."""
    out: list[Finding] = []
    for note in notes:
        differing = [s for s in note.sources if Flag.LINK_TEXT_DIFFERS in s.flags]
        for shown, target in zip(differing[::2], differing[1::2], strict=False):
            out.append(
                Finding(
                    FindingKind.LINK_TEXT_DIFFERS,
                    f"note {note.number}: a link shows {shown.url} but points to {target.url}",
                    notes=(note.number,),
                    urls=(shown.url, target.url),
                    line=shown.span.line,
                )
            )
        for s in note.sources:
            if Flag.TRUNCATED in s.flags:
                out.append(
                    Finding(
                        FindingKind.TRUNCATED,
                        f"note {note.number}: URL truncated with '...', it cannot be checked: "
                        f"{s.as_written}",
                        notes=(note.number,),
                        urls=(s.url,),
                        line=s.span.line,
                    )
                )
    return out


def citation_findings(notes: Sequence[Note], claims: Sequence[Claim]) -> list[Finding]:
    """Notes never cited, markers with no note, empty notes."""
    # dict.fromkeys, not sets: a set of 5,000 numbers takes 0.5 MB (it grows fourfold), a dict
    # a quarter of that, and both are alive next to the whole catalog.
    numbers = dict.fromkeys(n.number for n in notes)
    cited = dict.fromkeys(m for c in claims for m in c.notes if m in numbers)
    out: list[Finding] = []
    for note in notes:
        if not note.text.strip():
            out.append(
                Finding(
                    FindingKind.EMPTY_NOTE,
                    f"note {note.number} is empty",
                    notes=(note.number,),
                    line=note.line,
                )
            )
        if note.number not in cited:
            out.append(
                Finding(
                    FindingKind.NOTE_NEVER_CITED,
                    f"note {note.number} is never cited in the body",
                    notes=(note.number,),
                    line=note.line,
                )
            )
    for claim in claims:
        for m in claim.notes:
            if m not in numbers:
                label = str(m) if m < 1_000_000 else "a footnote"
                out.append(
                    Finding(
                        FindingKind.MARKER_WITHOUT_NOTE,
                        f"line {claim.line}: marker [{label}] has no note",
                        notes=(m,),
                        line=claim.line,
                    )
                )
    return out


def document_findings(notes: Sequence[Note], claims: Sequence[Claim]) -> tuple[Finding, ...]:
    """Every document-level finding, in a stable order."""
    occ = Occurrences(notes)
    return (
        *cited_in_many(occ),
        *same_resource_variants(occ),
        *domain_spellings(occ),
        *account_spellings(occ),
        *path_variants(occ),
        *link_findings(notes),
        *citation_findings(notes, claims),
    )
