"""The markup readers' shared parts: pieces that remember their place, claims, inline ignores."""

from __future__ import annotations

import re

from citeaudit.models import CitationStyle, Span
from citeaudit.parse.markup import Claims, Lines, Pieces, ignored_lines, note_of, with_ignores
from citeaudit.parse.raw import RawNote


def test_pieces_keep_every_position_and_number_marks_late():
    out = Pieces()
    out.add("See ", Span(3, 5))
    out.link("the brief", Span(3, 9), "https://a.example/x", Span(3, 21))
    out.add(" now.", None)
    out.mark(["k"], Span(3, 45))
    rendered = out.build(lambda ref: {"k": 7}[ref])
    assert rendered.text == "See [the brief](https://a.example/x) now.[7]"
    url_at = rendered.text.index("https")
    assert rendered.position(url_at) == Span(3, 21)
    assert rendered.position(0) == Span(3, 5)
    assert rendered.marks == ((len("See [the brief](https://a.example/x) now."), (7,)),)


def test_masked_text_hides_code_in_place():
    out = Pieces()
    out.add("a ", Span(1))
    out.add("https://code.example/", Span(1, 3), masked=True)
    out.add(" b", None)
    rendered = out.build(lambda ref: 0)
    assert rendered.text == "a https://code.example/ b"
    assert rendered.masked == "a " + " " * len("https://code.example/") + " b"
    assert len(rendered.masked) == len(rendered.text)


def test_a_sentence_cites_its_own_marks_not_bracketed_numbers():
    out = Pieces()
    out.add("Prices [3] rose.", Span(1))
    out.mark([1], Span(1, 17))
    out.add(" See https://a.example/ too.", Span(1, 21))
    claims = Claims(next_inline=10)
    claims.add(out.build(lambda ref: ref))
    assert [(c.text, c.markers) for c in claims.claims] == [
        ("Prices [3] rose.[1]", (1,)),
        ("See https://a.example/ too.", (10,)),
    ]
    assert claims.inline_notes[0].style == CitationStyle.INLINE


def test_note_of_strips_leading_space_and_keeps_positions():
    out = Pieces()
    out.add("  ", Span(4, 1))
    out.add("https://a.example/", Span(4, 3))
    note = note_of(2, out.build(lambda ref: 0), CitationStyle.FOOTNOTES)
    assert (note.text, note.position(0)) == ("https://a.example/", Span(4, 3))


def test_lines_copy_line_by_line():
    src = Lines(((0, 3, "first"), (1, 6, "second")))
    out = Pieces()
    src.copy(out, 2, len(src.text))
    rendered = out.build(lambda ref: 0)
    assert rendered.text == "rst\nsecond"
    assert rendered.position(0) == Span(1, 6)
    assert rendered.position(4) == Span(2, 7)


def test_ignore_comments_silence_their_line_and_the_next():
    lines = ["Claim.", "% citeaudit: ignore", "", "Silenced.", "Kept.", "x % citeaudit: ignore"]
    ignored = ignored_lines(lines, re.compile(r"^\s*%"))
    assert ignored == {2, 4, 6}
    notes = [RawNote(1, Span(4, 1), "n"), RawNote(2, Span(5, 1), "m")]
    assert [n.ignored for n in with_ignores(notes, ignored)] == [True, False]
