"""Sentence splitting and note markers: where one claim ends and which notes it cites."""

from __future__ import annotations

import pytest

from citeaudit.parse.sentences import footnote_label_number, markers, split_sentences


def sentences(text: str) -> list[str]:
    return [s for _, s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("A claim.[3]", (3,)),
        ("A claim.[3, 4]", (3, 4)),
        ("A claim.[3,4]", (3, 4)),
        ("A claim.[3-5]", (3, 4, 5)),
        ("A claim.[3–5]", (3, 4, 5)),
        ("A claim.[3][4]", (3, 4)),
        ("A claim.[3, 5-7][9]", (3, 5, 6, 7, 9)),
        ("A claim.[4][4]", (4,)),
        ("A claim.[^3]", (3,)),
        ("No markers here.", ()),
        ("A link [text](https://a.example/) is not a marker.", ()),
    ],
)
def test_markers(text, cited):
    assert markers(text) == cited


def test_huge_ranges_are_not_expanded():
    assert markers("[1-20000]") == (1, 20000)


def test_named_footnote_labels_use_the_given_numbers():
    labels = {"src": 12}
    assert markers("Claim.[^src][^2]", labels) == (12, 2)


def test_unknown_footnote_label_gets_a_number_no_note_has():
    labels: dict[str, int] = {}
    first = footnote_label_number(labels, "missing")
    assert first >= 1_000_000
    assert footnote_label_number(labels, "missing") == first
    assert footnote_label_number(labels, "other") != first


def test_marker_after_the_full_stop_belongs_to_that_sentence():
    assert sentences("US forces left Syria. [19] Then they came back.[20]") == [
        "US forces left Syria. [19]",
        "Then they came back.[20]",
    ]


def test_marker_before_the_full_stop():
    assert sentences("First claim [1]. Second claim [2].") == [
        "First claim [1].",
        "Second claim [2].",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. said so on Jan. 5 in Washington.[1]",
        "Gen. Smith agreed, e.g. on television.[1]",
        "Officials (i.e. the ministers) met Dr. Jones.[1]",
        "J. R. Smith wrote it in the U.K. last year.[1]",
        "It happened at 5 p.m. yesterday.[1]",
    ],
)
def test_abbreviations_do_not_end_sentences(text):
    assert sentences(text + " Another sentence follows.") == [text, "Another sentence follows."]


def test_marker_after_an_abbreviation_ends_the_sentence():
    assert sentences("Sanctions were imposed by the U.S.[5] Iran replied.") == [
        "Sanctions were imposed by the U.S.[5]",
        "Iran replied.",
    ]


def test_lower_case_after_a_stop_does_not_start_a_sentence():
    assert sentences("It was 3.5 km away. and more.") == ["It was 3.5 km away. and more."]


def test_question_and_exclamation_marks_end_sentences():
    assert sentences("Why?[1] Because![2] Fine.") == ["Why?[1]", "Because![2]", "Fine."]


def test_closing_quote_stays_with_its_sentence():
    assert sentences('He said "leave now." [4] They left.') == [
        'He said "leave now." [4]',
        "They left.",
    ]


def test_offsets_point_at_each_sentence():
    text = "First one.[1]   Second one.[2]"
    for offset, sentence in split_sentences(text):
        assert text[offset : offset + len(sentence)] == sentence
