"""Fragment checking: HTML ids and names, GitHub heading slugs, text fragments."""

from __future__ import annotations

import pytest

from citeaudit.check.anchors import (
    Page,
    fragment_problem,
    github_slug,
    html_page,
    markdown_page,
    split_fragment,
    text_found,
)


def test_html_anchors_are_ids_and_names_not_other_attributes():
    page = html_page(
        '<div id="top"><a name="old-anchor"></a><input name="q"><h2 id="user-content-usage">'
        "Usage</h2><script>var x = '<p id=\"fake\">';</script></div>"
    )
    assert page.anchors == {"top", "old-anchor", "user-content-usage"}
    assert fragment_problem("usage", page) is None  # GitHub's rendered-heading prefix
    assert fragment_problem("q", page) == "no anchor #q on the page"
    assert "fake" not in page.text


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Hello World", "hello-world"),
        ("What's new? (2024)", "whats-new-2024"),
        ("C++ & Rust", "c--rust"),
        ("[Linked](https://x.example) heading", "linked-heading"),
        ("snake_case_name", "snake_case_name"),
        ("Ünïcode Überschrift", "ünïcode-überschrift"),
    ],
)
def test_github_slugs(heading, slug):
    assert github_slug(heading) == slug


def test_markdown_repeated_headings_are_numbered_and_code_is_not_a_heading():
    page = markdown_page("# Notes\n\n```\n# not a heading\n```\n\n## Notes\n\n### Notes\n")
    assert page.anchors == {"notes", "notes-1", "notes-2"}


def test_text_fragments():
    assert split_fragment(":~:text=prices%20rose") == ("", ("prices%20rose",))
    assert text_found("1%2C000%20dead", "over 1,000 dead")  # an encoded comma is text
    text = "In May, prices rose   sharply across the region."
    assert text_found("prices%20rose", text)
    assert text_found("In%20May-,prices,region", text)
    assert not text_found("region,prices", text)  # the end must follow the start
    page = Page(frozenset(), text)
    assert fragment_problem(":~:text=prices%20fell", page) == (
        "text fragment 'prices fell' not found on the page"
    )
    assert fragment_problem("", page) is None
