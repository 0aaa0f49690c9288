"""The evidence ledger: the checker's whole history as JSON Lines that live well in git.

Why it exists: a SQLite store is private to one machine. A team shares evidence (and a CI job
starts from it) by committing one text file. The file is sorted and every line is canonical JSON
(sorted keys, no spaces), so committing it gives readable diffs, and export -> import -> export
gives the same bytes. Importing merges: a probe already known (same URL and time) is skipped.

One line per record: `{"kind": "probe", "url", "checked_at", "data": <verdict JSON>}` or
`{"kind": "archive", "url", "as_of", "checked_at", "data": <snapshot JSON>}`. The first line is a
header naming the format (`citeaudit.evidence.ledger/1`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeaudit.check.store import Store
from citeaudit.errors import CiteauditError
from citeaudit.models import Verdict

LEDGER_SCHEMA = "citeaudit.evidence.ledger/1"


class LedgerError(CiteauditError):
    """A ledger file that cannot be read."""


@dataclass(frozen=True, slots=True)
class ImportStats:
    """What one import added and skipped as already known."""

    probes_added: int
    probes_known: int
    archives_added: int
    archives_known: int


def canonical(record: dict[str, Any]) -> str:
    """One record as canonical JSON: sorted keys, compact, UTF-8 kept.

    >>> canonical({"b": 1, "a": "é"})
    '{"a":"é","b":1}'
    """
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def records(cache: Store) -> list[dict[str, Any]]:
    """Every history record of the store, sorted (probes first, then archive lookups)."""
    out: list[dict[str, Any]] = [
        {"kind": "probe", "url": url, "checked_at": checked, "data": data}
        for url, checked, data in cache.probe_rows()
    ]
    out += [
        {"kind": "archive", "url": url, "as_of": as_of, "checked_at": checked, "data": data}
        for url, as_of, checked, data in cache.archive_rows()
    ]
    return sorted(
        out,
        key=lambda r: (
            r["kind"] != "probe",
            r["url"],
            r.get("as_of", ""),
            r["checked_at"],
            canonical(r["data"]),
        ),
    )


def dumps(items: Iterable[dict[str, Any]]) -> str:
    """The ledger text: a header line, then one canonical line per record."""
    lines = [canonical({"schema": LEDGER_SCHEMA})]
    lines += [canonical(r) for r in items]
    return "\n".join(lines) + "\n"


def export_ledger(cache: Store, path: str | Path) -> int:
    """Write the store's history to `path`; returns how many records were written."""
    items = records(cache)
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(dumps(items), encoding="utf-8")
    tmp.replace(target)
    return len(items)


def parse(text: str, *, name: str = "ledger") -> Iterator[dict[str, Any]]:
    """The records of a ledger's text (header checked); LedgerError on a malformed line."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LedgerError(f"{name}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise LedgerError(f"{name}:{number}: expected a JSON object")
        if "schema" in record:
            if record["schema"] != LEDGER_SCHEMA:
                raise LedgerError(f"{name}:{number}: unknown ledger schema {record['schema']!r}")
            continue
        if record.get("kind") not in ("probe", "archive") or not isinstance(
            record.get("data"), dict
        ):
            raise LedgerError(f"{name}:{number}: not a probe or archive record")
        yield record


def read_ledger(path: str | Path) -> list[dict[str, Any]]:
    """Every record of the ledger file at `path`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise LedgerError(f"cannot read ledger {path}: {exc}") from exc
    return list(parse(text, name=str(path)))


def import_ledger(cache: Store, path: str | Path) -> ImportStats:
    """Merge the ledger at `path` into the store, skipping what it already holds."""
    counts = {"probe": [0, 0], "archive": [0, 0]}
    for record in read_ledger(path):
        try:
            if record["kind"] == "probe":
                added = cache.add_probe_row(record["url"], record["checked_at"], record["data"])
            else:
                added = cache.add_archive_row(
                    record["url"], record["as_of"], record["checked_at"], record["data"]
                )
        except (KeyError, ValueError, TypeError) as exc:
            raise LedgerError(f"{path}: malformed {record.get('kind')} record: {exc}") from exc
        counts[record["kind"]][0 if added else 1] += 1
    return ImportStats(*counts["probe"], *counts["archive"])


def latest_verdicts(items: Iterable[dict[str, Any]]) -> dict[str, Verdict]:
    """The newest probe of each URL in a ledger (what a baseline built from it knew)."""
    newest: dict[str, tuple[str, dict[str, Any]]] = {}
    for record in items:
        if record.get("kind") != "probe":
            continue
        url, checked = record["url"], record["checked_at"]
        if url not in newest or checked >= newest[url][0]:
            newest[url] = (checked, record["data"])
    return {url: Verdict.from_json(data) for url, (_, data) in newest.items()}
