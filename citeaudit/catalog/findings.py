"""Document-level findings: what a fact-checker should look at before anything is probed.

These are offline observations over the whole catalog: the same URL cited by many notes, one
page written two ways, an outlet spelled three ways, a post id under two account spellings, an
article id that lost a character, notes nobody cites and markers with no note. They are hints
for a human (each with a confidence), never a verdict on a source.

The typo heuristics live in `typos`; the rest (repeats, variants, links, citations) here.
"""

from __future__ import annotations

from collections import defaultdict
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
        for url, numbers in occ.notes_of.items()
        if len(numbers) > 1
    ]


def _page(url: str) -> str:
    """What is left of a URL once scheme, fragment and a trailing slash are set aside."""
    _, _, rest = url.partition("://")
    head, sep, query = rest.split("#", 1)[0].partition("?")
    return head.rstrip("/") + sep + query


def same_resource_variants(occ: Occurrences) -> list[Finding]:
    """One page written with another scheme or with/without a trailing slash."""
    # Keyed by the hash of the page, not the page: a 50,000-note catalog would otherwise hold
    # a second copy of every URL at once. Equal hashes are grouped by the real page below.
    first: dict[int, str] = {}
    clashes: dict[int, list[str]] = {}
    for url in occ.checkable():
        h = hash(_page(url))
        seen = first.setdefault(h, url)
        if seen != url:
            clashes.setdefault(h, [seen]).append(url)
    out = []
    for candidates in clashes.values():
        groups: dict[str, list[str]] = defaultdict(list)
        for url in candidates:
            groups[_page(url)].append(url)
        for urls in groups.values():
            if len(urls) > 1:
                out.append(
                    Finding(
                        FindingKind.SAME_RESOURCE_VARIANT,
                        "the same page is written "
                        f"{len(urls)} ways (scheme or trailing slash differ): "
                        f"{' vs '.join(urls)}",
                        notes=occ.notes(urls),
                        urls=tuple(urls),
                        confidence="high",
                    )
                )
    return out


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
    numbers = {n.number for n in notes}
    cited = {m for c in claims for m in c.notes}
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
