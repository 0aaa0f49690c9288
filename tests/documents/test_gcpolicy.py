"""Rarer collections during heavy phases, and the heap frozen while a run probes."""

from __future__ import annotations

import gc

import pytest

from citeaudit.documents.gcpolicy import RARE_YOUNG_PASSES, rare_collections


def test_collections_are_rarer_inside_and_restored_after() -> None:
    before = gc.get_threshold()
    with rare_collections():
        assert gc.get_threshold()[0] >= RARE_YOUNG_PASSES
        assert gc.get_threshold()[1:] == before[1:]
        assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_freeze_sets_the_heap_aside_and_gives_it_back_even_on_error() -> None:
    before = gc.get_threshold()
    kept = [object() for _ in range(100)]
    with pytest.raises(RuntimeError), rare_collections(freeze=True):
        assert gc.get_freeze_count() >= len(kept)
        raise RuntimeError("the run failed")
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before
