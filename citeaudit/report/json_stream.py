"""orjson's two-space indented JSON, written one list item at a time.

A report of 15,000 URLs is a tree of about 40 MB of small dicts, and its text is 24 MB more:
encoded whole, both are alive at once, and that pair set a large run's peak memory. Here a
`Streamed` dict's iterator values are encoded item by item as they are produced, so the tree
never exists whole. The text is byte for byte what `orjson.dumps(tree, option=OPT_INDENT_2)`
writes for the same tree (a test compares them): orjson never writes a raw newline inside a
string, so re-indenting an item is replacing its newlines.

Deliberately not here: escaping (the caller's, applied chunk by chunk) and any other layout.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
_BATCH = 256  # list items encoded per call: few calls, and a batch is small beside the report


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
        while batch := list(itertools.islice(value, _BATCH)):
            if any(isinstance(item, Streamed | Iterator) for item in batch):
                for item in batch:
                    yield sep + pad + "  "
                    yield from pieces(item, depth + 1)
                    sep = ","
                continue
            # plain items, a batch per orjson call: its "[\n" and "\n]" cut off, the items
            # are already indented one step, as items of this list are
            text = orjson.dumps(batch, option=_OPTIONS).decode("utf-8")
            yield sep + pad + text[2:-2].replace("\n", pad)
            sep = ","
        yield "[]" if sep == "[" else pad + "]"
    else:
        text = orjson.dumps(value, option=_OPTIONS).decode("utf-8")
        yield text.replace("\n", pad) if depth else text


def chunks(
    parts: Iterable[str], each: Callable[[str], str] = str, size: int = 1 << 20
) -> Iterator[str]:
    """`parts` joined into pieces of about `size` characters, `each` applied to every piece.

    A report is some 100,000 parts: a megabyte at a time, neither they nor the whole text need
    to be held at once. `each` (the caller's escaping) must map text piece by piece.

    >>> list(chunks(["a", "b", "c"], str.upper, size=2))
    ['AB', 'C']
    """
    batch: list[str] = []
    length = 0
    for part in parts:
        batch.append(part)
        length += len(part)
        if length >= size:
            yield each("".join(batch))
            batch, length = [], 0
    if batch:
        yield each("".join(batch))
