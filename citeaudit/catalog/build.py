"""Raw notes and claims -> the normalized Catalog every later stage stands on.

Whatever the input format, readers hand over a `RawDocument`; this module finds the URLs in each
note (`parse.urls`), normalizes them, drops duplicates within a note (flagged), assigns outlets
(offline public suffix list), and adds the document-level findings (`findings`). It is pure: no
I/O, no network.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right

from citeaudit.catalog.findings import document_findings
from citeaudit.catalog.normalize import normalize
from citeaudit.catalog.outlets import is_shortlink, outlet_of
from citeaudit.models import Catalog, Claim, Document, Flag, Note, Source, Span

# The module, not its names: parse.urls reads the public suffix list from catalog.outlets, so
# whichever of the two is imported first, the other finds it still loading.
from citeaudit.parse import urls
from citeaudit.parse.raw import RawDocument, RawNote


def source_from_ref(ref: urls.UrlRef, span: Span) -> Source:
    """Normalize one URL reference into a Source with its outlet and flags."""
    if Flag.RELATIVE in ref.flags:
        # a path, not a URL: kept as written, resolved against the document when checked
        return Source(ref.url, ref.as_written, "", ref.flags, span, key=ref.url)
    norm = normalize(ref.url)
    flags = ref.flags
    added: list[Flag] = []
    if norm.non_ascii:
        added.append(Flag.NON_ASCII)
    if not norm.valid and Flag.TRUNCATED not in flags:
        added.append(Flag.INVALID)
    if norm.host and is_shortlink(norm.host):
        added.append(Flag.SHORTLINK)
    if added or len(flags) > 1:
        flags = tuple(dict.fromkeys((*flags, *added)))
    alternates: tuple[str, ...] = ()
    if ref.alternates:
        alternates = tuple(
            a for a in dict.fromkeys(normalize(alt).url for alt in ref.alternates) if a != norm.url
        )
    return Source(
        url=norm.url,
        # Most URLs are written as they normalize: share the string rather than hold two.
        as_written=norm.url if ref.as_written == norm.url else ref.as_written,
        # Interned: a catalog holds one outlet name per source, and a few hundred distinct ones.
        outlet=sys.intern(outlet_of(norm.url)) if norm.valid else "",
        flags=_shared(flags),
        span=span,
        key=norm.key,
        alternates=alternates,
    )


# One tuple per combination of flags, shared by every source that has it: the combinations are
# few (the flags are a small enum, added in a fixed order) and the sources many. Bounded all
# the same, so no input can grow it for the life of the process.
_FLAG_SETS: dict[tuple[Flag, ...], tuple[Flag, ...]] = {}
_MAX_FLAG_SETS = 1024


def _shared(flags: tuple[Flag, ...]) -> tuple[Flag, ...]:
    """The one shared tuple equal to `flags` (or `flags` itself, once the table is full)."""
    shared = _FLAG_SETS.get(flags)
    if shared is not None:
        return shared
    if len(_FLAG_SETS) < _MAX_FLAG_SETS:
        _FLAG_SETS[flags] = flags
    return flags


def note_sources(note: RawNote) -> tuple[Source, ...]:
    """The distinct sources of one note, in order; a repeated URL is kept once, flagged."""
    by_url: dict[str, Source] = {}
    for ref in urls.find_urls(note.text):
        source = source_from_ref(ref, note.position(ref.start))
        first = by_url.get(source.url)
        if first is None:
            by_url[source.url] = source
        elif Flag.DUPLICATE_IN_NOTE not in first.flags:
            by_url[source.url] = _with_flag(first, Flag.DUPLICATE_IN_NOTE)
    return tuple(by_url.values())


def _with_flag(source: Source, flag: Flag) -> Source:
    return Source(
        url=source.url,
        as_written=source.as_written,
        outlet=source.outlet,
        flags=_shared((*source.flags, flag)),
        span=source.span,
        key=source.key,
        alternates=source.alternates,
    )


def build_catalog(raw: RawDocument, path: str, *, sha256: str | None = None) -> Catalog:
    """Build the catalog of a parsed document (`sha256`: of the bytes it was read from)."""
    notes = tuple(
        Note(
            number=n.number,
            line=n.span.line,
            text=n.text,
            sources=note_sources(n),
            ignored=n.ignored,
            page=n.span.page,
            style=n.style,
            label=n.label,
        )
        for n in raw.notes
    )
    claims = tuple(
        Claim(
            id=i,
            line=c.span.line,
            column=c.span.column,
            text=c.text,
            notes=c.markers,
            ignored=c.span.line in raw.ignored_lines,
            page=c.span.page,
        )
        for i, c in enumerate(raw.claims, start=1)
    )
    document = Document(path=path, title=raw.title, date=raw.date, sha256=sha256)
    findings = (*raw.findings, *document_findings(notes, claims))
    return Catalog(document=document, notes=notes, claims=claims, findings=findings)


_NEWLINE = re.compile("\n")


def urls_in_text(text: str) -> list[dict[str, object]]:
    """Every URL anywhere in a text, normalized, with its line: the `urls` command's rows."""
    # Found by the regex engine, not a loop over every character: one step per line.
    line_starts = [0]
    line_starts.extend(m.end() for m in _NEWLINE.finditer(text))
    rows: list[dict[str, object]] = []
    for ref in urls.find_urls(text):
        line = bisect_right(line_starts, ref.start)
        source = source_from_ref(ref, Span(line, ref.start - line_starts[line - 1] + 1))
        rows.append(
            {
                "url": source.url,
                "as_written": source.as_written,
                "line": source.span.line,
                "column": source.span.column,
                "flags": [str(f) for f in source.flags],
            }
        )
    return rows
