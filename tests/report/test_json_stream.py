"""json_stream writes exactly what orjson writes for the whole tree, one item at a time."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from citeaudit.models import REPORT_SCHEMA, AuditResult
from citeaudit.report import Format, render, render_chunks
from citeaudit.report.json import dumps, to_json
from citeaudit.report.json_stream import Streamed, chunks, pieces

from .conftest import make_hostile

_INDENT = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS

VALUES: list[Any] = [
    {},
    [],
    None,
    "a\nb \u2028 وقفه",
    [{"a": [], "b": {}, "c": [1, {"d": "x"}]}, [], "s", 3.5, None],
    {"k": {"n": {1: "non-string key"}}, "e": []},
]


def _lazy(value: Any) -> Any:
    """The same value with every list an iterator and every dict Streamed."""
    if isinstance(value, list):
        return iter([_lazy(v) for v in value])
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return Streamed({k: _lazy(v) for k, v in value.items()})
    return value


@pytest.mark.parametrize("value", VALUES)
def test_a_streamed_report_is_byte_for_byte_orjson(value: Any) -> None:
    tree = {"schema": "x", "items": value, "more": [value, value], "after": 1}
    expected = orjson.dumps(tree, option=_INDENT).decode()
    assert "".join(pieces(_lazy(tree))) == expected


def test_long_lists_of_plain_items_are_encoded_in_batches_all_the_same() -> None:
    items = [{"i": i, "l": [i, {"x": []}], "s": f"\u00e9{i}"} for i in range(1000)]
    tree = {"a": items, "b": [[items[:3], []]], "c": {}}
    lazy = Streamed(a=iter(items), b=iter([iter([items[:3], []])]), c={})
    assert "".join(pieces(lazy)) == orjson.dumps(tree, option=_INDENT).decode()


def test_plain_values_inside_a_streamed_object_are_written_whole() -> None:
    tree = Streamed(big=iter([{"a": 1}]), small=[1, 2])
    assert list(pieces(tree))[-2:] == ["[\n    1,\n    2\n  ]", "\n}"]


def test_the_report_renders_as_the_whole_tree_would(result: AuditResult) -> None:
    hostile = make_hostile()
    for results in ([result], [hostile], [result, hostile]):
        whole = (
            to_json(results[0])
            if len(results) == 1
            else {"schema": REPORT_SCHEMA, "documents": [to_json(r) for r in results]}
        )
        # dumps escapes the whole text at once; render escapes it a megabyte at a time
        assert render(results, Format.JSON) == dumps(whole)


def test_chunks_escape_each_chunk_and_keep_every_part() -> None:
    parts = [f"{i}\u2028" for i in range(5000)]
    out = list(chunks(parts, lambda s: s.replace("\u2028", "|"), size=64))
    assert len(out) > 100 and all(len(c) < 80 for c in out)
    assert "".join(out) == "".join(f"{i}|" for i in range(5000))


def test_a_large_json_report_reaches_stdout_in_chunks(result: AuditResult) -> None:
    many = [result] * 400  # about 2 MB of JSON
    pieces_out = list(render_chunks(many, Format.JSON))
    assert len(pieces_out) > 1
    assert "".join(pieces_out) == render(many, Format.JSON)
    assert list(render_chunks([result], Format.MARKDOWN)) == [render([result], Format.MARKDOWN)]
