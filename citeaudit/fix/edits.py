"""Apply planned edits to bytes: nothing outside the edited ranges changes, byte for byte.

Edits come from the format modules with the exact text they expect at their range; `apply`
checks it before splicing, so a plan built for other bytes fails loudly instead of corrupting
a document. `drop_overlaps` keeps the first of two edits that touch the same bytes (two sources
read from one written link, say) and reports the other as skipped.
"""

from __future__ import annotations

from collections.abc import Iterable

from citeaudit.fix.model import Edit, Skipped


def encoded(text: str, encoding: str = "utf-8") -> bytes:
    """`text` as bytes of the document's encoding (undecodable bytes kept as they were)."""
    return text.encode(encoding, "surrogateescape")


def drop_overlaps(edits: Iterable[Edit]) -> tuple[list[Edit], list[Skipped]]:
    """The edits sorted by position, without those overlapping an earlier one (skipped)."""
    kept: list[Edit] = []
    skipped: list[Skipped] = []
    ends: dict[str | None, int] = {}
    for edit in sorted(edits, key=lambda e: (e.part or "", e.start, e.end)):
        if edit.start < ends.get(edit.part, 0):
            skipped.append(
                Skipped(edit.kind, edit.url, edit.note, edit.line, "overlaps another change")
            )
            continue
        kept.append(edit)
        ends[edit.part] = edit.end
    return kept, skipped


def apply(data: bytes, edits: Iterable[Edit], encoding: str = "utf-8") -> bytes:
    """`data` with every edit made; ValueError if an edit's range does not hold its `old`."""
    out: list[bytes] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < pos or data[edit.start : edit.end] != encoded(edit.old, encoding):
            raise ValueError(
                f"edit at bytes {edit.start}-{edit.end} does not match the document: "
                f"expected {edit.old!r}"
            )
        out.append(data[pos : edit.start])
        out.append(encoded(edit.new, encoding))
        pos = edit.end
    out.append(data[pos:])
    return b"".join(out)


def rewrite(data: bytes, edits: Iterable[Edit], encoding: str = "utf-8") -> bytes:
    """The document's bytes with the edits made (every other byte as it was)."""
    return apply(data, edits, encoding)
