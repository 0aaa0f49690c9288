"""orjson's two-space indented JSON, written one list item at a time.

A report of 15,000 URLs is a tree of about 40 MB of small dicts, and its text is 24 MB more:
encoded whole, both are alive at once, and that pair set a large run's peak memory. Here a
`Streamed` dict's iterator values are encoded item by item as they are produced, so the tree
never exists whole. The text is byte for byte what `orjson.dumps(tree, option=OPT_INDENT_2)`
writes for the same tree (a test compares them): orjson never writes a raw newline inside a
string, so re-indenting an item is replacing its newlines.

Deliberately not here: escaping (the caller's, applied piece by piece) and any other layout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS


class Streamed(dict[str, Any]):
    """A JSON object whose iterator values (and Streamed values) are written item by item."""


def pieces(value: Any, depth: int = 0) -> Iterator[str]:
    """The indented JSON text of `value` at nesting `depth`, in pieces.

    >>> "".join(pieces(Streamed(a=iter([{"b": 1}, []]), c=None)))
    '{\\n  "a": [\\n    {\\n      "b": 1\\n    },\\n    []\\n  ],\\n  "c": null\\n}'
    >>> "".join(pieces(Streamed(a=iter([]))))
    '{\\n  "a": []\\n}'
    """
    pad = "\n" + "  " * depth
    if isinstance(value, Streamed):
        if not value:
            yield "{}"
            return
        sep = "{"
        for key, item in value.items():
            yield f"{sep}{pad}  {orjson.dumps(key).decode()}: "
            yield from pieces(item, depth + 1)
            sep = ","
        yield pad + "}"
    elif isinstance(value, Iterator):
        sep = "["
        for item in value:
            yield sep + pad + "  "
            yield from pieces(item, depth + 1)
            sep = ","
        yield "[]" if sep == "[" else pad + "]"
    else:
        text = orjson.dumps(value, option=_OPTIONS).decode("utf-8")
        yield text.replace("\n", pad) if depth else text


def joined(parts: Iterable[str], each: Callable[[str], str] = str, chunk: int = 1 << 20) -> str:
    """`"".join(map(each, parts))`, joined (and `each` applied) a megabyte at a time.

    A report is some 100,000 pieces: held all at once until the final join, their object
    headers alone are 5 MB more at the run's peak than the text they make. `each` (the
    caller's escaping) must map pieces independently: a whole-text pass would copy it again.

    >>> joined(["a", "b", "c"], str.upper, chunk=2)
    'ABC'
    """
    chunks: list[str] = []
    batch: list[str] = []
    size = 0
    for part in parts:
        batch.append(part)
        size += len(part)
        if size >= chunk:
            chunks.append(each("".join(batch)))
            batch, size = [], 0
    chunks.append(each("".join(batch)))
    return "".join(chunks)
