"""`corpus add`: parse documents into the store, once per content.

Idempotent: a document whose bytes hash to the stored SHA-256 is not parsed again. A changed
file is parsed again and its URL list replaced in one transaction, so a reader never sees a
document with half its URLs. URLs no document cites any more leave the schedule (their probe
history stays in the store).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import psycopg

from citeaudit.catalog.normalize import normalize
from citeaudit.corpus.db import connect, failed
from citeaudit.documents import catalog_from_bytes, read_input
from citeaudit.documents.inputs import expand_inputs
from citeaudit.errors import InputError
from citeaudit.models import Catalog, Flag


@dataclass(frozen=True, slots=True)
class AddOutcome:
    """What one `corpus add` did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    urls: int = 0
    """URLs the added or updated documents cite (store keys, each counted once per document)."""

    def to_json(self) -> dict[str, int]:
        """Stable JSON for `--format json`."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "urls": self.urls,
        }


def probe_targets(catalog: Catalog) -> dict[str, str]:
    """Store key -> host of every URL of `catalog` a worker would probe (not truncated/invalid)."""
    out: dict[str, str] = {}
    for _, source in catalog.sources():
        if Flag.TRUNCATED in source.flags or Flag.INVALID in source.flags:
            continue
        n = normalize(source.url)
        if n.valid:
            out.setdefault(n.key, n.host)
    return out


def document_key(path: str) -> str:
    """The name a document is stored under: its absolute path, so two working folders agree."""
    return str(Path(path).resolve())


def add_documents(
    url: str,
    paths: Sequence[str],
    *,
    warn: Callable[[str], None] | None = None,
) -> AddOutcome:
    """Parse every named or found document into the store at `url` (see the module doc)."""
    counts = {"added": 0, "updated": 0, "unchanged": 0, "skipped": 0, "urls": 0}
    inputs = expand_inputs(list(paths))
    if not inputs:
        raise InputError(f"{', '.join(paths)}: no document found")
    conn = connect(url)
    try:
        for item in inputs:
            if item.path == "-":
                raise InputError("corpus add reads files, not standard input")
            data = read_input(item.path)
            key = document_key(item.path)
            digest = hashlib.sha256(data).hexdigest()
            row = conn.execute(
                "SELECT sha256 FROM corpus_documents WHERE path = %s", (key,)
            ).fetchone()
            if row is not None and row[0] == digest:
                counts["unchanged"] += 1
                continue
            try:
                catalog = catalog_from_bytes(item.path, data)
            except InputError as exc:
                if item.named:
                    raise
                counts["skipped"] += 1
                if warn is not None:
                    warn(f"{exc}; skipped")
                continue
            targets = probe_targets(catalog)
            _store(conn, key, digest, catalog, targets)
            counts["updated" if row is not None else "added"] += 1
            counts["urls"] += len(targets)
    except psycopg.Error as exc:
        raise failed(url, exc) from None
    finally:
        conn.close()
    return AddOutcome(**counts)


def _store(
    conn: psycopg.Connection[Any],
    key: str,
    digest: str,
    catalog: Catalog,
    targets: dict[str, str],
) -> None:
    text = orjson.dumps(catalog.to_json()).decode()
    with conn.transaction():
        old = [
            u
            for (u,) in conn.execute(
                "DELETE FROM corpus_document_urls WHERE path = %s RETURNING url", (key,)
            ).fetchall()
        ]
        conn.execute(
            "INSERT INTO corpus_documents (path, sha256, catalog) VALUES (%s, %s, %s) "
            "ON CONFLICT (path) DO UPDATE SET sha256 = EXCLUDED.sha256, "
            "catalog = EXCLUDED.catalog, updated_at = now()",
            (key, digest, text),
        )
        urls, hosts = list(targets), list(targets.values())
        conn.execute(
            "INSERT INTO corpus_urls (url, host) SELECT * FROM unnest(%s::text[], %s::text[]) "
            "ON CONFLICT (url) DO NOTHING",
            (urls, hosts),
        )
        conn.execute(
            "INSERT INTO corpus_document_urls (path, url) "
            "SELECT %s, u FROM unnest(%s::text[]) AS u",
            (key, urls),
        )
        gone = sorted(set(old) - set(targets))
        if gone:
            conn.execute(
                "DELETE FROM corpus_urls c WHERE c.url = ANY(%s) AND NOT EXISTS "
                "(SELECT 1 FROM corpus_document_urls d WHERE d.url = c.url)",
                (gone,),
            )
