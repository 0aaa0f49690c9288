"""`audit.run`: the library owns the run (configuration per document, store, baseline, status)."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import pytest

from citeaudit.audit import run
from citeaudit.audit.probing import ClockedStore
from citeaudit.audit.request import CheckRequest
from citeaudit.check.cache import Cache
from citeaudit.cli import main
from citeaudit.errors import ReportError
from citeaudit.models import ArchiveSnapshot, LinkStatus, Verdict
from citeaudit.report import Format, render

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


# --- options lychee users rely on ------------------------------------------------------------


def test_exclude_and_include_from_the_command_line_name_their_rule(farm, tmp_path):
    doc = write_report(tmp_path / "r.txt", farm.port)
    gone = f"http://gone.test:{farm.port}/prices"
    excluded = run(request(farm, doc, no_cache=True, exclude=("gone.test",))).results[0]
    assert excluded.verdicts[gone].status is LinkStatus.SKIPPED
    assert farm.hits("gone.test") == []
    assert excluded.run is not None
    assert [(r.url, r.action, r.rule) for r in excluded.run.rules] == [
        (gone, "excluded", "exclude gone.test")
    ]
    before = len(farm.hits())
    only = run(request(farm, doc, no_cache=True, include=("re:/prices$",))).results[0]
    assert only.verdicts[gone].status is LinkStatus.DEAD
    others = {u: v.status for u, v in only.verdicts.items() if u != gone}
    assert set(others.values()) == {LinkStatus.SKIPPED}  # include-only: the rest is left out
    assert {h.host for h in farm.hits()[before:]} == {"gone.test"}
    both = run(request(farm, doc, no_cache=True, exclude=("gone.test",), include=("gone.test",)))
    assert both.results[0].verdicts[gone].status is LinkStatus.DEAD  # include wins


def test_rules_and_settings_are_in_the_json_report_and_read_back(farm, tmp_path):
    from citeaudit.report.json import load

    (tmp_path / "citeaudit.toml").write_text('accept = {"*" = [404]}\n', encoding="utf-8")
    doc = write_report(tmp_path / "r.txt", farm.port)
    outcome = run(request(farm, doc, no_cache=True, exclude=("other.test",), max_redirects=3))
    text = render(list(outcome.results), Format.JSON)
    data = json.loads(text)
    assert data["run"]["settings"]["exclude"] == ["other.test"]
    assert data["run"]["settings"]["accept"] == {"*": "404"}
    assert data["run"]["settings"]["max_redirects"] == 3
    assert data["run"]["rules"] == [
        {
            "url": f"http://other.test:{farm.port}/b",
            "action": "excluded",
            "rule": "exclude other.test",
            "target": None,
        }
    ]
    assert load(text)[0].run == outcome.results[0].run


def test_accept_with_ranges_for_every_host(farm, tmp_path):
    doc = write_report(tmp_path / "r.txt", farm.port)
    gone = f"http://gone.test:{farm.port}/prices"
    plain = run(request(farm, doc, no_cache=True)).results[0]
    assert plain.verdicts[gone].status is LinkStatus.DEAD
    ranged = run(request(farm, doc, no_cache=True, accept=("200..=299,400..405",))).results[0]
    assert ranged.verdicts[gone].status is LinkStatus.ALIVE
    assert "accepted for every host" in ranged.verdicts[gone].reason
    outside = run(request(farm, doc, no_cache=True, accept=("400..404",))).results[0]
    assert outside.verdicts[gone].status is LinkStatus.DEAD  # `..` leaves its end out
    per_host = run(request(farm, doc, no_cache=True, accept=("other.test=404",))).results[0]
    assert per_host.verdicts[gone].status is LinkStatus.DEAD


def test_a_global_accept_list_replaces_what_is_alive_as_lychee_does(farm, tmp_path):
    doc = write_report(tmp_path / "r.txt", farm.port)
    gone = f"http://gone.test:{farm.port}/prices"
    news = f"http://news.test:{farm.port}/statement"
    statement = "The minister spoke on Monday about the river and the bridges. " * 20
    farm.route("news.test", "/statement", Reply(200, page("Statement", statement)))
    only_404 = run(request(farm, doc, no_cache=True, accept=("404",))).results[0]
    assert only_404.verdicts[gone].status is LinkStatus.ALIVE
    assert only_404.verdicts[news].status is LinkStatus.DEAD  # its 200 is not in the list
    assert "200 is not an accepted status (accept: 404)" in only_404.verdicts[news].reason
    with_host = run(
        request(farm, doc, no_cache=True, accept=("404", "news.test=200..=299"))
    ).results[0]
    assert with_host.verdicts[news].status is LinkStatus.ALIVE  # a host's entry adds to it
    assert with_host.verdicts[gone].status is LinkStatus.ALIVE


def test_a_star_host_in_the_configuration_accepts_everywhere(farm, tmp_path):
    (tmp_path / "citeaudit.toml").write_text('accept = {"*" = [404]}\n', encoding="utf-8")
    doc = write_report(tmp_path / "r.txt", farm.port)
    result = run(request(farm, doc, no_cache=True)).results[0]
    assert result.verdicts[f"http://gone.test:{farm.port}/prices"].status is LinkStatus.ALIVE


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        (["--accept", "2xx"], "--accept: 'accept': '2xx' is not a status or range"),
        (["--header", "no colon"], "--header: 'header' 'no colon' must be 'Name: value'"),
        (["--exclude", "re:("], "--exclude: exclude: invalid regular expression"),
        (["--max-redirects", "-1"], "--max-redirects"),
    ],
)
def test_bad_values_are_one_line_errors_naming_the_option(tmp_path, flag, message):
    from click.testing import CliRunner

    doc = write_report(tmp_path / "r.txt", 9)
    result = CliRunner().invoke(main, ["check", str(doc), "--no-cache", *flag])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_max_redirects_is_followed_up_to_the_limit(farm, tmp_path):
    for i in range(3):
        farm.route("news.test", f"/hop{i}", Reply(302, headers={"Location": f"/hop{i + 1}"}))
    farm.route("news.test", "/hop3", Reply(200, page("Landed")))
    doc = tmp_path / "r.txt"
    doc.write_text(
        f"R\n\nOne.[1]\n\nEndnotes\n\n[1] http://news.test:{farm.port}/hop0\n", encoding="utf-8"
    )
    url = f"http://news.test:{farm.port}/hop0"
    short = run(request(farm, doc, no_cache=True, max_redirects=2)).results[0].verdicts[url]
    assert short.status is LinkStatus.ERROR and "more than 2 redirects" in short.reason
    enough = run(request(farm, doc, no_cache=True, max_redirects=3)).results[0].verdicts[url]
    assert enough.status is LinkStatus.REDIRECTED


def test_max_redirects_from_the_configuration(farm, tmp_path):
    farm.route("news.test", "/hop", Reply(302, headers={"Location": "/end"}))
    farm.route("news.test", "/end", Reply(200, page("End")))
    (tmp_path / "citeaudit.toml").write_text("max_redirects = 0\n", encoding="utf-8")
    doc = tmp_path / "r.txt"
    doc.write_text(
        f"R\n\nOne.[1]\n\nEndnotes\n\n[1] http://news.test:{farm.port}/hop\n", encoding="utf-8"
    )
    verdict = run(request(farm, doc, no_cache=True)).results[0].verdicts
    assert verdict[f"http://news.test:{farm.port}/hop"].status is LinkStatus.ERROR


def test_headers_from_the_flag_and_the_file_reach_the_server(farm, tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.citeaudit]\nheader = {"X-From-File" = "yes"}\n', encoding="utf-8"
    )
    doc = write_report(tmp_path / "r.txt", farm.port)
    outcome = run(request(farm, doc, no_cache=True, header=("Accept: text/plain",)))
    hits = farm.hits("news.test")
    assert hits and all(h.headers.get("accept") == "text/plain" for h in hits)
    assert all(h.headers.get("x-from-file") == "yes" for h in hits)
    settings = outcome.results[0].run.settings  # type: ignore[union-attr]
    assert settings["header"] == ["X-From-File", "Accept"]  # names only: values may be secrets


def test_exclude_path_leaves_inputs_unread_and_dump_inputs_lists_the_rest(farm, tmp_path):
    from click.testing import CliRunner

    reports = tmp_path / "reports"
    (reports / "drafts").mkdir(parents=True)
    write_report(reports / "a.txt", farm.port)
    write_report(reports / "drafts" / "b.txt", farm.port)
    write_report(reports / "c.old.txt", farm.port)
    outcome = run(
        request(farm, reports, no_cache=True, exclude_path=("drafts/", "re:\\.old\\.txt$"))
    )
    assert [r.catalog.document.path for r in outcome.results] == [str(reports / "a.txt")]
    args = ["check", str(reports), "--dump-inputs", "--exclude-path", "drafts/"]
    before = len(farm.hits())
    listed = CliRunner().invoke(main, args)
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == [str(reports / "a.txt"), str(reports / "c.old.txt")]
    assert len(farm.hits()) == before  # nothing probed


def test_exclude_path_from_the_configuration(tmp_path, monkeypatch):
    from click.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    (tmp_path / "citeaudit.toml").write_text('exclude_path = ["skip*.txt"]\n', encoding="utf-8")
    write_report(tmp_path / "keep.txt", 9)
    write_report(tmp_path / "skip-me.txt", 9)
    listed = CliRunner().invoke(main, ["check", "*.txt", "--dump-inputs"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == ["keep.txt"]


def _markdown_report(path: Path, notes: str) -> Path:
    path.write_text(
        f"A Report\n\nMarch 1, 2024\n\nPrices rose.[1]\n\nEndnotes\n\n[1] {notes}\n",
        encoding="utf-8",
    )
    return path


def test_remap_probes_the_replacement_and_lists_the_rule(farm, tmp_path):
    farm.route("news.test", "/staging/prices", Reply(200, page("Prices")))
    doc = write_report(tmp_path / "r.txt", farm.port)
    gone = f"http://gone.test:{farm.port}/prices"
    staging = f"http://news.test:{farm.port}/staging/prices"
    rule = f"http://gone.test:{farm.port}/ http://news.test:{farm.port}/staging/"
    outcome = run(request(farm, doc, no_cache=True, remap=(rule,)))
    verdict = outcome.results[0].verdicts[gone]
    assert verdict.status is LinkStatus.ALIVE and f"remapped to {staging}" in verdict.reason
    assert farm.hits("gone.test") == [] and farm.hits("news.test", "/staging/prices")
    data = json.loads(render(list(outcome.results), Format.JSON))
    assert {"url": gone, "action": "remapped", "rule": f"remap {rule}", "target": staging} in data[
        "run"
    ]["rules"]
    assert data["run"]["settings"]["remap"] == [rule]


def test_exclude_and_include_match_the_cited_url_and_accept_the_answer_of_the_probed_one(
    farm, tmp_path
):
    # As in lychee, the remap happens before the request and --accept judges the response;
    # exclude and include describe what the document cites, so they match the URL as written.
    farm.route("news.test", "/staging/prices", Reply(404, page("Not yet")))
    doc = write_report(tmp_path / "r.txt", farm.port)
    gone = f"http://gone.test:{farm.port}/prices"
    staging = f"http://news.test:{farm.port}/staging/prices"
    rule = f"http://gone.test:{farm.port}/ http://news.test:{farm.port}/staging/"

    def cited(**options: object) -> tuple[Verdict, list[dict[str, object]]]:
        outcome = run(request(farm, doc, no_cache=True, remap=(rule,), **options))
        data = json.loads(render(list(outcome.results), Format.JSON))
        return outcome.results[0].verdicts[gone], data["run"]["rules"]

    # a rule naming the probed host leaves the cited URL alone: it is probed at staging
    verdict, rules = cited(exclude=("news.test",))
    assert verdict.status is LinkStatus.DEAD and f"remapped to {staging}" in verdict.reason
    assert {"url": gone, "action": "remapped", "rule": f"remap {rule}", "target": staging} in rules
    assert farm.hits("news.test", "/staging/prices")
    # a rule naming the cited host excludes it, wherever the remap would have sent it
    before = len(farm.hits("news.test", "/staging/prices"))
    verdict, rules = cited(exclude=("gone.test",))
    assert verdict.status is LinkStatus.SKIPPED and "exclude gone.test" in verdict.reason
    assert {"url": gone, "action": "excluded", "rule": "exclude gone.test", "target": None} in (
        rules
    )
    assert len(farm.hits("news.test", "/staging/prices")) == before
    verdict, _ = cited(include=("news.test",))
    assert verdict.status is LinkStatus.SKIPPED  # include-only: gone.test is not included
    verdict, _ = cited(include=("gone.test",))
    assert verdict.status is LinkStatus.DEAD
    # a host's accepted statuses are those of the host that answered
    verdict, _ = cited(accept=("news.test=404",))
    assert verdict.status is LinkStatus.ALIVE and "404 accepted for news.test" in verdict.reason
    verdict, _ = cited(accept=("gone.test=404",))
    assert verdict.status is LinkStatus.DEAD


def test_remap_by_regex_from_the_configuration(farm, tmp_path):
    farm.route("other.test", "/mirror/prices", Reply(200, page("Mirror")))
    (tmp_path / "citeaudit.toml").write_text(
        'remap = ["re:^http://gone\\\\.test:(\\\\d+)/(.*) http://other.test:$1/mirror/$2"]\n',
        encoding="utf-8",
    )
    doc = write_report(tmp_path / "r.txt", farm.port)
    result = run(request(farm, doc, no_cache=True)).results[0]
    assert result.verdicts[f"http://gone.test:{farm.port}/prices"].status is LinkStatus.ALIVE
    assert farm.hits("other.test", "/mirror/prices")


def test_a_bad_remap_is_a_one_line_error(tmp_path):
    from click.testing import CliRunner

    doc = write_report(tmp_path / "r.txt", 9)
    result = CliRunner().invoke(main, ["check", str(doc), "--no-cache", "--remap", "only-one"])
    assert result.exit_code == 2 and "--remap: 'remap' 'only-one' must be" in result.output


def _page_hits(hits: list[Any]) -> list[tuple[str, str, str | None]]:
    """The requests for cited pages (not the soft-404 probe's random paths), sorted."""
    return sorted(
        (h.host, h.path, h.headers.get("cookie")) for h in hits if "/citeaudit-" not in h.path
    )


def test_every_lychee_option_reads_the_same_from_the_configuration_as_from_its_flag(farm, tmp_path):
    # One name per option: the same values as flags and as `[tool.citeaudit]` keys give the
    # same run (the same probes, verdicts and settings echoed), key by key.
    port = farm.port
    farm.route("news.test", "/docs/m.html", Reply(200, page("M")))
    farm.route("news.test", "/staging/prices", Reply(404, page("Not yet")))
    jar = tmp_path / "cookies.txt"
    cookie = "news.test\tFALSE\t/\tFALSE\t4102444800\tc\t1\n"
    jar.write_text(f"# Netscape HTTP Cookie File\n{cookie}", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    write_report(tmp_path / "drafts" / "d.txt", port)
    doc = _markdown_report(
        tmp_path / "r.md",
        f"http://gone.test:{port}/prices ; http://other.test:{port}/b ; "
        f"http://news.test:{port}/a#top ; [m](./m.html)",
    )
    remap = f"http://gone.test:{port}/ http://news.test:{port}/staging/"
    base = f"http://news.test:{port}/docs/"
    flags: dict[str, object] = {
        "exclude": ("other.test",),
        "include": ("gone.test", "news.test"),
        "exclude_path": ("drafts/",),
        "accept": ("200..=299,404",),
        "remap": (remap,),
        "base_url": base,
        "header": ("X-Team: audit",),
        "cookie_jar": str(jar),
        "github_token": "ghp_x",
        "max_redirects": 3,
        "include_fragments": True,
        "require_https": True,
    }
    by_flags = run(request(farm, tmp_path, no_cache=True, **flags))
    seen = len(farm.hits())
    hits_by_flags = _page_hits(farm.hits())
    (tmp_path / "pyproject.toml").write_text(
        "[tool.citeaudit]\n"
        'exclude = ["other.test"]\ninclude = ["gone.test", "news.test"]\n'
        'exclude_path = ["drafts/"]\naccept = ["200..=299", 404]\n'
        f'remap = ["{remap}"]\nbase_url = "{base}"\nheader = {{"X-Team" = "audit"}}\n'
        f'cookie_jar = "cookies.txt"\ngithub_token = "ghp_x"\nmax_redirects = 3\n'
        "include_fragments = true\nrequire_https = true\n",
        encoding="utf-8",
    )
    by_file = run(request(farm, tmp_path, no_cache=True))
    assert _page_hits(farm.hits()[seen:]) == hits_by_flags
    assert {h.headers.get("x-team") for h in farm.hits()} == {"audit"}
    (flagged,), (filed,) = by_flags.results, by_file.results
    assert filed.catalog.document.path == str(doc)  # drafts/ left out both times
    assert {u: v.status for u, v in filed.verdicts.items()} == {
        u: v.status for u, v in flagged.verdicts.items()
    }
    assert filed.verdicts[f"http://gone.test:{port}/prices"].status is LinkStatus.ALIVE  # 404
    assert filed.run is not None and flagged.run is not None
    assert filed.run.rules == flagged.run.rules
    settings = {k: v for k, v in filed.run.settings.items() if k != "config"}
    assert settings == {k: v for k, v in flagged.run.settings.items() if k != "config"}
    assert {k for k in flags} <= settings.keys()


def test_local_file_links_are_checked_on_disk(farm, tmp_path):
    (tmp_path / "methods.md").write_text("# Methods\n", encoding="utf-8")
    doc = _markdown_report(
        tmp_path / "r.md", "See [methods](./methods.md), [map](../missing.png), [about](/about)."
    )
    verdicts = run(request(farm, doc, no_cache=True)).results[0].verdicts
    assert verdicts["./methods.md"].status is LinkStatus.ALIVE
    assert verdicts["../missing.png"].status is LinkStatus.DEAD
    assert "no such file" in verdicts["../missing.png"].reason
    assert verdicts["/about"].status is LinkStatus.SKIPPED  # no site root known
    assert farm.hits() == []


def test_a_folder_base_url_roots_root_relative_links(farm, tmp_path):
    site = tmp_path / "public"
    site.mkdir()
    (site / "about.html").write_text("<h1>About</h1>", encoding="utf-8")
    doc = _markdown_report(tmp_path / "r.md", "See [about](/about.html) and [gone](/gone.html).")
    verdicts = run(request(farm, doc, no_cache=True, base_url=str(site))).results[0].verdicts
    assert verdicts["/about.html"].status is LinkStatus.ALIVE
    assert verdicts["/gone.html"].status is LinkStatus.DEAD


def test_a_web_base_url_probes_relative_links_of_markdown(farm, tmp_path):
    farm.route("news.test", "/about", Reply(200, page("About")))
    farm.route("news.test", "/docs/methods.html", Reply(200, page("Methods")))
    base = f"http://news.test:{farm.port}/docs/"
    md = _markdown_report(tmp_path / "r.md", "See [about](/about) and [m](./methods.html).")
    outcome = run(request(farm, md, no_cache=True, base_url=base))
    statuses = {u: v.status for u, v in outcome.results[0].verdicts.items()}
    assert set(statuses.values()) == {LinkStatus.ALIVE}, statuses
    assert len(statuses) == 2
    rules = outcome.results[0].run.rules  # type: ignore[union-attr]
    assert {r.target for r in rules} == {
        f"http://news.test:{farm.port}/about",
        f"http://news.test:{farm.port}/docs/methods.html",
    }


_HTML_SITE = (
    "<html><body><nav><a href='/home'>Home</a> <a href='/tags/x'>Tags</a></nav>"
    "<main><p>Prices rose, as <a href='./prices.html'>the table</a> shows.</p>"
    "<p>Claim.<sup><a href='#fn1'>1</a></sup></p><ol><li id='fn1'>"
    "<a href='/about'>About</a> and <a href='{absolute}'>A</a></li></ol></main>"
    "<footer><a href='/contact'>Contact</a></footer></body></html>"
)


def test_an_html_pages_relative_links_are_navigation_without_a_base_url(farm, tmp_path):
    # Without --base-url a web page's relative links are its site's navigation (wiki pages,
    # ISBN lookups, tag pages): not citations, and nothing on disk is looked for.
    absolute = f"http://news.test:{farm.port}/a"
    html = tmp_path / "r.html"
    html.write_text(_HTML_SITE.format(absolute=absolute), encoding="utf-8")
    outcome = run(request(farm, html, no_cache=True))
    assert list(outcome.results[0].verdicts) == [absolute]
    # the two of the main content are counted, so the report says what --base-url would add
    (unchecked,) = [
        f for f in outcome.results[0].catalog.findings if f.kind == "relative_links_unchecked"
    ]
    assert unchecked.message.startswith("2 relative links in the main content")
    data = json.loads(render(list(outcome.results), Format.JSON))
    assert any(f["kind"] == "relative_links_unchecked" for f in data["findings"])


@pytest.mark.parametrize("where", ["flag", "config"])
def test_a_base_url_makes_html_relative_links_of_the_main_content_sources(farm, tmp_path, where):
    for path in ("/a", "/about", "/docs/prices.html"):
        farm.route("news.test", path, Reply(200, page(path)))
    absolute = f"http://news.test:{farm.port}/a"
    base = f"http://news.test:{farm.port}/docs/"
    html = tmp_path / "r.html"
    html.write_text(_HTML_SITE.format(absolute=absolute), encoding="utf-8")
    options: dict[str, object] = {"base_url": base}
    if where == "config":
        (tmp_path / "citeaudit.toml").write_text(f'base_url = "{base}"\n', encoding="utf-8")
        options = {}
    outcome = run(request(farm, html, no_cache=True, **options))
    result = outcome.results[0]
    statuses = {u: v.status for u, v in result.verdicts.items()}
    # the note's and the sentence's relative links; never the nav's or the footer's
    assert statuses == {
        "./prices.html": LinkStatus.ALIVE,
        "/about": LinkStatus.ALIVE,
        absolute: LinkStatus.ALIVE,
    }
    assert {h.path for h in farm.hits("news.test")} >= {"/docs/prices.html", "/about"}
    assert not {"/home", "/tags/x", "/contact"} & {h.path for h in farm.hits()}
    assert not [f for f in result.catalog.findings if f.kind == "relative_links_unchecked"]
    assert result.run is not None
    assert {(r.url, r.action, r.target) for r in result.run.rules} == {
        ("./prices.html", "resolved", f"{base}prices.html"),
        ("/about", "resolved", f"http://news.test:{farm.port}/about"),
    }


def test_a_hand_numbered_html_pages_relative_notes_resolve_under_a_base_url(farm, tmp_path):
    farm.route("news.test", "/data/table.csv", Reply(200, "a,b\n", content_type="text/csv"))
    html = tmp_path / "r.html"
    html.write_text(
        "<html><body><p>Prices rose.[1]</p><h2>Endnotes</h2>"
        "<p>[1] <a href='/data/table.csv'>The table</a></p></body></html>",
        encoding="utf-8",
    )
    plain = run(request(farm, html, no_cache=True)).results[0]
    assert plain.verdicts == {}
    base = f"http://news.test:{farm.port}/"
    based = run(request(farm, html, no_cache=True, base_url=base)).results[0]
    assert {u: v.status for u, v in based.verdicts.items()} == {"/data/table.csv": LinkStatus.ALIVE}


def test_offline_probes_nothing_but_checks_local_files(farm, tmp_path):
    (tmp_path / "methods.md").write_text("# Methods\n", encoding="utf-8")
    doc = _markdown_report(
        tmp_path / "r.md", f"See [methods](./methods.md) and http://news.test:{farm.port}/a ."
    )
    (tmp_path / "other.md").write_text("x", encoding="utf-8")
    result = run(request(farm, doc, no_cache=True, offline=True)).results[0]
    assert farm.hits() == []
    assert result.verdicts["./methods.md"].status is LinkStatus.ALIVE
    web = result.verdicts[f"http://news.test:{farm.port}/a"]
    assert web.status is LinkStatus.SKIPPED and "--offline" in web.reason
    assert any("offline" in n for n in result.notices)


def test_offline_from_the_configuration(farm, tmp_path):
    (tmp_path / "citeaudit.toml").write_text("offline = true\n", encoding="utf-8")
    doc = write_report(tmp_path / "r.txt", farm.port)
    result = run(request(farm, doc, no_cache=True)).results[0]
    assert farm.hits() == []
    assert {v.status for v in result.verdicts.values()} == {LinkStatus.SKIPPED}


def test_include_fragments_checks_html_anchors_markdown_slugs_and_text(farm, tmp_path):
    farm.route(
        "news.test",
        "/page",
        Reply(200, '<html><title>P</title><h2 id="method">Method</h2><p>Prices rose</p></html>'),
    )
    farm.route(
        "other.test",
        "/README.md",
        Reply(200, "# Title\n\n## Getting started\n", content_type="text/plain"),
    )
    (tmp_path / "local.md").write_text("# Local notes\n\n## Data sources\n", encoding="utf-8")
    base = f"http://news.test:{farm.port}/page"
    readme = f"http://other.test:{farm.port}/README.md"
    cited = [
        f"{base}#method",
        f"{base}#gone",
        f"{base}#:~:text=prices%20rose",
        f"{base}#:~:text=prices%20fell",
        f"{readme}#getting-started",
        f"{readme}#installation",
    ]
    doc = _markdown_report(
        tmp_path / "r.md",
        " ; ".join(cited) + " ; [d](./local.md#data-sources) ; [x](./local.md#missing)",
    )
    plain = run(request(farm, doc, no_cache=True)).results[0].verdicts
    assert {v.status for v in plain.values()} == {LinkStatus.ALIVE}  # off by default
    verdicts = run(request(farm, doc, no_cache=True, include_fragments=True)).results[0].verdicts
    status = {u: v.status for u, v in verdicts.items()}
    missing = LinkStatus.FRAGMENT_MISSING
    assert [status[u] for u in cited] == [
        LinkStatus.ALIVE,
        missing,
        LinkStatus.ALIVE,
        missing,
        LinkStatus.ALIVE,
        missing,
    ]
    assert "no anchor #gone" in verdicts[f"{base}#gone"].reason
    assert status["./local.md#data-sources"] is LinkStatus.ALIVE
    assert status["./local.md#missing"] is missing


def test_a_missing_fragment_is_never_lost_and_comes_from_the_configuration(farm, tmp_path):
    from citeaudit.judge.score import source_state
    from citeaudit.models import SourceState

    farm.route("news.test", "/page", Reply(200, page("Page")))
    (tmp_path / "citeaudit.toml").write_text("include_fragments = true\n", encoding="utf-8")
    doc = _markdown_report(tmp_path / "r.md", f"http://news.test:{farm.port}/page#nowhere")
    outcome = run(request(farm, doc, no_cache=True))
    verdict = outcome.results[0].verdicts[f"http://news.test:{farm.port}/page#nowhere"]
    assert verdict.status is LinkStatus.FRAGMENT_MISSING
    assert source_state(verdict) is SourceState.LIVE
    assert outcome.status == 0  # --fail-on lost: the page is not lost


def test_cookies_from_a_jar_file_go_where_their_domain_and_path_say(farm, tmp_path):
    jar = tmp_path / "cookies.txt"
    text = (
        "# Netscape HTTP Cookie File\n"
        "news.test\tFALSE\t/\tFALSE\t4102444800\tconsent\tyes\n"
        "other.test\tFALSE\t/private\tFALSE\t4102444800\tsession\tabc\n"
        "news.test\tFALSE\t/\tFALSE\t1000000000\texpired\told\n"
    )
    jar.write_text(text, encoding="utf-8")
    doc = write_report(tmp_path / "r.txt", farm.port)
    outcome = run(request(farm, doc, no_cache=True, cookie_jar=str(jar)))
    news = farm.hits("news.test")
    assert news and all(h.headers.get("cookie") == "consent=yes" for h in news)
    assert all("cookie" not in h.headers for h in farm.hits("other.test"))  # path /b
    assert jar.read_text(encoding="utf-8") == text  # read, never written
    assert outcome.results[0].run.settings["cookie_jar"] == str(jar)  # type: ignore[union-attr]


def test_a_bad_cookie_jar_is_a_one_line_error(tmp_path):
    from click.testing import CliRunner

    doc = write_report(tmp_path / "r.txt", 9)
    bad = tmp_path / "cookies.txt"
    bad.write_text("not cookies\n", encoding="utf-8")
    for path, message in ((bad, "not a Netscape cookies.txt file"), (tmp_path / "no", "no such")):
        result = CliRunner().invoke(
            main, ["check", str(doc), "--no-cache", "--cookie-jar", str(path)]
        )
        assert result.exit_code == 2 and message in result.output, result.output
        assert "--cookie-jar: " in result.output and "Traceback" not in result.output
    (tmp_path / "citeaudit.toml").write_text('cookie_jar = "cookies.txt"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(doc), "--no-cache"])
    assert result.exit_code == 2 and "citeaudit.toml: 'cookie_jar': " in result.output
    assert "not a Netscape cookies.txt file" in result.output


@pytest.mark.parametrize(
    ("url", "status", "accepted"),
    [
        ("https://x.com/a", 403, True),  # the host itself
        ("https://mobile.x.com/a", 403, True),  # a subdomain
        ("https://notx.com/a", 403, False),  # a name that merely ends the same way
        ("https://x.com/a", 404, False),  # a status not accepted
        ("https://example.org/a", 999, True),  # "*" accepts for every host
    ],
)
def test_accepted_statuses_make_a_verdict_alive(url: str, status: int, accepted: bool) -> None:
    from citeaudit.judge.acceptance import apply_accept

    verdict = Verdict(url, LinkStatus.BLOCKED, f"{status} Forbidden", status)
    got = apply_accept(verdict, {"x.com": (403,), "*": (999,)})
    assert (got.status is LinkStatus.ALIVE) is accepted
    if accepted:
        assert "accepted for" in got.reason and f"{status} Forbidden" in got.reason
    else:
        assert got == verdict


def test_a_live_or_statusless_verdict_is_left_as_it_is() -> None:
    from citeaudit.judge.acceptance import apply_accept

    live = Verdict("https://x.com/", LinkStatus.ALIVE, "200 OK", 200)
    refused = Verdict("https://x.com/", LinkStatus.ERROR, "connection refused")
    assert apply_accept(live, {"x.com": (200,)}) is live
    assert apply_accept(live, {"*": tuple(range(200, 300))}) is live
    assert apply_accept(live, {"example.org": (403,)}) is live  # another host's entry
    assert apply_accept(refused, {"*": (403,)}) is refused


def test_a_live_status_outside_the_global_list_fails():
    from citeaudit.judge.acceptance import apply_accept

    redirected = Verdict("https://x.com/a", LinkStatus.REDIRECTED, "301 to /b, 204", 204)
    got = apply_accept(redirected, {"*": (*range(200, 204), 403)})
    assert got.status is LinkStatus.DEAD
    assert got.reason == "204 is not an accepted status (accept: 200..=203,403)"
    assert apply_accept(redirected, {"*": (403,), "x.com": (204,)}).status is LinkStatus.REDIRECTED


def test_outlet_aliases_rename_outlets_everywhere_they_are_cited() -> None:
    from citeaudit.audit import apply_outlet_aliases
    from citeaudit.models import Catalog, Claim, Document, Note, Source

    a = Source("https://t.me/isw/1", "https://t.me/isw/1", "t.me/isw")
    b = Source(
        "https://understandingwar.org/x", "https://understandingwar.org/x", "understandingwar.org"
    )
    catalog = Catalog(
        Document("r.md", None, None), (Note(1, 5, "", (a, b)),), (Claim(1, 1, "C.", (1,)),)
    )
    renamed = apply_outlet_aliases(catalog, {"t.me/isw": "understandingwar.org"})
    assert [s.outlet for _, s in renamed.sources()] == ["understandingwar.org"] * 2
    assert apply_outlet_aliases(catalog, {}) is catalog


def test_a_clocked_store_reads_host_probes_and_archives_at_the_injected_time() -> None:
    seen: list[tuple[str, datetime]] = []

    class Recording:
        def get_host_probe(self, host: str, *, now: datetime, **kw: object) -> None:
            seen.append(("host", now))

        def get_archive(self, url: str, as_of: date, *, now: datetime, **kw: object) -> None:
            seen.append(("archive", now))

    injected = datetime(2023, 8, 3, tzinfo=UTC)
    store = ClockedStore(Recording(), injected)
    wall = datetime.now(UTC)
    store.get_host_probe("example.com", now=wall, max_age=timedelta(days=7))
    store.get_archive("https://example.com/", date(2023, 8, 3), now=wall)
    assert seen == [("host", injected), ("archive", injected)]


def test_no_archive_drops_the_snapshots_stored_verdicts_carry(farm: TestServer, tmp_path: Path):
    doc = write_report(tmp_path / "r.txt", farm.port)
    gone = f"http://gone.test:{farm.port}/prices"
    capture = "https://web.archive.org/web/20230801000000/" + gone
    with Cache(tmp_path / "store.sqlite") as store:
        store.put(
            Verdict(
                gone,
                LinkStatus.DEAD,
                "HTTP 404",
                http_status=404,
                checked_at=datetime.now(UTC),
                archive=ArchiveSnapshot(True, capture, datetime(2023, 8, 1, tzinfo=UTC), "IA"),
            )
        )
        day = timedelta(days=1)
        stored = store.get_many([gone], now=datetime.now(UTC), max_age_alive=day, max_age_other=day)
        assert stored[gone].archive is not None  # the store would hand the snapshot back
        outcome = run(request(farm, doc), store=store)
    verdict = outcome.results[0].verdicts[gone]
    assert verdict.from_cache and verdict.status is LinkStatus.DEAD
    assert verdict.archive is None
