"""`corpus report`: every document's report from the stored verdicts, with no network.

Each document's catalog is stored (add.py); its verdicts are the latest probe of each URL it
cites, read in one query. `--confirm` is applied to the stored history as `check` applies it,
so a weekly run's report calls a source dead only once the policy is met. A URL no worker has
probed yet has no verdict and is reported as such.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg

from citeaudit.audit import not_probed_verdict, store_key
from citeaudit.corpus.add import document_key
from citeaudit.corpus.db import connect, failed
from citeaudit.errors import InputError
from citeaudit.evidence.history import Confirm, confirm
from citeaudit.judge.score import build_result
from citeaudit.models import AuditResult, Catalog, Verdict

IMMEDIATE = Confirm()
"""The default policy: one failed check is enough."""

_LATEST = (
    "SELECT DISTINCT ON (p.url) p.url, p.data FROM probes p "
    "WHERE p.url IN (SELECT url FROM corpus_document_urls WHERE path = %s) "
    "ORDER BY p.url, p.checked_at DESC, p.id DESC"
)


def document_result(
    catalog: Catalog,
    latest: dict[str, Verdict],
    histories: dict[str, list[Verdict]],
    policy: Confirm,
    *,
    now: datetime,
) -> AuditResult:
    """One document scored on stored verdicts (pure): by store key, confirmed, renamed."""
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
        latest = {u: Verdict.from_json(d) for u, d in conn.execute(_LATEST, (path,)).fetchall()}
        histories: dict[str, list[Verdict]] = {}
        if not policy.immediate:
            for url, d in conn.execute(
                "SELECT url, data FROM probes WHERE url = ANY(%s) ORDER BY checked_at, id",
                (list(latest),),
            ).fetchall():
                histories.setdefault(url, []).append(Verdict.from_json(d))
        results.append(document_result(Catalog.from_json(data), latest, histories, policy, now=now))
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
