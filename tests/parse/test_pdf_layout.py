"""Page geometry: column gutters, regions in reading order, footnote separator rules."""

from __future__ import annotations

from citeaudit.parse.pdf_layout import Region, gutter, regions, separator


def _column(x0: float, x1: float, top: float, rows: int, pitch: float = 12) -> list:
    return [(x0, top - i * pitch - 10, x1, top - i * pitch) for i in range(rows)]


def test_one_column_page_has_no_gutter():
    lines = _column(50, 350, 700, 20)
    # Short last lines of paragraphs end mid-page, but nothing starts there.
    lines += [(50, 400, 180, 410), (50, 380, 220, 390)]
    assert gutter(lines) is None
    assert regions(lines) == [Region(tuple(range(len(lines))), 50, 350)]


def test_two_columns_are_split_at_the_gap():
    left = _column(50, 200, 700, 10)
    right = _column(215, 365, 700, 10)
    x = gutter(left + right)
    assert x is not None and 200 <= x < 215


def test_regions_read_a_spanning_title_then_left_then_right():
    title = [(50, 720, 365, 740)]
    left = _column(50, 200, 700, 10)
    right = _column(215, 365, 700, 10)
    boxes = title + left + right
    got = regions(boxes)
    assert [r.lines for r in got] == [(0,), tuple(range(1, 11)), tuple(range(11, 21))]
    assert [(r.x0, r.x1) for r in got] == [(50, 365), (50, 200), (215, 365)]


def test_overfull_line_stays_in_its_column():
    left = _column(50, 200, 700, 10)
    left[4] = (50, left[4][1], 222, left[4][3])  # sticks out past the right column's start
    right = _column(215, 365, 640, 10)
    got = regions(left + right)
    assert [len(r.lines) for r in got] == [10, 10]


def test_separator_is_a_short_rule_between_body_and_notes():
    region = Region((), 72, 540)
    rows = [(700, 688), (686, 674), (480, 468), (466, 454)]
    rule = (72, 490.9, 189, 491.4)
    assert separator([rule], region, rows) == (490.9 + 491.4) / 2


def test_full_width_rules_underlines_and_lone_rules_are_not_separators():
    region = Region((), 72, 540)
    rows = [(700, 688), (686, 674), (480, 468)]
    full_width = (72, 600, 540, 600.5)
    underline = (72, 686.5, 180, 686.5)  # in the descent of the row (700, 688)
    off_the_edge = (300, 560, 400, 560.5)
    below_everything = (72, 100, 189, 100.5)
    assert separator([full_width, underline, off_the_edge, below_everything], region, rows) == (
        float("-inf")
    )


def test_a_page_of_many_short_rules_is_a_chart():
    region = Region((), 72, 540)
    rows = [(700, 688), (480, 468)]
    rules = [(72, 500 + i * 0.01, 150, 500.4 + i * 0.01) for i in range(500)]
    assert separator(rules, region, rows) == float("-inf")
    assert separator(rules[:1], region, rows) > 0
