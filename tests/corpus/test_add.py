"""`corpus add`: idempotent by content hash; a changed file is parsed again, its URLs replaced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from citeaudit.cli import main
from citeaudit.corpus.add import add_documents, document_key
from citeaudit.errors import InputError

from .corpus_docs import scalar, write_doc


def urls_of(store: str, path: Path) -> int:
    return scalar(
        store,
        "SELECT count(*) FROM corpus_document_urls WHERE path = %s",
        (document_key(str(path)),),
    )


def test_add_is_idempotent(tmp_path: Path, pg_url: str) -> None:
    a = write_doc(tmp_path / "a.txt", ["http://x.test/1", "http://x.test/2#frag"])
    b = write_doc(tmp_path / "b.txt", ["http://x.test/2", "http://y.test/3"])
    first = add_documents(pg_url, [str(a), str(b)])
    assert (first.added, first.updated, first.unchanged, first.urls) == (2, 0, 0, 4)
    # x.test/2 is one URL for both documents (the fragment is not part of the resource)
    assert scalar(pg_url, "SELECT count(*) FROM corpus_urls") == 3
    again = add_documents(pg_url, [str(a), str(b)])
    assert (again.added, again.updated, again.unchanged, again.urls) == (0, 0, 2, 0)
    assert scalar(pg_url, "SELECT count(*) FROM corpus_documents") == 2


def test_a_changed_file_is_parsed_again(tmp_path: Path, pg_url: str) -> None:
    a = write_doc(tmp_path / "a.txt", ["http://x.test/1", "http://x.test/2"])
    add_documents(pg_url, [str(a)])
    with pg_url_conn(pg_url) as conn:
        conn.execute("UPDATE corpus_urls SET checked_at = now(), verdict = 'alive'")
    write_doc(a, ["http://x.test/2", "http://z.test/9"])
    outcome = add_documents(pg_url, [str(a)])
    assert (outcome.added, outcome.updated, outcome.unchanged) == (0, 1, 0)
    assert urls_of(pg_url, a) == 2
    with pg_url_conn(pg_url) as conn:
        rows = dict(conn.execute("SELECT url, verdict FROM corpus_urls").fetchall())
    # the dropped URL leaves the schedule; the kept one keeps its verdict; the new one is due
    assert rows == {"http://x.test/2": "alive", "http://z.test/9": None}
    stored = scalar(
        pg_url,
        "SELECT count(*) FROM corpus_documents WHERE sha256 = encode(sha256(%s), 'hex')",
        (a.read_bytes(),),
    )
    assert stored == 1


def test_a_named_file_that_cannot_be_read_stops(tmp_path: Path, pg_url: str) -> None:
    with pytest.raises(InputError, match="no such file"):
        add_documents(pg_url, [str(tmp_path / "missing.txt")])


def test_cli_add_json_and_bad_store(tmp_path: Path, pg_url: str) -> None:
    a = write_doc(tmp_path / "a.txt", ["http://x.test/1"])
    result = CliRunner().invoke(
        main, ["corpus", "add", str(a), "--store", pg_url, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "added": 1,
        "skipped": 0,
        "unchanged": 0,
        "updated": 0,
        "urls": 1,
    }
    bad = CliRunner().invoke(main, ["corpus", "add", str(a), "--store", "nope.db"])
    assert bad.exit_code == 2
    assert bad.output.strip().startswith("citeaudit: error: store 'nope.db' is not a postgresql")
    assert "Traceback" not in bad.output


def pg_url_conn(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(url, autocommit=True)
