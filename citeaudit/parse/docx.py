"""Read Word (DOCX) reports: real endnotes and footnotes, or notes numbered by hand.

A DOCX is a zip of XML parts. Real notes live in `word/endnotes.xml` and `word/footnotes.xml`;
the body holds `w:endnoteReference`/`w:footnoteReference` where each is cited, and hyperlinks
point through the relationships part of each XML part (`word/_rels/*.xml.rels`) to their target.
Both are read with the standard zipfile module and defusedxml (no entity expansion, no DTDs),
without python-docx.

Numbering: Word numbers footnotes and endnotes separately, each in order of first reference.
citeaudit needs one number per note, so footnotes keep Word's numbers 1..F and endnotes follow
as F+1..F+E in order of first reference (when a document has only one kind, as nearly all
reports do, the numbers are exactly the ones Word shows). Notes no reference points to come last.

A document without real notes (numbered by hand in a final "Endnotes" section) is rendered to
text, hyperlinks as Markdown links, and read by the text parser like any plain-text report.

Positions: `Span.line` is the paragraph number (1-based) in the body for claims and for
hand-numbered notes; for real notes it is the note's number.

Defences: the archive is refused if its members would expand beyond 200 MB in total or one
member is compressed suspiciously well (a zip bomb), before anything is decompressed.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from citeaudit.errors import InputError
from citeaudit.models import Span
from citeaudit.parse.dates import find_date
from citeaudit.parse.headings import is_notes_heading
from citeaudit.parse.links import link_markup
from citeaudit.parse.raw import RawClaim, RawDocument, RawNote
from citeaudit.parse.rendered import parse_rendered
from citeaudit.parse.sentences import split_sentences

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024
_HYPERLINK = re.compile(r'HYPERLINK\s+"([^"]+)"|HYPERLINK\s+(\S+)')
_SKIP = frozenset({W + "delText", W + "del", W + "moveFrom", _MC + "Fallback"})
_SKIP_NOTE_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})


def _open_zip(data: bytes, path: str) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"{path}: a corrupt or truncated Word document ({exc})") from exc
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"{path}: refused: the Word document would expand to {total >> 20} MB")
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise InputError(f"{path}: refused: {info.filename} is compressed like a zip bomb")
    return zf


def _read_xml(zf: zipfile.ZipFile, name: str, path: str, required: bool = False) -> Element | None:
    try:
        raw = zf.read(name)
    except KeyError:
        if required:
            raise InputError(f"{path}: not a Word document (no {name})") from None
        return None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error) as exc:
        # zlib.error: a damaged deflate stream inside an intact zip directory
        raise InputError(f"{path}: a corrupt Word document: cannot read {name} ({exc})") from exc
    try:
        return SafeET.fromstring(raw)
    except (ParseError, DefusedXmlException, ValueError, LookupError) as exc:
        # LookupError: an XML declaration naming an encoding Python does not know
        raise InputError(f"{path}: a corrupt Word document: {name} is not valid XML") from exc


def _rels(zf: zipfile.ZipFile, part: str, path: str) -> dict[str, str]:
    """Relationship id -> external target for one part (`word/endnotes.xml`, ...)."""
    folder, _, name = part.rpartition("/")
    root = _read_xml(zf, f"{folder}/_rels/{name}.rels", path)
    if root is None:
        return {}
    return {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in root.iter(_PKG_REL + "Relationship")
        if rel.get("TargetMode") == "External"
    }


def _field_url(instr: str) -> str | None:
    m = _HYPERLINK.search(instr)
    if not m:
        return None
    url = m.group(1) or m.group(2)
    return url if "://" in url or url.lower().startswith("www.") else None


@dataclass
class _Para:
    """One paragraph's text, with the note references it holds (offset, end, kind, id)."""

    text: str
    refs: list[tuple[int, int, str, str]] = field(default_factory=list)


@dataclass
class _Field:
    instr: str = ""
    display: list[str] = field(default_factory=list)
    separated: bool = False


class _Renderer:
    """Turns WordprocessingML paragraphs into text; complex fields may span runs."""

    def __init__(self, rels: dict[str, str], links: bool) -> None:
        self.rels = rels
        self.links = links
        self.fields: list[_Field] = []

    def _emit(self, out: list[str], text: str) -> None:
        if self.fields:
            top = self.fields[-1]
            if top.separated:
                top.display.append(text)
            return
        out.append(text)

    def plain(self, el: Element) -> str:
        """Visible text of a subtree (for a hyperlink's label), no markup."""
        saved, self.fields = self.fields, []
        out: list[str] = []
        self._walk(el, out, None, plain=True)
        self.fields = saved
        return "".join(out)

    def paragraph(self, p: Element) -> _Para:
        out: list[str] = []
        refs: list[tuple[int, int, str, str]] = []
        self._walk(p, out, refs, plain=False)
        return _Para("".join(out), refs)

    def _walk(
        self,
        root: Element,
        out: list[str],
        refs: list[tuple[int, int, str, str]] | None,
        *,
        plain: bool,
    ) -> None:
        stack: list[Element] = list(reversed(list(root)))
        while stack:
            el = stack.pop()
            tag = el.tag
            if tag in _SKIP or (tag == W + "p" and el is not root):
                continue
            if tag == W + "t":
                self._emit(out, el.text or "")
            elif tag in (W + "tab", W + "ptab"):
                self._emit(out, "\t")
            elif tag in (W + "br", W + "cr"):
                self._emit(out, "\n")
            elif tag == W + "noBreakHyphen":
                self._emit(out, "-")
            elif tag in (W + "endnoteReference", W + "footnoteReference"):
                if refs is not None and not self.fields:
                    kind = "endnote" if tag == W + "endnoteReference" else "footnote"
                    start = sum(len(s) for s in out)
                    out.append("[?]")
                    refs.append((start, start + 3, kind, el.get(W + "id", "")))
            elif tag == W + "fldChar":
                self._field_char(el.get(W + "fldCharType", ""), out)
            elif tag == W + "instrText":
                if self.fields:
                    self.fields[-1].instr += el.text or ""
            elif tag == W + "hyperlink" and not plain:
                label = self.plain(el)
                target = self.rels.get(el.get(R + "id", ""), "")
                self._emit(out, link_markup(label, target) if self.links and target else label)
            elif tag == W + "fldSimple" and not plain:
                label = self.plain(el)
                url = _field_url(el.get(W + "instr", ""))
                self._emit(out, link_markup(label, url) if self.links and url else label)
            else:
                stack.extend(reversed(list(el)))

    def _field_char(self, kind: str, out: list[str]) -> None:
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            self.fields[-1].separated = True
        elif kind == "end" and self.fields:
            done = self.fields.pop()
            label = "".join(done.display)
            url = _field_url(done.instr)
            self._emit(out, link_markup(label, url) if self.links and url else label)


def _body_paragraphs(root: Element) -> list[Element]:
    body = root.find(W + "body")
    return list(body.iter(W + "p")) if body is not None else []


def _title(zf: zipfile.ZipFile, path: str) -> str | None:
    try:
        core = _read_xml(zf, "docProps/core.xml", path)
    except InputError:
        return None
    if core is None:
        return None
    el = core.find(_DC_TITLE)
    return " ".join(el.text.split()) if el is not None and el.text and el.text.strip() else None


def _notes_part(zf: zipfile.ZipFile, part: str, tag: str, path: str) -> dict[str, list[str]]:
    """Note id -> paragraph texts (hyperlinks as Markdown links), separators skipped."""
    root = _read_xml(zf, part, path)
    if root is None:
        return {}
    renderer = _Renderer(_rels(zf, part, path), links=True)
    notes: dict[str, list[str]] = {}
    for note in root.iter(W + tag):
        if note.get(W + "type") in _SKIP_NOTE_TYPES:
            continue
        paras = [renderer.paragraph(p).text for p in note.iter(W + "p")]
        notes[note.get(W + "id", "")] = paras
    return notes


def _number_notes(
    paras: list[_Para], footnotes: dict[str, list[str]], endnotes: dict[str, list[str]]
) -> dict[tuple[str, str], int]:
    order: dict[str, list[str]] = {"footnote": [], "endnote": []}
    for para in paras:
        for _, _, kind, wid in para.refs:
            if wid not in order[kind]:
                order[kind].append(wid)
    for kind, part in (("footnote", footnotes), ("endnote", endnotes)):
        order[kind].extend(wid for wid in part if wid not in order[kind])
    numbers: dict[tuple[str, str], int] = {}
    n = 0
    for kind in ("footnote", "endnote"):
        for wid in order[kind]:
            n += 1
            numbers[(kind, wid)] = n
    return numbers


def _claims(paras: list[_Para], numbers: dict[tuple[str, str], int]) -> list[RawClaim]:
    claims: list[RawClaim] = []
    for index, para in enumerate(paras, start=1):
        if not para.refs:
            continue
        # Write each reference as [N] so sentence splitting keeps a marker after a full stop
        # with its sentence; remember where the real references are.
        text, spans, last = [], [], 0
        length = 0
        for start, end, kind, wid in para.refs:
            number = numbers[(kind, wid)]
            text.append(para.text[last:start])
            length += start - last
            marker = f"[{number}]"
            spans.append((length, length + len(marker), number))
            text.append(marker)
            length += len(marker)
            last = end
        text.append(para.text[last:])
        full = "".join(text).replace("\n", " ").replace("\t", " ")
        for offset, sentence in split_sentences(full):
            end = offset + len(sentence)
            cited = tuple(dict.fromkeys(n for s, e, n in spans if s >= offset and e <= end))
            if cited:
                claims.append(RawClaim(Span(index, offset + 1), " ".join(sentence.split()), cited))
    return claims


def read_docx(data: bytes, path: str) -> RawDocument:
    """Parse a Word document into claims and notes (see the module docstring for positions)."""
    zf = _open_zip(data, path)
    with zf:
        document = _read_xml(zf, "word/document.xml", path, required=True)
        assert document is not None
        footnotes = _notes_part(zf, "word/footnotes.xml", "footnote", path)
        endnotes = _notes_part(zf, "word/endnotes.xml", "endnote", path)
        rels = _rels(zf, "word/document.xml", path)
        title = _title(zf, path)
    elements = _body_paragraphs(document)
    paras = [_Renderer(rels, links=False).paragraph(p) for p in elements]
    if not any(p.refs for p in paras) and not footnotes and not endnotes:
        return _hand_numbered(elements, rels, path, title)
    numbers = _number_notes(paras, footnotes, endnotes)
    notes = []
    for (kind, wid), number in sorted(numbers.items(), key=lambda item: item[1]):
        texts = (footnotes if kind == "footnote" else endnotes).get(wid, [])
        notes.append(RawNote(number, Span(number, 1), "\n".join(texts).strip()))

    return RawDocument(
        title=title or next((p.text.strip() for p in paras if p.text.strip()), None),
        date=find_date([p.text for p in paras[:40]]),
        claims=tuple(_claims(paras, numbers)),
        notes=tuple(notes),
        input_format="docx",
    )


def _hand_numbered(
    elements: list[Element], rels: dict[str, str], path: str, title: str | None
) -> RawDocument:
    lines: list[str] = []
    where: list[Span] = []
    in_notes = False
    plain = _Renderer(rels, links=False)
    linked = _Renderer(rels, links=True)
    for index, p in enumerate(elements, start=1):
        text = (linked if in_notes else plain).paragraph(p).text
        if is_notes_heading(text):
            in_notes = True
        for line in text.split("\n"):
            lines.append(line)
            where.append(Span(index, 1))
        lines.append("")
        where.append(Span(index, 1))
    return parse_rendered(lines, where, path, "docx", title=title)
