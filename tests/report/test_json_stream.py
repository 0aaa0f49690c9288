"""json_stream writes exactly what orjson writes for the whole tree, one item at a time."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from citeaudit.report.json_stream import Streamed, pieces

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


def test_plain_values_inside_a_streamed_object_are_written_whole() -> None:
    tree = Streamed(big=iter([{"a": 1}]), small=[1, 2])
    assert list(pieces(tree))[-2:] == ["[\n    1,\n    2\n  ]", "\n}"]
