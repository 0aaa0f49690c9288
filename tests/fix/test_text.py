"""Placing fixes in text and Markdown: exact spans, verified, past the link's markup."""

from __future__ import annotations

import dataclasses

from citeaudit.catalog import build_catalog
from citeaudit.fix.model import FixKind, Proposal
from citeaudit.fix.text import place, rewrite
from citeaudit.models import Catalog, Source
from citeaudit.parse.text import decode, parse_text

NEW = "https://new.example/page"
CAPTURE = "https://web.archive.org/web/2023/https://old.example/page"


def cat(data: bytes, name: str = "r.md") -> Catalog:
    text, found = decode(data, name)
    return build_catalog(parse_text(text, name, findings=found), name)


def doc(*notes: str, body: str = "Claim.[1]") -> bytes:
    lines = ["Title", "", body, "", "Endnotes", ""]
    lines += [f"[{i}] {n}" for i, n in enumerate(notes, 1)]
    return ("\n".join(lines) + "\n").encode()


def propose(c: Catalog, new: str = NEW, *, append: bool = False, index: int = 0) -> Proposal:
    note, source = c.sources()[index]
    kind = FixKind.ARCHIVE if append else FixKind.REDIRECT
    return Proposal(kind, note.number, source, new, "because", append=append)


def fixed(data: bytes, *proposals: Proposal, c: Catalog | None = None) -> tuple[bytes, tuple]:
    placed = place(data, c or cat(data), proposals)
    return rewrite(data, placed.edits), placed.skipped


def test_bare_autolink_and_markdown_links_keep_their_form() -> None:
    data = doc(
        "http://old.example/page.",
        "<http://old.example/page>",
        "[the page](http://old.example/page)",
        "[http://old.example/page](http://old.example/page)",
        body="Claim.[1][2][3][4]",
    )
    c = cat(data)
    after, skipped = fixed(data, *(propose(c, index=i) for i in range(4)), c=c)
    assert skipped == ()
    assert after.decode().split("\n")[6:10] == [
        f"[1] {NEW}.",
        f"[2] <{NEW}>",
        f"[3] [the page]({NEW})",
        f"[4] [{NEW}]({NEW})",
    ]


def test_archive_link_goes_after_the_whole_link() -> None:
    data = doc(
        "<http://old.example/page>; next",
        '[the page](http://old.example/page "Title") next',
        "[http://old.example/page](http://other.example/x) next",
        "http://old.example/page, next",
        body="Claim.[1][2][3][4]",
    )
    c = cat(data)
    after, _ = fixed(data, *(propose(c, CAPTURE, append=True, index=i) for i in (0, 1, 2, 4)), c=c)
    link = f"[archived]({CAPTURE})"
    assert after.decode().split("\n")[6:10] == [
        f"[1] <http://old.example/page> {link}; next",
        f'[2] [the page](http://old.example/page "Title") {link} next',
        f"[3] [http://old.example/page](http://other.example/x) {link} next",
        f"[4] http://old.example/page {link}, next",
    ]


def test_text_not_at_the_recorded_place_is_skipped_not_guessed() -> None:
    data = doc("http://old.example/page")
    c = cat(data)
    note, source = c.sources()[0]
    moved = dataclasses.replace(source, span=dataclasses.replace(source.span, column=2))
    proposal = Proposal(FixKind.REDIRECT, note.number, moved, NEW, "because")
    after, (skip,) = fixed(data, proposal, c=c)
    assert after == data
    assert "does not hold 'http://old.example/page' at line 7 column 2" in skip.reason
    far = dataclasses.replace(source, span=dataclasses.replace(source.span, line=99))
    _, (skip,) = fixed(data, Proposal(FixKind.REDIRECT, 1, far, NEW, "x"), c=c)
    assert "outside the document" in skip.reason


def test_every_repeat_in_the_note_is_fixed_and_other_notes_keep_theirs() -> None:
    data = doc(
        "http://old.example/page and http://old.example/page; also\n"
        "  http://old.example/page again",
        "http://old.example/page",
        body="Claim.[1][2]",
    )
    c = cat(data)
    assert len(c.note(1).sources) == 1  # the repeat is catalogued once, flagged
    after, _ = fixed(data, propose(c), c=c)
    lines = after.decode().split("\n")
    assert lines[6] == f"[1] {NEW} and {NEW}; also"
    assert lines[7] == f"  {NEW} again"
    assert lines[8] == "[2] http://old.example/page"


def test_undecodable_bytes_and_bom_survive_untouched() -> None:
    data = b"\xef\xbb\xbf" + doc("caf\xe9 d\u00e9j\u00e0 http://old.example/page")
    data = data.replace("caf\xe9".encode(), b"caf\xe9\xff")  # Latin-1 bytes: invalid UTF-8
    c = cat(data)
    after, skipped = fixed(data, propose(c), c=c)
    assert skipped == ()
    assert after == data.replace(b"http://old.example/page", NEW.encode())


def test_a_url_continued_after_a_page_break_is_left() -> None:
    data = b"Title\n\nClaim.[1]\n\nEndnotes\n\n[1] https://old.example/first-\x0c\nhalf/of/path\n"
    c = cat(data, "r.txt")
    (note, source), *_ = c.sources()
    assert "joined_fragment" in source.flags
    _, (skip,) = fixed(data, Proposal(FixKind.REDIRECT, note.number, source, NEW, "x"), c=c)
    assert "continues after a page break" in skip.reason


def test_same_text_is_no_edit() -> None:
    data = doc("https://new.example/page")
    c = cat(data)
    source: Source = c.sources()[0][1]
    _, (skip,) = fixed(data, Proposal(FixKind.REFANG, 1, source, source.url, "x"), c=c)
    assert skip.reason == "the document already says so"
