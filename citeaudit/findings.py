"""Document-level findings: what a fact-checker should look at before anything is probed.

These are offline observations over the whole catalog: the same URL cited by many notes, one
page written two ways, an outlet spelled three ways, a post id under two account spellings, an
article id that lost a character, notes nobody cites and markers with no note. They are hints
for a human (each with a confidence), never a verdict on a source.

Every comparison is bucketed (by host, by path shape) and bounded, so a document with 50,000
notes does not turn this into a quadratic scan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from citeaudit.models import Claim, Finding, FindingKind, Flag, Note, Source
from citeaudit.outlets import registered_domain

_MAX_DOMAINS = 3000
_MAX_BUCKET = 300
_MIN_LABEL = 6
_MIN_ACCOUNT = 4
_MIN_SEGMENT = 16
_MIN_ARTICLE_ID = 5


def bounded_levenshtein(a: str, b: str, bound: int) -> int:
    """Edit distance of a and b, or bound + 1 as soon as it must exceed bound.

    >>> bounded_levenshtein("jharnous", "jharmous", 2)
    1
    >>> bounded_levenshtein("eyeofeufrates.com", "eyeofeuphrates.com", 2)
    2
    >>> bounded_levenshtein("abc", "xyz", 1)
    2
    """
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        best = i
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            best = min(best, current[j])
        if best > bound:
            return bound + 1
        previous = current
    return min(previous[-1], bound + 1)


class _Occurrences:
    """Which notes cite each URL, and the first Source seen for it, in document order."""

    def __init__(self, notes: Sequence[Note]) -> None:
        self.notes_of: dict[str, list[int]] = {}
        self.source_of: dict[str, Source] = {}
        for note in notes:
            for s in note.sources:
                numbers = self.notes_of.setdefault(s.url, [])
                if note.number not in numbers:
                    numbers.append(note.number)
                self.source_of.setdefault(s.url, s)

    def notes(self, urls: Iterable[str]) -> tuple[int, ...]:
        return tuple(sorted({n for u in urls for n in self.notes_of.get(u, ())}))

    def checkable(self) -> list[str]:
        return [u for u, s in self.source_of.items() if s.checkable]


def _components(items: Sequence[str], linked) -> list[list[str]]:
    """Connected components of `items` under the `linked(a, b)` relation (single linkage)."""
    parent = {x: x for x in items}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ordered = sorted(items, key=len)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if len(b) - len(a) > 2:
                break
            if linked(a, b):
                parent[find(a)] = find(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for x in items:
        groups[find(x)].append(x)
    return [g for g in groups.values() if len(g) > 1]


def _split(url: str) -> tuple[str, list[str]]:
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a truncated "http://[4-6" that never became a valid URL
        return "", []
    return (parts.hostname or ""), [s for s in parts.path.split("/") if s]


def cited_in_many(occ: _Occurrences) -> list[Finding]:
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


def same_resource_variants(occ: _Occurrences) -> list[Finding]:
    """One page written with another scheme or with/without a trailing slash."""
    groups: dict[str, list[str]] = defaultdict(list)
    for url in occ.checkable():
        _, _, rest = url.partition("://")
        path_and_query = rest.split("#", 1)[0]
        head, sep, query = path_and_query.partition("?")
        groups[head.rstrip("/") + sep + query].append(url)
    out = []
    for urls in groups.values():
        if len(urls) > 1:
            out.append(
                Finding(
                    FindingKind.SAME_RESOURCE_VARIANT,
                    "the same page is written "
                    f"{len(urls)} ways (scheme or trailing slash differ): {' vs '.join(urls)}",
                    notes=occ.notes(urls),
                    urls=tuple(urls),
                    confidence="high",
                )
            )
    return out


def domain_spellings(occ: _Occurrences) -> list[Finding]:
    """One outlet's domain spelled several ways (eyeofeufrates / eyeofeuphrates)."""
    by_domain: dict[str, list[str]] = defaultdict(list)
    for url in occ.checkable():
        host, _ = _split(url)
        if host:
            by_domain[registered_domain(host)].append(url)
    domains = [d for d in by_domain if len(d.split(".")[0]) >= _MIN_LABEL]
    if len(domains) > _MAX_DOMAINS:
        return []

    def linked(a: str, b: str) -> bool:
        if a.rsplit(".", 1)[-1] != b.rsplit(".", 1)[-1]:
            return False
        bound = 2 if min(len(a), len(b)) >= 10 else 1
        return bounded_levenshtein(a, b, bound) <= bound

    out = []
    for group in _components(domains, linked):
        group.sort(key=lambda d: min(occ.notes_of[u][0] for u in by_domain[d]))
        urls = [u for u in occ.source_of if u in {x for d in group for x in by_domain[d]}]
        spelled = ", ".join(
            f"{d} (notes {', '.join(map(str, occ.notes(by_domain[d])))})" for d in group
        )
        out.append(
            Finding(
                FindingKind.POSSIBLE_TYPO,
                f"one outlet's domain may be spelled {len(group)} ways: {spelled}",
                notes=occ.notes(urls),
                urls=tuple(urls),
                confidence="high" if len(group) >= 3 else "medium",
            )
        )
    return out


def account_spellings(occ: _Occurrences) -> list[Finding]:
    """Platform accounts one or two letters apart; a shared post id makes a typo likely."""
    by_account: dict[tuple[str, str], list[str]] = defaultdict(list)
    for url in occ.checkable():
        outlet = occ.source_of[url].outlet
        platform, sep, account = outlet.partition("/")
        if sep and len(account) >= _MIN_ACCOUNT:
            by_account[(platform, account)].append(url)
    per_platform: dict[str, list[str]] = defaultdict(list)
    for platform, account in by_account:
        per_platform[platform].append(account)
    out = []
    for platform, accounts in per_platform.items():
        if len(accounts) > _MAX_DOMAINS:
            continue
        linked = lambda a, b: bounded_levenshtein(a.lower(), b.lower(), 2) <= 2  # noqa: E731
        for group in _components(accounts, linked):
            urls = [u for a in group for u in by_account[(platform, a)]]
            by_post: dict[str, list[str]] = defaultdict(list)
            for u in urls:
                _, segments = _split(u)
                if len(segments) >= 2:
                    by_post[segments[-1]].append(u)
            shared = [us for us in by_post.values() if len(us) > 1]
            names = " vs ".join(f"{platform}/{a}" for a in group)
            if shared:
                for us in shared:
                    out.append(
                        Finding(
                            FindingKind.POSSIBLE_TYPO,
                            f"the same post id is cited under two account spellings: {names}",
                            notes=occ.notes(us),
                            urls=tuple(us),
                            confidence="high",
                        )
                    )
            else:
                out.append(
                    Finding(
                        FindingKind.POSSIBLE_TYPO,
                        f"account names differ by one or two characters: {names}",
                        notes=occ.notes(urls),
                        urls=tuple(urls),
                        confidence="low",
                    )
                )
    return out


def path_variants(occ: _Occurrences) -> list[Finding]:
    """Same host and path but one segment off: a dropped character or a second slug."""
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for url in occ.checkable():
        host, segments = _split(url)
        if segments:
            groups[(host, len(segments))].append(url)
    out = []
    seen: set[frozenset[str]] = set()
    # One host and path length at a time: each group's buckets are dropped before the next
    # group's are built, so memory follows the largest group, not the whole document.
    for urls_of_group in groups.values():
        if len(urls_of_group) < 2:
            continue
        buckets: dict[tuple[int, tuple[str, ...]], list[str]] = defaultdict(list)
        for url in urls_of_group:
            segments = _split(url)[1]
            for i in range(len(segments)):
                buckets[(i, (*segments[:i], *segments[i + 1 :]))].append(url)
        for (index, _), urls in buckets.items():
            if len(urls) < 2 or len(urls) > _MAX_BUCKET:
                continue
            for i, a in enumerate(urls):
                for b in urls[i + 1 :]:
                    pair = frozenset((a, b))
                    if pair in seen:
                        continue
                    finding = _path_pair(occ, a, b, index)
                    if finding is not None:
                        seen.add(pair)
                        out.append(finding)
    return out


def _path_pair(occ: _Occurrences, a: str, b: str, index: int) -> Finding | None:
    sa, sb = _split(a)[1][index], _split(b)[1][index]
    if len(sa) >= _MIN_SEGMENT and abs(len(sa) - len(sb)) == 1:
        if bounded_levenshtein(sa, sb, 1) == 1:
            return Finding(
                FindingKind.POSSIBLE_TYPO,
                f"the same path differs by one character (a dropped or doubled letter): {a} vs {b}",
                notes=occ.notes((a, b)),
                urls=(a, b),
                confidence="high",
            )
    segments = _split(a)[1]
    if index > 0 and index == len(segments) - 1:
        ident = segments[index - 1]
        if ident.isdigit() and len(ident) >= _MIN_ARTICLE_ID and sa != sb:
            return Finding(
                FindingKind.POSSIBLE_TYPO,
                f"the same article id {ident} is cited with two different slugs: {a} vs {b}",
                notes=occ.notes((a, b)),
                urls=(a, b),
                confidence="medium",
            )
    return None


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
    occ = _Occurrences(notes)
    return (
        *cited_in_many(occ),
        *same_resource_variants(occ),
        *domain_spellings(occ),
        *account_spellings(occ),
        *path_variants(occ),
        *link_findings(notes),
        *citation_findings(notes, claims),
    )
