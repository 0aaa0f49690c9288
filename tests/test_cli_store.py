"""The CLI on a PostgreSQL store: `--store URL` or `store = "..."` on every command that has a
store, `--cache FILE` still SQLite, and every bad store in one line with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from citeaudit.cli import main

from .check.servers import Reply, TestServer, page
from .loopback_report import HOSTS, write_report


def serve(server: TestServer) -> None:
    for host, path in (("news.test", "/statement"), ("news.test", "/a"), ("other.test", "/b")):
        server.route(host, path, Reply(200, page("Page", f"text of {path}")))
    server.route("gone.test", "/prices", Reply(404, page("Not found")))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def check(server: TestServer, doc: Path, *extra: str) -> tuple[int, str]:
    args = ["check", str(doc), "--no-archive", "--canary", "localhost", "--retries", "0"]
    for host in HOSTS:
        args += ["--resolve", f"{host}:{server.port}:127.0.0.1"]
    return run(*args, "--quiet", "--format", "json", *extra)


def probes_in(url: str) -> int:
    with psycopg.connect(url) as conn:
        (count,) = conn.execute("SELECT count(*) FROM probes").fetchone()  # type: ignore[misc]
    return int(count)


def test_check_history_ledger_and_cache_on_one_store(
    server: TestServer, tmp_path: Path, pg_url: str
) -> None:
    serve(server)
    doc = write_report(tmp_path / "r.txt", server.port)
    code, out = check(server, doc, "--store", pg_url)
    assert code == 1, out  # gone.test is lost
    requests = len(server.seen)
    assert requests > 0 and probes_in(pg_url) == 4
    code, out = check(server, doc, "--store", pg_url)
    assert code == 1 and len(server.seen) == requests  # every answer came from the store
    sources = json.loads(out)["sources"]
    assert len(sources) == 4 and all(s["from_cache"] for s in sources)

    gone = f"http://gone.test:{server.port}/prices"
    code, out = run("history", gone, "--store", pg_url, "--format", "json")
    assert code == 0 and [p["verdict"] for p in json.loads(out)["probes"]] == ["dead"]

    code, out = run("cache", "info", "--store", pg_url)
    info = dict(line.split(": ", 1) for line in out.splitlines())
    assert code == 0 and (info["probes"], info["urls"]) == ("4", "4")
    assert info["path"] == pg_url and int(info["host_probes"]) >= 1

    ledger, again = tmp_path / "l.jsonl", tmp_path / "again.jsonl"
    assert run("ledger", "export", str(ledger), "--store", pg_url) == (0, f"{ledger}: 4 records\n")
    sqlite = tmp_path / "moved.sqlite3"
    code, out = run("ledger", "import", str(ledger), "--cache", str(sqlite))
    assert code == 0 and "4 probes added" in out
    assert run("ledger", "export", str(again), "--cache", str(sqlite))[0] == 0
    assert again.read_bytes() == ledger.read_bytes()

    code, out = run("cache", "clear", "--store", pg_url)
    assert code == 0 and f"removed {4 + int(info['host_probes'])} entries" in out
    assert probes_in(pg_url) == 0
    code, out = run("ledger", "import", str(ledger), "--store", pg_url)
    assert code == 0 and "4 probes added, 0 already known" in out
    assert probes_in(pg_url) == 4


def test_store_in_the_configuration_and_cache_flag_over_it(
    server: TestServer, tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(server)
    doc = write_report(tmp_path / "r.txt", server.port)
    (tmp_path / "citeaudit.toml").write_text(f'store = "{pg_url}"\n', encoding="utf-8")
    assert check(server, doc)[0] == 1
    assert probes_in(pg_url) == 4
    sqlite = tmp_path / "local.sqlite3"
    assert check(server, doc, "--cache", str(sqlite))[0] == 1
    assert sqlite.exists() and probes_in(pg_url) == 4  # the flag chose the file, not the store
    monkeypatch.chdir(tmp_path)  # commands without a document read the configuration here
    code, out = run("history", f"http://news.test:{server.port}/a")
    assert code == 0 and "alive" in out
    code, out = run("cache", "info")
    assert code == 0 and "probes: 4" in out and "path: postgresql://" in out


@pytest.mark.parametrize(
    "command",
    [
        ["cache", "info"],
        ["cache", "clear"],
        ["history", "http://a.test/"],
        ["ledger", "export", "out.jsonl"],
    ],
)
@pytest.mark.parametrize(
    ("store", "says"),
    [
        ("mysql://ann:hunter2@db/ev", "is not a postgresql:// or postgres:// URL"),
        ("postgresql://ann:hunter2@127.0.0.1:1/ev", "cannot open store postgresql://ann:***@"),
    ],
)
def test_a_bad_store_is_one_line_and_exit_2(
    command: list[str], store: str, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run(*command, "--store", store)
    assert code == 2
    assert out.startswith("citeaudit: error: ") and out.count("\n") == 1, out
    assert says in out and "hunter2" not in out
    assert not (tmp_path / "out.jsonl").exists()


def test_check_stops_on_an_unreachable_store(server: TestServer, tmp_path: Path) -> None:
    serve(server)
    doc = write_report(tmp_path / "r.txt", server.port)
    code, out = check(server, doc, "--store", "postgresql://127.0.0.1:1/ev")
    assert code == 2 and out.count("\n") == 1 and "Connection refused" in out
    assert server.seen == []  # nothing probed for a run whose evidence would be lost


def test_two_stores_at_once_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run("cache", "info", "--store", "postgresql:///x", "--cache", "c.sqlite3")
    assert code == 2 and "--store and --cache name two stores" in out
    (tmp_path / "citeaudit.toml").write_text('cache = "c.sqlite3"\nstore = "postgres:///x"\n')
    code, out = run("cache", "info")
    assert code == 2 and "'cache' and 'store' name two stores" in out
    (tmp_path / "citeaudit.toml").write_text('store = "evidence.db"\n')
    code, out = run("history", "http://a.test/")
    assert code == 2 and "citeaudit.toml: store 'evidence.db' is not a postgresql://" in out


def test_cache_flag_keeps_working_without_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    assert run("cache", "info", "--cache", str(missing)) == (0, f"path: {missing}\nno cache yet\n")
    assert not missing.exists()
