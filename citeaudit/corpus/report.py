"""`corpus report`: every document's report from the stored verdicts, with no network.

Each document's catalog is stored (add.py); its verdicts are the latest probe of each URL it
cites (with the snapshot linked to that probe), read in one query. `--confirm` is applied to the
stored history as `check` applies it, so a weekly run's report calls a source dead only once the
policy is met. A URL no worker has probed yet has no verdict and is reported as such.

Captures: a probe made without `--archive` carries no snapshot, and Save Page Now's captures
(`corpus archive`, `citeaudit archive --store`) are lookups of their own, not part of a probe.
When the latest probe knows no capture, the report shows the stored capture closest to the
document's date, whichever way it was found: the store knows it, so the reader should too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import psycopg

from citeaudit.audit import not_probed_verdict, store_key
from citeaudit.check.archive.captures import days_from
from citeaudit.check.store_pg import SNAPSHOT_OF_P
from citeaudit.check.storerules import stored_probe
from citeaudit.corpus.add import document_key
from citeaudit.corpus.db import connect, failed
from citeaudit.errors import InputError
from citeaudit.evidence.history import Confirm, confirm
from citeaudit.judge.score import build_result
from citeaudit.models import ArchiveSnapshot, AuditResult, Catalog, Verdict

IMMEDIATE = Confirm()
"""The default policy: one failed check is enough."""

_OF_DOCUMENT = "(SELECT url FROM corpus_document_urls WHERE path = %s)"
_LATEST = (
    f"SELECT p.url, p.data, {SNAPSHOT_OF_P} FROM (SELECT DISTINCT ON (url) url, checked_at, data "
    f"FROM probes WHERE url IN {_OF_DOCUMENT} ORDER BY url, checked_at DESC, id DESC) p"
)
# every capture the store knows of the document's URLs: Save Page Now's, lookups, probes'
_CAPTURES = (
    f"SELECT url, data FROM archive_lookups WHERE available AND url IN {_OF_DOCUMENT} "
    "ORDER BY url, checked_at, id"
)


def closest_capture(captures: Sequence[ArchiveSnapshot], as_of: date) -> ArchiveSnapshot | None:
    """The dated capture nearest `as_of` (the newer on a tie), its distance in days set (pure).

    >>> old = ArchiveSnapshot(True, "w/1", datetime(2024, 1, 1, tzinfo=UTC))
    >>> new = ArchiveSnapshot(True, "w/2", datetime(2024, 3, 9, tzinfo=UTC))
    >>> closest_capture([old, new], date(2024, 3, 1)).days_from_document
    8
    >>> closest_capture([ArchiveSnapshot(False, reason="none")], date(2024, 3, 1)) is None
    True
    """
    dated = [c for c in captures if c.available and c.url and c.timestamp]
    if not dated:
        return None

    def distance(c: ArchiveSnapshot) -> tuple[int, float]:
        assert c.timestamp is not None
        return abs(days_from(c.timestamp, as_of)), -c.timestamp.timestamp()

    best = min(dated, key=distance)
    assert best.timestamp is not None
    return dataclasses.replace(best, days_from_document=days_from(best.timestamp, as_of))


def with_capture(verdict: Verdict, captures: Sequence[ArchiveSnapshot], as_of: date) -> Verdict:
    """`verdict` with the closest known capture when its own probe found none (pure)."""
    if verdict.archive is not None and verdict.archive.available:
        return verdict  # the capture the probe's lookup chose for this document's date
    known = closest_capture(captures, as_of)
    return verdict if known is None else dataclasses.replace(verdict, archive=known)


def document_result(
    catalog: Catalog,
    latest: dict[str, Verdict],
    histories: dict[str, list[Verdict]],
    policy: Confirm,
    *,
    now: datetime,
    captures: Mapping[str, Sequence[ArchiveSnapshot]] | None = None,
) -> AuditResult:
    """One document scored on stored verdicts (pure): by store key, confirmed, renamed, with
    the closest of the store's `captures` (store key -> snapshots) when the probe knew none."""
    as_of = catalog.document.date or now.date()
    verdicts: dict[str, Verdict] = {}
    for _, source in catalog.sources():
        fixed = not_probed_verdict(source, now)
        if fixed is not None:
            verdicts[source.url] = fixed
            continue
        stored = latest.get(store_key(source.url))
        if stored is None:
            continue
        if not policy.immediate:
            stored = confirm(stored, histories.get(stored.url, []), policy, now=now)
        stored = with_capture(stored, (captures or {}).get(stored.url, ()), as_of)
        verdicts[source.url] = dataclasses.replace(stored, url=source.url, from_cache=True)
    return build_result(catalog, verdicts, generated_at=now)


def read_results(
    conn: psycopg.Connection[Any],
    *,
    documents: Sequence[str] = (),
    policy: Confirm = IMMEDIATE,
    now: datetime | None = None,
) -> list[AuditResult]:
    """The results of the named documents (all when none is named), in path order."""
    now = now or datetime.now(UTC)
    if documents:
        keys = [document_key(d) for d in documents]
        rows = conn.execute(
            "SELECT path, catalog FROM corpus_documents WHERE path = ANY(%s) ORDER BY path",
            (keys,),
        ).fetchall()
        missing = sorted(set(keys) - {p for p, _ in rows})
        if missing:
            raise InputError(f"{missing[0]}: not in the corpus (add it with `corpus add`)")
    else:
        rows = conn.execute("SELECT path, catalog FROM corpus_documents ORDER BY path").fetchall()
    results = []
    for path, data in rows:
        latest = {
            u: Verdict.from_json(stored_probe(d, snap))
            for u, d, snap in conn.execute(_LATEST, (path,)).fetchall()
        }
        captures: dict[str, list[ArchiveSnapshot]] = {}
        for url, d in conn.execute(_CAPTURES, (path,)).fetchall():
            captures.setdefault(url, []).append(ArchiveSnapshot.from_json(d))
        histories: dict[str, list[Verdict]] = {}
        if not policy.immediate:
            for url, d in conn.execute(
                "SELECT url, data FROM probes WHERE url = ANY(%s) ORDER BY checked_at, id",
                (list(latest),),
            ).fetchall():
                histories.setdefault(url, []).append(Verdict.from_json(d))
        catalog = Catalog.from_json(data)
        results.append(
            document_result(catalog, latest, histories, policy, now=now, captures=captures)
        )
    return results


def corpus_results(
    url: str, *, documents: Sequence[str] = (), policy: Confirm = IMMEDIATE
) -> list[AuditResult]:
    """The results of the corpus in the store at `url` (see `read_results`)."""
    conn = connect(url)
    try:
        results = read_results(conn, documents=documents, policy=policy)
    except psycopg.Error as exc:
        raise failed(url, exc) from None
    finally:
        conn.close()
    if not results:
        raise InputError("the corpus has no documents (add some with `corpus add`)")
    return results
