"""What the reStructuredText, AsciiDoc and LaTeX readers share: rendered text that remembers
where each piece was written, and the rule that turns rendered paragraphs into claims.

A markup reader walks its source once and writes each paragraph (and each note) into a `Piece`
list: source text at its line and column, a note marker (`[1]_`, `footnote:[...]`, `\\cite{k}`)
as a `Mark`, a hyperlink as `[text](href)` with the href at the column it was written on. Marks
are numbered only when the text is finished, so a reader may cite a key before it knows which
number the key's note will take (LaTeX numbers bibliography entries after every footnote).

Claims are cut with `sentences.split_sentences`; a sentence cites the marks written inside it,
not whatever `[3]` it happens to contain (in these formats a bracketed number is plain text), and
a sentence holding a hyperlink cites an INLINE note of itself (`inline.inline_note`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from citeaudit.errors import InputError
from citeaudit.models import CitationStyle, Finding, Span
from citeaudit.parse.inline import inline_note, may_hold_link
from citeaudit.parse.raw import RawClaim, RawDocument, RawNote
from citeaudit.parse.sentences import split_sentences
from citeaudit.parse.urls import find_urls

MAX_NOTES = 100_000


@dataclass(frozen=True, slots=True)
class Mark:
    """A note marker; `refs` are reader keys resolved to note numbers when the text is built."""

    refs: tuple[Hashable, ...]


@dataclass(frozen=True, slots=True)
class Rendered:
    """A finished piece of text: what it shows, a masked copy, anchors, marks and extra URLs."""

    text: str
    masked: str
    anchors: tuple[tuple[int, Span], ...]
    marks: tuple[tuple[int, tuple[int, ...]], ...]
    extra: tuple[tuple[int, str, Span], ...]
    offsets: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Listed once: every sentence of a long paragraph looks its position up here.
        object.__setattr__(self, "offsets", tuple(a[0] for a in self.anchors))

    def position(self, offset: int) -> Span:
        """The source position of the character at `offset`."""
        i = max(0, bisect_right(self.offsets, offset) - 1)
        start, where = self.anchors[i]
        return Span(where.line, where.column + max(0, offset - start), where.page)


@dataclass
class Pieces:
    """Rendered text under construction, each piece tied to where it was written."""

    items: list[tuple[str | Mark, Span | None, bool]] = field(default_factory=list)
    extra: list[tuple[int, str, Span]] = field(default_factory=list)
    """(piece index, url, where it is defined): a reference resolved through a definition."""

    def add(self, text: str, where: Span | None, *, masked: bool = False) -> None:
        """Append `text` written at `where` (None: right after the previous piece)."""
        if text:
            self.items.append((text, where, masked))

    def mark(self, refs: Sequence[Hashable], where: Span) -> None:
        """Append a note marker citing `refs`."""
        if refs:
            self.items.append((Mark(tuple(refs)), where, False))

    def link(self, label: str, label_at: Span, url: str, url_at: Span) -> None:
        """Append a hyperlink: `<url>` when the label is the URL or empty, else `[label](url)`."""
        label = " ".join(label.split())
        if not label or label == url:
            self.add("<", label_at)
            self.add(url, url_at)
            self.add(">", None)
            return
        escaped = label.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        self.add("[" + escaped + "](", label_at)
        self.add(url.replace(" ", "%20").replace(")", "%29"), url_at)
        self.add(")", None)

    def refer(self, url: str, defined_at: Span) -> None:
        """Note a URL this place cites through a definition written elsewhere."""
        self.extra.append((len(self.items), url, defined_at))

    def visible(self) -> bool:
        """Whether anything but whitespace was written."""
        return any(isinstance(t, Mark) or t.strip() for t, _, _ in self.items)

    def build(self, resolve: Callable[[Hashable], int]) -> Rendered:
        """The finished text, marks numbered by `resolve`, runs of whitespace kept as written."""
        parts: list[str] = []
        masked: list[str] = []
        anchors: list[tuple[int, Span]] = []
        marks: list[tuple[int, tuple[int, ...]]] = []
        starts: list[int] = []
        length = 0
        # Where the next piece would start if it continued the last one (line, column).
        expect: tuple[int, int] | None = None
        for text, where, hidden in self.items:
            starts.append(length)
            if isinstance(text, Mark):
                numbers = tuple(dict.fromkeys(resolve(r) for r in text.refs))
                marks.append((length, numbers))
                text = "[" + ", ".join(str(n) for n in numbers) + "]"
                # Marker text is not source text: whatever follows needs an anchor of its own.
                anchors.append((length, where or (anchors[-1][1] if anchors else Span(1))))
                expect = None
            else:
                if where is not None and (where.line, where.column) != expect:
                    anchors.append((length, where))
                start = (where.line, where.column) if where is not None else expect
                if start is not None and "\n" not in text:
                    expect = (start[0], start[1] + len(text))
                else:
                    expect = None
            parts.append(text)
            masked.append(" " * len(text) if hidden else text)
            length += len(text)
        extra = tuple(
            (starts[i] if i < len(starts) else length, url, at) for i, url, at in self.extra
        )
        return Rendered(
            "".join(parts), "".join(masked), tuple(anchors) or ((0, Span(1)),), tuple(marks), extra
        )


def note_of(
    number: int, rendered: Rendered, style: CitationStyle, label: str | None = None
) -> RawNote:
    """A note whose text is `rendered`, stripped, every position kept."""
    text = rendered.text
    lead = len(text) - len(text.lstrip())
    anchors: list[tuple[int, Span]] = []
    for i, (offset, where) in enumerate(rendered.anchors):
        following = rendered.anchors[i + 1][0] if i + 1 < len(rendered.anchors) else len(text)
        if following <= lead and i + 1 < len(rendered.anchors):
            continue
        if offset < lead:
            # The anchor covering the stripped lead moves on to the first character kept.
            where = Span(where.line, where.column + lead - offset, where.page)
            offset = lead
        anchors.append((offset - lead, where))
    return RawNote(number, anchors[0][1], text.strip(), tuple(anchors), style=style, label=label)


@dataclass
class Claims:
    """Claims cut from rendered paragraphs, and the INLINE notes of sentences holding links."""

    next_inline: int
    claims: list[RawClaim] = field(default_factory=list)
    inline_notes: list[RawNote] = field(default_factory=list)

    def add(self, rendered: Rendered) -> None:
        """Cut one rendered paragraph into sentences; keep those citing a note or a link."""
        text, masked = rendered.text, rendered.masked
        for offset, sentence in split_sentences(masked):
            end = offset + len(sentence)
            cited = [n for at, numbers in rendered.marks if offset <= at < end for n in numbers]
            extra = [(url, where) for at, url, where in rendered.extra if offset <= at <= end]
            if extra or (may_hold_link(sentence) and find_urls(sentence)):
                note = inline_note(
                    self.next_inline,
                    masked,
                    offset,
                    end,
                    rendered.position,
                    rendered.anchors,
                    list(dict.fromkeys(extra)),
                )
                self.inline_notes.append(note)
                cited.append(self.next_inline)
                self.next_inline += 1
            if cited:
                shown = " ".join(text[offset:end].split())
                claims = RawClaim(rendered.position(offset), shown, tuple(dict.fromkeys(cited)))
                self.claims.append(claims)


def check_size(notes: int, path: str) -> None:
    """Refuse a document of more notes than any real report has (a generated or hostile file)."""
    if notes > MAX_NOTES:
        raise InputError(f"{path}: refused: {notes} notes (the limit is {MAX_NOTES})")


def require_citations(
    notes: Sequence[RawNote], path: str, what: str, unresolved: str | None = None
) -> None:
    """InputError when a document cites nothing at all (`what` names what was looked for;
    `unresolved`, when given, says why what was found cites nothing)."""
    if not notes:
        detail = f": {unresolved}" if unresolved else f" (no {what}, and no links in the text)"
        raise InputError(f"{path}: no citations found{detail}")


def finish(
    notes: Sequence[RawNote],
    paragraphs: Iterable[Rendered],
    *,
    path: str,
    lines: Sequence[str],
    comment: re.Pattern[str],
    looked_for: str,
    title: str | None,
    date: date | None,
    findings: tuple[Finding, ...],
    input_format: str,
    after: int = 0,
    unresolved: str | None = None,
) -> RawDocument:
    """The document a markup reader returns, from its notes and its rendered paragraphs.

    The paragraphs' sentences become claims, those holding a link citing an INLINE note
    numbered after every other note (and after `after`); the size is checked; a document citing
    nothing is an InputError (`require_citations`); notes on a line an ignore comment silences
    (`comment` matches a comment line of `lines`) are marked ignored.
    """
    claims = Claims(next_inline=max([n.number for n in notes] + [after, 0]) + 1)
    for rendered in paragraphs:
        claims.add(rendered)
    cited = [*notes, *claims.inline_notes]
    check_size(len(cited), path)
    require_citations(cited, path, looked_for, unresolved)
    ignored = ignored_lines(lines, comment)
    return RawDocument(
        ignored_lines=ignored,
        title=title,
        date=date,
        claims=tuple(claims.claims),
        notes=tuple(with_ignores(cited, ignored)),
        findings=findings,
        input_format=input_format,
    )


@dataclass(frozen=True)
class Lines:
    """The lines of one block joined by newlines, each remembering where its text starts."""

    rows: tuple[tuple[int, int, str], ...]
    """(0-based line index, 0-based column of the text, the text)."""
    text: str = field(init=False)
    starts: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        starts = [0]
        for _, _, t in self.rows[:-1]:
            starts.append(starts[-1] + len(t) + 1)
        object.__setattr__(self, "text", "\n".join(t for _, _, t in self.rows))
        object.__setattr__(self, "starts", tuple(starts))

    def at(self, offset: int) -> Span:
        """The source position of `text[offset]`."""
        k = max(0, bisect_right(self.starts, offset) - 1)
        line, column, _ = self.rows[k]
        return Span(line + 1, column + 1 + offset - self.starts[k])

    def copy(self, out: Pieces, a: int, b: int, *, masked: bool = False) -> None:
        """Append `text[a:b]` to `out`, line by line, each line at its own position."""
        while a < b:
            k = max(0, bisect_right(self.starts, a) - 1)
            end = min(b, self.starts[k] + len(self.rows[k][2]))
            out.add(self.text[a:end], self.at(a), masked=masked)
            if end < b:
                out.add("\n", None)
                end += 1
            a = end


_IGNORE = re.compile(r"citeaudit:\s*ignore", re.IGNORECASE)


def ignored_lines(lines: Sequence[str], comment: re.Pattern[str]) -> frozenset[int]:
    """Lines (1-based) an inline `citeaudit: ignore` silences.

    The line it is written on, and, when it stands alone in a comment line (`comment` matches
    the whole line), the next line that is not blank: a comment above a note or a sentence.
    """
    out: set[int] = set()
    pending = False
    for i, line in enumerate(lines):
        if pending and line.strip():
            out.add(i + 1)
            pending = False
        if "ignore" in line and _IGNORE.search(line):
            out.add(i + 1)
            pending = pending or bool(comment.match(line))
    return frozenset(out)


def with_ignores(notes: Sequence[RawNote], lines: frozenset[int]) -> list[RawNote]:
    """The notes, those written on an ignored line marked ignored."""
    if not lines:
        return list(notes)
    out = []
    for note in notes:
        spans = [note.span, *(where for _, where in note.anchors)]
        if note.style != CitationStyle.INLINE and any(s.line in lines for s in spans):
            note = RawNote(
                note.number, note.span, note.text, note.anchors, True, note.style, note.label
            )
        out.append(note)
    return out
