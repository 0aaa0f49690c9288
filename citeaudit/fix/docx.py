"""Place fixes in Word DOCX: the targets of its hyperlinks, and link text showing the old URL.

A DOCX hyperlink points through a relationship (`word/_rels/<part>.xml.rels`) to its target,
so fixing a link is rewriting one `Target` attribute; when the link's text is the old URL in
one run, that text is rewritten too, so the document does not show one URL and open another.
Edits are byte ranges inside those zip members; every other member is copied unchanged (same
name, order, date and compression), and a Word file stays a Word file.

An archive capture replaces the dead link's target here (adding a new hyperlink would mean
writing new runs into the document); the reason says so. Deliberately not rewritten: URLs
written as plain text, HYPERLINK field codes, and link text split over several runs (reported).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from citeaudit.catalog.normalize import normalize
from citeaudit.errors import InputError
from citeaudit.fix.diff import unified
from citeaudit.fix.edits import apply, drop_overlaps, encoded
from citeaudit.fix.model import Edit, FixResult, Placed, Proposal, Skipped
from citeaudit.models import Catalog

_RELS = re.compile(r"^word/_rels/([^/]+\.xml)\.rels$")
_ATTR = r"""[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*')"""
_REL_TAG = re.compile(rf"<(?:[\w.-]+:)?Relationship\b(?:\s+{_ATTR})*\s*/?>")
_ATTRS = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TEXT = re.compile(r"<([\w.-]+):t(?:\s[^>]*)?>([^<]*)</\1:t>")
_SPLIT = re.compile(r">(?=<)")


def _attributes(tag: str) -> dict[str, tuple[str, int, int]]:
    """Attribute name -> (raw value, start, end of the value) within one tag."""
    out = {}
    for m in _ATTRS.finditer(tag):
        group = 2 if m.group(2) is not None else 3
        out[m.group(1)] = (m.group(group), m.start(group), m.end(group))
    return out


def display_line(xml: str, offset: int) -> int:
    """The line of `offset` in the diff's view of an XML part (one element a line)."""
    return xml.count("\n", 0, offset) + len(_SPLIT.findall(xml, 0, offset)) + 1


def display(xml: str) -> str:
    """An XML part as the diff shows it: a line break between adjacent tags.

    >>> display('<a><b x="1"/></a>')
    '<a>\\n<b x="1"/>\\n</a>'
    """
    return _SPLIT.sub(">\n", xml)


class _Part:
    """One XML member of the zip, decoded, and where its characters are in bytes."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.text = data.decode("utf-8", "surrogateescape")

    def edit(self, proposal: Proposal, start: int, end: int, new: str, reason: str) -> Edit:
        return Edit(
            kind=proposal.kind,
            start=len(encoded(self.text[:start])),
            end=len(encoded(self.text[:end])),
            old=self.text[start:end],
            new=new,
            reason=reason,
            line=display_line(self.text, start),
            column=1,
            note=proposal.note,
            url=proposal.source.url,
            part=self.name,
        )


def _members(data: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return {
                info.filename: zf.read(info)
                for info in zf.infolist()
                if _RELS.match(info.filename) or info.filename.endswith(".xml")
            }
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"a corrupt Word document ({exc})") from exc


def place(data: bytes, catalog: Catalog, proposals: Sequence[Proposal]) -> Placed:
    """The edits that make `proposals` in a DOCX: relationship targets and link text."""
    members = _members(data)
    by_url: dict[str, Proposal] = {}
    for p in proposals:
        by_url.setdefault(p.source.url, p)
    edits: list[Edit] = []
    skipped: list[Skipped] = []
    placed: set[str] = set()
    for name, raw in members.items():
        m = _RELS.match(name)
        if m is None:
            continue
        rels = _Part(name, raw)
        owner_name = f"word/{m.group(1)}"
        owner = _Part(owner_name, members[owner_name]) if owner_name in members else None
        for tag in _REL_TAG.finditer(rels.text):
            attrs = _attributes(tag.group())
            if attrs.get("TargetMode", ("",))[0] != "External" or "Target" not in attrs:
                continue
            value, start, end = attrs["Target"]
            target = html.unescape(value).strip()
            proposal = by_url.get(normalize(target).url)
            if proposal is None:
                continue
            placed.add(proposal.source.url)
            reason = proposal.reason
            if proposal.append:
                reason += "; in a DOCX the link's target becomes the capture"
            new = quoteattr(proposal.new_url)[1:-1]
            at = tag.start()
            edits.append(rels.edit(proposal, at + start, at + end, new, reason))
            rel_id = attrs.get("Id", ("",))[0]
            if owner is not None and rel_id:
                found = _link_text(owner, rel_id, proposal, target)
                if isinstance(found, Edit):
                    edits.append(found)
                elif found is not None:
                    skipped.append(found)
    missing = [
        Skipped(
            p.kind,
            p.source.url,
            p.note,
            p.source.span.line,
            "no hyperlink points at this URL (in a DOCX only hyperlink targets are rewritten)",
        )
        for url, p in by_url.items()
        if url not in placed
    ]
    kept, overlapping = drop_overlaps(edits)
    return Placed(tuple(kept), (*skipped, *missing, *overlapping))


def _hyperlinks(part: _Part, rel_id: str) -> list[tuple[int, int]]:
    """(start, end) of the contents of each `w:hyperlink` using relationship `rel_id`."""
    pattern = re.compile(
        rf"<([\w.-]+):hyperlink\b[^>]*?\b[\w.-]+:id\s*=\s*([\"']){re.escape(rel_id)}\2[^>]*>"
        r"(.*?)</\1:hyperlink>",
        re.DOTALL,
    )
    return [(m.start(3), m.end(3)) for m in pattern.finditer(part.text)]


def _link_text(part: _Part, rel_id: str, proposal: Proposal, target: str) -> Edit | Skipped | None:
    """The edit of a hyperlink's text when it shows the old URL in one run."""
    for start, end in _hyperlinks(part, rel_id):
        runs = list(_TEXT.finditer(part.text, start, end))
        shown = "".join(html.unescape(r.group(2)) for r in runs).strip()
        if not shown or normalize(shown).url != normalize(target).url:
            continue
        if len(runs) != 1:
            return Skipped(
                proposal.kind,
                proposal.source.url,
                proposal.note,
                proposal.source.span.line,
                "the link's text still shows the old URL: it is split over several runs",
            )
        run = runs[0]
        t0, t1 = run.start(2), run.end(2)
        lead = len(run.group(2)) - len(run.group(2).lstrip())
        tail = len(run.group(2)) - len(run.group(2).rstrip())
        return part.edit(
            proposal, t0 + lead, t1 - tail, escape(proposal.new_url), "the link's text shows it"
        )
    return None


def rewrite(data: bytes, edits: Sequence[Edit], encoding: str = "utf-8") -> bytes:
    """The DOCX with the edited members rewritten and every other member as it was."""
    if not edits:
        return data
    by_part: dict[str, list[Edit]] = {}
    for edit in edits:
        by_part.setdefault(edit.part or "", []).append(edit)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        zout.comment = zin.comment
        for info in zin.infolist():
            content = zin.read(info)
            if info.filename in by_part:
                content = apply(content, by_part[info.filename], encoding)
            attributes = info.external_attr
            zout.writestr(info, content, compress_type=info.compress_type)
            # zipfile gives a member without attributes rw------- at write time; the central
            # directory is written at close, from this same record: keep what the file had
            zout.filelist[-1].external_attr = attributes
    return out.getvalue()


def show(result: FixResult) -> str:
    """The unified diff of each edited member, one XML element a line."""
    before, after = _members(result.before), _members(result.after)
    parts = sorted({e.part for e in result.edits if e.part})
    return "".join(
        unified(
            result.path,
            display(before[p].decode("utf-8", "replace")),
            display(after[p].decode("utf-8", "replace")),
            result.edits,
            part=p,
        )
        for p in parts
    )
