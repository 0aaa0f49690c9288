"""`audit.run`: the library owns the run (configuration per document, store, baseline, status)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click
import pytest

from citeaudit.audit import run
from citeaudit.check.cache import Cache
from citeaudit.cli import main
from citeaudit.errors import ReportError
from citeaudit.models import LinkStatus
from citeaudit.report import Format, render
from citeaudit.request import CheckRequest

from .check.servers import Reply, TestServer, page
from .loopback_report import HOSTS, write_report

RENDERING = {"files", "fmt", "outputs", "quiet", "verbose"}
"""Parameters of `check` that only say how to show the outcome, not what to run."""


def request(server: TestServer, *files: Path, **options: object) -> CheckRequest:
    resolve = tuple(f"{host}:{server.port}:127.0.0.1" for host in HOSTS)
    return CheckRequest(
        files=tuple(map(str, files)),
        resolve=resolve,
        canaries=("localhost",),
        no_archive=True,
        retries=0,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def farm(server: TestServer) -> TestServer:
    server.default("news.test", Reply(200, page("News")))
    server.default("gone.test", Reply(404, page("Not found")))
    server.default("other.test", Reply(200, page("Other")))
    return server


def test_every_check_option_is_a_request_field_and_back():
    command = main.commands["check"]
    assert isinstance(command, click.Command)
    names = {p.name for p in command.params} - RENDERING
    fields = {f.name for f in dataclasses.fields(CheckRequest)} - {"files", "outputs"}
    assert names == fields


def test_a_renamed_option_fails_loudly_instead_of_going_missing():
    with pytest.raises(TypeError, match="per_hots"):
        CheckRequest(files=("r.md",), per_hots=3)  # type: ignore[call-arg]


def test_each_document_is_checked_under_its_own_configuration(farm: TestServer, tmp_path: Path):
    strict, lenient = tmp_path / "strict", tmp_path / "lenient"
    strict.mkdir(), lenient.mkdir()
    (lenient / "citeaudit.toml").write_text('exclude = ["*gone.test*"]\n', encoding="utf-8")
    first = write_report(strict / "r.txt", farm.port)
    second = write_report(lenient / "r.txt", farm.port)
    outcome = run(request(farm, first, second, no_cache=True))
    by_path = {r.catalog.document.path: r for r in outcome.results}
    assert [r.catalog.document.path for r in outcome.results] == [str(first), str(second)]
    gone = f"http://gone.test:{farm.port}/prices"
    assert by_path[str(first)].verdicts[gone].status is LinkStatus.DEAD
    assert by_path[str(second)].verdicts[gone].status is LinkStatus.SKIPPED
    assert outcome.status == 1  # the strict document has a lost source


def test_the_status_follows_each_documents_fail_on(farm: TestServer, tmp_path: Path):
    (tmp_path / "citeaudit.toml").write_text('fail_on = ["never"]\n', encoding="utf-8")
    doc = write_report(tmp_path / "r.txt", farm.port)
    assert run(request(farm, doc, no_cache=True)).status == 0
    assert run(request(farm, doc, no_cache=True, fail_on=("lost",))).status == 1


def test_a_store_handed_in_is_used_and_left_open(farm: TestServer, tmp_path: Path):
    doc = write_report(tmp_path / "r.txt", farm.port)
    with Cache(tmp_path / "store.sqlite") as store:
        run(request(farm, doc), store=store)
        seen = len(farm.hits())
        again = run(request(farm, doc), store=store)
        assert len(farm.hits()) == seen  # every verdict came from the store
        assert again.results[0].run is not None and again.results[0].run.from_cache == 4
        assert store.usable  # still open


def test_a_baseline_is_applied_by_the_run(farm: TestServer, tmp_path: Path):
    doc = write_report(tmp_path / "r.txt", farm.port)
    first = run(request(farm, doc, no_cache=True))
    saved = tmp_path / "base.json"
    saved.write_text(render(list(first.results), Format.JSON), encoding="utf-8")
    again = run(request(farm, doc, no_cache=True, baseline=str(saved)))
    assert first.status == 1 and again.status == 0  # nothing new since the baseline
    assert again.results[0].baseline


def test_an_output_over_an_input_is_refused_before_probing(farm: TestServer, tmp_path: Path):
    doc = write_report(tmp_path / "r.txt", farm.port)
    with pytest.raises(ReportError, match="refusing to overwrite"):
        run(request(farm, doc, no_cache=True, outputs=(str(doc),)))
    assert farm.hits() == []
