"""`corpus report`: every document's report from the stored verdicts, without the network."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
from click.testing import CliRunner

from citeaudit.cli import main
from citeaudit.corpus.add import add_documents
from citeaudit.corpus.options import work_options
from citeaudit.corpus.work import work

from ..check.servers import TestServer
from .corpus_docs import farm_urls, host_names, serve_farm, write_doc


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_report_renders_stored_verdicts_offline(tmp_path: Path, pg_url: str) -> None:
    names = host_names(2)
    with TestServer("127.0.0.1") as server:
        serve_farm(server, names)
        expected = farm_urls(server, names, 3)
        urls = list(expected)
        a = write_doc(tmp_path / "a.txt", urls[:4], title="Report A")
        b = write_doc(tmp_path / "b.txt", urls[3:] + ["http://never.test/x"], title="Report B")
        add_documents(pg_url, [str(a), str(b)])
        # probe everything but never.test (not mapped to the server): mark it probed-not
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("DELETE FROM corpus_urls WHERE host = 'never.test'")
        resolve = tuple(f"{h}:{server.port}:127.0.0.1" for h in names)
        work(pg_url, work_options(resolve=resolve, retries=0, timeout=5, poll=0.05), signals=False)
        seen = len(server.seen)
    # the server is gone: the report can only come from the store
    code, out = run("corpus", "report", "--store", pg_url, "--format", "json")
    assert code == 0, out
    documents = json.loads(out)["documents"]
    assert [d["document"]["title"] for d in documents] == ["Report A", "Report B"]
    got = {s["url"]: s["verdict"] for d in documents for s in d["sources"]}
    assert got == {**expected, "http://never.test/x": "unchecked"}
    assert all(
        s["from_cache"] for d in documents for s in d["sources"] if s["verdict"] != "unchecked"
    )
    assert seen > 0

    code, out = run("corpus", "report", "--store", pg_url, "--document", str(a), "--format", "json")
    assert code == 0 and json.loads(out)["document"]["title"] == "Report A"

    # one failed check is not enough under --confirm 3:3: the dead become failing
    code, out = run("corpus", "report", "--store", pg_url, "--confirm", "3:3", "--format", "json")
    verdicts = {s["verdict"] for d in json.loads(out)["documents"] for s in d["sources"]}
    assert code == 0 and "dead" not in verdicts and "failing" in verdicts

    code, out = run("corpus", "report", "--store", pg_url, "--format", "markdown")
    assert code == 0 and "Report A" in out

    code, out = run("corpus", "report", "--store", pg_url, "--document", str(tmp_path / "no.txt"))
    assert code == 2 and "not in the corpus" in out and "Traceback" not in out


def test_report_of_an_empty_corpus(pg_url: str) -> None:
    code, out = run("corpus", "report", "--store", pg_url)
    assert code == 2 and "the corpus has no documents" in out
