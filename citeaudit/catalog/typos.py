"""Possible typos: one outlet, account or article written a character or two apart.

Every comparison is bucketed (by host, by path shape) and bounded, so a document with 50,000
notes does not turn this into a quadratic scan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from citeaudit.catalog.hosts import host_path_query
from citeaudit.catalog.occurrences import Occurrences
from citeaudit.models import Finding, FindingKind
from citeaudit.parse.suffixes import registered_domain

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


def _typo(occ: Occurrences, message: str, urls: Sequence[str], confidence: str) -> Finding:
    """A possible typo among `urls`, naming the notes that cite them."""
    return Finding(
        FindingKind.POSSIBLE_TYPO,
        message,
        notes=occ.notes(urls),
        urls=tuple(urls),
        confidence=confidence,
    )


def _split(url: str) -> tuple[str, list[str]]:
    parts = host_path_query(url)
    if parts is None:  # e.g. a truncated "http://[4-6" that never became a valid URL
        return "", []
    return parts[0], [s for s in parts[1].split("/") if s]


def domain_spellings(occ: Occurrences) -> list[Finding]:
    """One outlet's domain spelled several ways (eyeofeufrates / eyeofeuphrates)."""
    by_domain: dict[str, list[str]] = defaultdict(list)
    for s in occ.checkable():
        host, _ = _split(s.url)
        if host:
            by_domain[registered_domain(host)].append(s.url)
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
        group.sort(key=lambda d: min(occ.first_note(u) for u in by_domain[d]))
        members = {x for d in group for x in by_domain[d]}  # once: not once per URL
        urls = [s.url for s in occ.sources if s.url in members]
        spelled = ", ".join(
            f"{d} (notes {', '.join(map(str, occ.notes(by_domain[d])))})" for d in group
        )
        out.append(
            _typo(
                occ,
                f"one outlet's domain may be spelled {len(group)} ways: {spelled}",
                urls,
                "high" if len(group) >= 3 else "medium",
            )
        )
    return out


def account_spellings(occ: Occurrences) -> list[Finding]:
    """Platform accounts one or two letters apart; a shared post id makes a typo likely."""
    by_account: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in occ.checkable():
        platform, sep, account = s.outlet.partition("/")
        if sep and len(account) >= _MIN_ACCOUNT:
            by_account[(platform, account)].append(s.url)
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
                        _typo(
                            occ,
                            f"the same post id is cited under two account spellings: {names}",
                            us,
                            "high",
                        )
                    )
            else:
                out.append(
                    _typo(
                        occ,
                        f"account names differ by one or two characters: {names}",
                        urls,
                        "low",
                    )
                )
    return out


def path_variants(occ: Occurrences) -> list[Finding]:
    """Same host and path but one segment off: a dropped character or a second slug."""
    # Only URLs are grouped up front; a group's segments are split (again) when its turn comes
    # and dropped with its buckets before the next group's are built, so memory follows the
    # largest group, not the whole document, which is alive next to it.
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for s in occ.checkable():
        host, segments = _split(s.url)
        if segments:
            groups[(host, len(segments))].append(s.url)
    out: list[Finding] = []
    seen: set[frozenset[str]] = set()
    for (_, length), urls_of_group in groups.items():
        if len(urls_of_group) < 2:
            continue
        segments_of = {url: _split(url)[1] for url in urls_of_group}
        for index, urls in _buckets(urls_of_group, segments_of, length):
            out.extend(_bucket_findings(occ, urls, segments_of, index, seen))
    return out


def _buckets(
    urls: Sequence[str], segments_of: dict[str, list[str]], length: int
) -> list[tuple[int, list[str]]]:
    """(index, URLs) of each bucket of URLs equal in every segment but `index`, worth comparing.

    Buckets come in the order a single table of them all would have made (by their first URL,
    then by index), but are built one index at a time: only the buckets worth comparing outlive
    their index's table.
    """
    kept: list[tuple[int, int, list[str]]] = []
    for index in range(length):
        table: dict[tuple[str, ...], tuple[int, list[str]]] = {}
        for position, url in enumerate(urls):
            segments = segments_of[url]
            rest = (*segments[:index], *segments[index + 1 :])
            entry = table.get(rest)
            if entry is None:
                table[rest] = (position, [url])
            else:
                entry[1].append(url)
        kept.extend(
            (first, index, members)
            for first, members in table.values()
            if 2 <= len(members) <= _MAX_BUCKET
        )
    kept.sort(key=lambda item: item[:2])
    return [(index, members) for _, index, members in kept]


def _one_deletion_pairs(urls: Sequence[str], segment: dict[str, str]) -> set[tuple[int, int]]:
    """Index pairs (i < j) whose segments differ by exactly one dropped or added character.

    Each long segment's one-character deletions are looked up among the others, so a bucket
    costs its total segment length rather than one edit distance per pair of URLs.
    """
    where: dict[str, list[int]] = defaultdict(list)
    for i, url in enumerate(urls):
        where[segment[url]].append(i)
    pairs: set[tuple[int, int]] = set()
    for longer, long_ids in where.items():
        if len(longer) < _MIN_SEGMENT:
            continue
        for k in range(len(longer)):
            shorter = longer[:k] + longer[k + 1 :]
            for i in where.get(shorter, ()):
                pairs.update((min(i, j), max(i, j)) for j in long_ids)
    return pairs


def _bucket_findings(
    occ: Occurrences,
    urls: Sequence[str],
    segments_of: dict[str, list[str]],
    index: int,
    seen: set[frozenset[str]],
) -> list[Finding]:
    """Findings among URLs equal in every path segment but `index`."""
    segment = {url: segments_of[url][index] for url in urls}
    typos = _one_deletion_pairs(urls, segment)
    segments = segments_of[urls[0]]
    ident = segments[index - 1] if index > 0 and index == len(segments) - 1 else ""
    by_id = ident.isdigit() and len(ident) >= _MIN_ARTICLE_ID
    if by_id:
        candidates = [(i, j) for i in range(len(urls)) for j in range(i + 1, len(urls))]
    else:
        candidates = sorted(typos)
    out = []
    for i, j in candidates:
        a, b = urls[i], urls[j]
        pair = frozenset((a, b))
        if pair in seen:
            continue
        if (i, j) in typos:
            finding = _typo(
                occ,
                f"the same path differs by one character (a dropped or doubled letter): {a} vs {b}",
                (a, b),
                "high",
            )
        elif segment[a] != segment[b]:
            finding = _typo(
                occ,
                f"the same article id {ident} is cited with two different slugs: {a} vs {b}",
                (a, b),
                "medium",
            )
        else:
            continue
        seen.add(pair)
        out.append(finding)
    return out
