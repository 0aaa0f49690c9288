"""`corpus status`: documents, URLs due and done, verdicts, host jobs, workers alive."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
from click.testing import CliRunner

from citeaudit.cli import main
from citeaudit.corpus.add import add_documents
from citeaudit.corpus.due import Schedule
from citeaudit.corpus.status import corpus_status, render_status

from .corpus_docs import write_doc


def test_status_counts(tmp_path: Path, pg_url: str) -> None:
    urls = [f"http://h{i % 3}.test/p{i}" for i in range(9)]
    add_documents(pg_url, [str(write_doc(tmp_path / "a.txt", urls[:5]))])
    add_documents(pg_url, [str(write_doc(tmp_path / "b.txt", urls[4:]))])
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE corpus_urls SET checked_at = now(), verdict = 'alive' WHERE url = ANY(%s)",
            (urls[:4],),
        )
        conn.execute(
            "UPDATE corpus_urls SET checked_at = now() - interval '30 days', verdict = 'dead' "
            "WHERE url = %s",
            (urls[4],),
        )
        conn.execute("INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now())")
        conn.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '1 hour')"
        )
    status = corpus_status(pg_url, Schedule())
    assert status.to_json() == {
        "documents": 2,
        "urls": 9,
        "done": 5,
        "due": 5,  # four never probed, one probed 30 days ago
        "hosts_due": 3,
        "verdicts": {"alive": 4, "dead": 1},
        "jobs": {},
        "workers_alive": 1,
    }
    text = render_status(status)
    assert "due            5 (on 3 hosts)" in text and "verdicts       alive 4, dead 1" in text

    result = CliRunner().invoke(
        main, ["corpus", "status", "--store", pg_url, "--max-age", "60d", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["due"] == 4  # a longer --max-age: the old one is not due


def test_status_of_an_unreachable_store_is_one_line(tmp_path: Path) -> None:
    url = f"postgresql://nobody@/x?host={tmp_path}&port=1"
    result = CliRunner().invoke(main, ["corpus", "status", "--store", url])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("citeaudit: error: cannot open store")
