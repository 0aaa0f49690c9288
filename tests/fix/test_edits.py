"""Applying edits: exact splices, verified ranges, overlaps dropped with a reason."""

from __future__ import annotations

import pytest

from citeaudit.fix.edits import apply, drop_overlaps
from citeaudit.fix.model import Edit, FixKind


def edit(start: int, end: int, old: str, new: str, part: str | None = None) -> Edit:
    return Edit(FixKind.REDIRECT, start, end, old, new, "why", 1, start + 1, 1, "u", part)


def test_apply_splices_only_the_ranges() -> None:
    data = "aé <x> b <y> c".encode()
    x = data.index(b"x")
    y = data.index(b"y")
    out = apply(
        data, [edit(y, y + 1, "y", "Y!"), edit(x, x + 1, "x", "ü"), edit(x + 2, x + 2, "", "+")]
    )
    assert out == "aé <ü>+ b <Y!> c".encode()


def test_apply_refuses_a_range_that_does_not_hold_old() -> None:
    with pytest.raises(ValueError, match="does not match"):
        apply(b"abc", [edit(0, 1, "b", "x")])


def test_overlapping_edits_keep_the_first_and_skip_the_rest() -> None:
    a, b, c = edit(0, 5, "aaaaa", "x"), edit(3, 7, "aabb", "y"), edit(5, 5, "", "+")
    other_part = edit(3, 7, "aabb", "y", part="word/_rels/document.xml.rels")
    kept, (skip,) = drop_overlaps([b, c, a, other_part])
    assert kept == [a, c, other_part]
    assert skip.reason == "overlaps another change"
