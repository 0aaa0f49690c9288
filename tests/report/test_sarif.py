"""SARIF 2.1.0: valid against the official schema and GitHub's ingestion rules; links only."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from citeaudit.cli import main
from citeaudit.judge.score import build_result
from citeaudit.models import AuditResult, LinkStatus
from citeaudit.report import Format, render
from citeaudit.report.sarif import render as render_sarif
from citeaudit.report.sarif import rules, to_sarif
from citeaudit.report.srcroot import SRCROOT, artifact_location, source_root

from ..check.servers import Reply, TestServer, page
from .conftest import VERDICTS, make_hostile

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())
ROOT = Path("/work/repo")


def validate(log: dict[str, Any]) -> None:
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    cls(SCHEMA, format_checker=cls.FORMAT_CHECKER).validate(log)


def sarif(results: list[AuditResult], **kw: Any) -> dict[str, Any]:
    return to_sarif(results, root=ROOT, **kw)


def at(path: str, result: AuditResult) -> AuditResult:
    """The same audit of a document at another path."""
    doc = dataclasses.replace(result.catalog.document, path=path)
    return dataclasses.replace(result, catalog=dataclasses.replace(result.catalog, document=doc))


def first_location(r: dict[str, Any]) -> dict[str, Any]:
    return r["locations"][0]["physicalLocation"]


def test_schema_is_the_official_draft_4_one():
    assert jsonschema.validators.validator_for(SCHEMA) is jsonschema.Draft4Validator


def test_valid_against_the_schema(result: AuditResult):
    validate(json.loads(render([result], Format.SARIF)))
    for claims in (False, True):
        validate(sarif([result, make_hostile(), at("/elsewhere/r.md", result)], claims=claims))


def test_the_schema_check_can_fail(result: AuditResult):
    log = sarif([result])
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validate(log)


def test_results_are_about_links_and_point_at_each_occurrence(result: AuditResult):
    run = sarif([result])["runs"][0]
    found = [
        (
            r["ruleId"],
            r["level"],
            first_location(r)["region"]["startLine"],
            first_location(r)["region"]["startColumn"],
        )
        for r in run["results"]
    ]
    # Lost: error; unverified: warning; dead with an archived copy: note; skipped and live: none.
    assert found == [
        ("CA-DEAD", "note", 41, 5),
        ("CA-DEAD", "error", 41, 30),
        ("CA-BLOCKED", "warning", 42, 5),
        ("CA-ERROR", "warning", 42, 35),
        ("CA-INVALID", "warning", 42, 60),
        ("CA-SOFT-DEAD", "error", 43, 5),
    ]
    driver_rules = run["tool"]["driver"]["rules"]
    assert not any(r["id"].startswith("CA-CLAIM") for r in driver_rules)
    assert all(driver_rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    archived = run["results"][0]
    assert "web.archive.org/web/20230801000000" in archived["message"]["text"]
    assert first_location(archived)["region"]["snippet"] == {"text": "https://beta.org/gone"}
    assert "no such domain" in run["results"][1]["message"]["text"]


def test_claims_are_opt_in(result: AuditResult):
    run = sarif([result], claims=True)["runs"][0]
    claims = [
        (r["ruleId"], r["level"], first_location(r)["region"]["startLine"])
        for r in run["results"]
        if r["ruleId"].startswith("CA-CLAIM")
    ]
    # claims 2 and 6 are degraded or ok: not results
    assert claims == [
        ("CA-CLAIM-SINGLE-OUTLET", "note", 10),
        ("CA-CLAIM-UNSUPPORTED", "warning", 14),
        ("CA-CLAIM-UNSUPPORTED", "warning", 16),
        ("CA-CLAIM-SINGLE-SOURCE", "note", 18),
    ]
    driver_rules = run["tool"]["driver"]["rules"]
    assert all(driver_rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    assert len(run["results"]) == len(sarif([result])["runs"][0]["results"]) + 4


def test_every_rule_says_what_it_means_and_what_to_do():
    described = rules(claims=True)
    assert len({r["id"] for r in described}) == len(described) == 11
    for rule in described:
        text, markdown = rule["help"]["text"], rule["help"]["markdown"]
        assert len(text) > 60 and text.endswith("."), rule["id"]
        assert "**What it means:**" in markdown and "**What to do:**" in markdown, rule["id"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    helps = [r["help"]["text"] for r in described]
    assert len(set(helps)) == len(helps)
    dead = next(r for r in described if r["id"] == "CA-DEAD")
    assert (
        "archived copy" in dead["help"]["text"] and dead["defaultConfiguration"]["level"] == "error"
    )


def test_a_url_cited_twice_gives_one_result_per_occurrence(result: AuditResult):
    # Make the URL cited by notes 1 and 7 dead: two results, two lines.
    url = "https://alpha.com/a2"
    verdicts = dict(VERDICTS)
    verdicts[url] = dataclasses.replace(verdicts[url], status=LinkStatus.DEAD, reason="404")
    log = sarif([build_result(result.catalog, verdicts)])
    lines = [
        first_location(r)["region"]["startLine"]
        for r in log["runs"][0]["results"]
        if r["properties"].get("url") == url
    ]
    assert lines == [40, 46]


def test_driver(result: AuditResult):
    driver = sarif([result])["runs"][0]["tool"]["driver"]
    assert driver["name"] == "citeaudit" and driver["version"]
    assert {r["id"] for r in driver["rules"]} >= {"CA-DEAD", "CA-SOFT-DEAD", "CA-BLOCKED"}


def test_paths_are_relative_to_the_source_root(result: AuditResult):
    docs = [
        result,  # reports/syria.md, relative to the current folder (the root here)
        at("/work/repo/docs/b.md", result),  # absolute, inside the root
        at("../c d.md", result),  # relative, through ..
        at("/tmp/outside.md", result),  # outside the root
    ]
    run = to_sarif(docs, root=ROOT, cwd=ROOT / "sub")["runs"][0]
    assert run["originalUriBaseIds"][SRCROOT]["uri"] == "file:///work/repo/"
    locations = {json.dumps(first_location(r)["artifactLocation"]) for r in run["results"]}
    assert locations == {
        json.dumps(loc)
        for loc in (
            {"uri": "sub/reports/syria.md", "uriBaseId": SRCROOT},
            {"uri": "docs/b.md", "uriBaseId": SRCROOT},
            {"uri": "c%20d.md", "uriBaseId": SRCROOT},
            {"uri": "file:///tmp/outside.md"},
        )
    }
    assert [a["location"] for a in run["artifacts"]] == [
        {"uri": "sub/reports/syria.md", "uriBaseId": SRCROOT},
        {"uri": "docs/b.md", "uriBaseId": SRCROOT},
        {"uri": "c%20d.md", "uriBaseId": SRCROOT},
        {"uri": "file:///tmp/outside.md"},
    ]


def test_artifact_location():
    assert artifact_location("a b.md", ROOT, ROOT) == {"uri": "a%20b.md", "uriBaseId": SRCROOT}
    assert artifact_location("/work/repo2/x.md", ROOT, ROOT) == {"uri": "file:///work/repo2/x.md"}
    assert artifact_location("../x.md", ROOT, ROOT) == {"uri": "file:///work/x.md"}


def test_source_root_is_the_git_work_tree_of_the_documents(tmp_path: Path):
    repo, worktree, plain = tmp_path / "repo", tmp_path / "wt", tmp_path / "plain"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs" / "deep").mkdir(parents=True)
    worktree.mkdir()
    (worktree / ".git").write_text("gitdir: /elsewhere\n")  # a linked worktree
    plain.mkdir()
    assert source_root(["docs/deep/r.md"], repo) == repo
    assert source_root([str(repo / "docs" / "r.md")], plain) == repo
    assert source_root(["-", str(plain / "r.md"), str(worktree / "r.md")], plain) == worktree
    # no document in a work tree: the current folder
    assert source_root([str(plain / "r.md")], plain / "x") == plain / "x"


def test_render_finds_the_root_from_the_current_folder(result: AuditResult, tmp_path: Path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "reports").mkdir()
    run = json.loads(render_sarif([result], cwd=tmp_path / "reports"))["runs"][0]
    assert run["originalUriBaseIds"][SRCROOT]["uri"] == tmp_path.as_uri() + "/"
    assert first_location(run["results"][0])["artifactLocation"] == {
        "uri": "reports/reports/syria.md",
        "uriBaseId": SRCROOT,
    }


def test_fingerprints_survive_moved_lines_and_tell_occurrences_apart(result: AuditResult):
    def prints(res: AuditResult, root: Path = ROOT) -> dict[tuple[str, int], str]:
        run = to_sarif([res], root=root)["runs"][0]
        return {
            (r["properties"]["url"], r["properties"]["note"]): r["partialFingerprints"][
                "citeauditSource/v1"
            ]
            for r in run["results"]
        }

    url = "https://alpha.com/a2"
    verdicts = dict(VERDICTS)
    verdicts[url] = dataclasses.replace(verdicts[url], status=LinkStatus.DEAD, reason="404")
    before = prints(build_result(result.catalog, verdicts))
    # Three lines inserted above every note: lines change, fingerprints must not.
    notes = tuple(
        dataclasses.replace(
            n,
            line=n.line + 3,
            sources=tuple(
                dataclasses.replace(s, span=dataclasses.replace(s.span, line=s.span.line + 3))
                for s in n.sources
            ),
        )
        for n in result.catalog.notes
    )
    moved = dataclasses.replace(result.catalog, notes=notes)
    assert prints(build_result(moved, verdicts)) == before
    # Another checkout folder, the document named by its absolute path: the same alerts.
    elsewhere = at("/ci/checkout/reports/syria.md", build_result(result.catalog, verdicts))
    assert prints(elsewhere, Path("/ci/checkout")) == before
    # The URL cited by notes 1 and 7 gives two results with two different fingerprints.
    assert before[(url, 1)] != before[(url, 7)]
    assert len(set(before.values())) == len(before)
    # A different verdict is a different alert.
    verdicts[url] = dataclasses.replace(verdicts[url], status=LinkStatus.SOFT_DEAD)
    assert prints(build_result(result.catalog, verdicts))[(url, 1)] != before[(url, 1)]


# -- GitHub's ingestion rules, with Microsoft's SARIF multitool ---------------------------


def _multitool() -> str | None:
    """The multitool's native binary (npm's wrapper runs it through a shell, which splits ';')."""
    if os.environ.get("SARIF_MULTITOOL"):
        return os.environ["SARIF_MULTITOOL"]
    wrapper, node = shutil.which("sarif-multitool"), shutil.which("node")
    if wrapper is None or node is None:
        return None
    package = Path(os.path.realpath(wrapper)).parent
    found = subprocess.run(
        [node, "-p", "require(process.argv[1])", str(package)],
        capture_output=True,
        text=True,
        check=False,
    )
    binary = found.stdout.strip()
    return binary if found.returncode == 0 and Path(binary).is_file() else None


@pytest.fixture
def multitool() -> str:
    binary = _multitool()
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                "the SARIF multitool is missing: .ci/run installs @microsoft/sarif-multitool"
            )
        pytest.skip("no SARIF multitool (npm install -g @microsoft/sarif-multitool)")
    return binary


def github_problems(binary: str, log: dict[str, Any], folder: Path) -> list[str]:
    """What the multitool's SARIF and GitHub rules find wrong with a log (errors and warnings)."""
    given, found = folder / "given.sarif", folder / "found.sarif"
    given.write_text(json.dumps(log), encoding="utf-8")
    args = [binary, "validate", str(given), "--rule-kind", "Sarif;Gh;Ghas"]
    args += ["--level", "Error;Warning", "-o", str(found), "--log", "ForceOverwrite"]
    env = {**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1", "DOTNET_NOLOGO": "1"}
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    run = json.loads(found.read_text(encoding="utf-8"))["runs"][0]
    assert all(i.get("executionSuccessful") for i in run["invocations"]), run["invocations"]
    return [
        f"{r['ruleId']} {r.get('message', {}).get('arguments', [''])[0]}"
        for r in run.get("results", [])
    ]


def test_github_rules_find_a_rule_without_help(multitool: str, result: AuditResult, tmp_path):
    log = sarif([result])
    del log["runs"][0]["tool"]["driver"]["rules"][0]["help"]
    assert github_problems(multitool, log, tmp_path) == ["GH2012 runs[0].tool.driver.rules[0]"]


def test_github_rules_accept_the_fixed_audits(multitool: str, result: AuditResult, tmp_path):
    docs = [result, make_hostile(), at("/elsewhere/r.md", result)]
    assert github_problems(multitool, sarif(docs), tmp_path) == []
    assert github_problems(multitool, sarif(docs, claims=True), tmp_path) == []


def _serve(server: TestServer) -> None:
    server.route("news.test", "/alive", Reply(200, page("Alive")))
    server.route("news.test", "/gone", Reply(404, page("Not Found")))
    server.route("news.test", "/moved", Reply(301, headers={"Location": "/alive"}))
    server.route("other.test", "/b", Reply(308, headers={"Location": "/gone"}))


def _write(path: Path, port: int, paths: tuple[str, ...]) -> Path:
    notes = "\n".join(f"[{i}] {u}" for i, u in enumerate(paths, 1))
    claims = " ".join(f"Claim {i} holds.[{i}]" for i in range(1, len(paths) + 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"A Report\n\nMarch 1, 2024\n\n{claims}\n\nEndnotes\n\n{notes}\n".replace(
            "PORT", str(port)
        ),
        encoding="utf-8",
    )
    return path


def _real_run(server: TestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Three documents (relative, absolute inside the repository, outside it), dead links,
    redirects to a live page and to a dead one, checked on a loopback server by the CLI."""
    _serve(server)
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / ".git").mkdir(parents=True)
    a = "http://news.test:PORT"
    _write(repo / "docs" / "a.txt", server.port, (f"{a}/alive", f"{a}/gone", f"{a}/moved"))
    b = _write(repo / "b.txt", server.port, (f"{a}/gone", "http://other.test:PORT/b"))
    c = _write(outside / "c.txt", server.port, (f"{a}/moved", f"{a}/gone"))
    monkeypatch.chdir(repo / "docs")
    out = tmp_path / "audit.sarif"
    args = ["check", "a.txt", str(b), str(c), "--no-archive", "--no-cache", "--quiet"]
    args += ["--canary", "localhost", "--retries", "0", "-o", f"sarif={out}"]
    for host in ("news.test", "other.test"):
        args += ["--resolve", f"{host}:{server.port}:127.0.0.1"]
    ran = CliRunner().invoke(main, args)
    assert ran.exit_code == 1, ran.output  # lost links
    return json.loads(out.read_text(encoding="utf-8")), repo, outside


def test_a_real_run(server: TestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    log, repo, outside = _real_run(server, tmp_path, monkeypatch)
    validate(log)
    run = log["runs"][0]
    assert run["originalUriBaseIds"][SRCROOT]["uri"] == repo.as_uri() + "/"
    found = sorted(
        (
            first_location(r)["artifactLocation"]["uri"],
            first_location(r)["artifactLocation"].get("uriBaseId") or "",
            r["ruleId"],
            r["level"],
            first_location(r)["region"]["startLine"],
        )
        for r in run["results"]
    )
    # the redirect to a live page is no result; the one to a dead page is
    assert found == sorted(
        [
            ("docs/a.txt", SRCROOT, "CA-DEAD", "error", 10),
            ("b.txt", SRCROOT, "CA-DEAD", "error", 9),
            ("b.txt", SRCROOT, "CA-DEAD", "error", 10),
            ((outside / "c.txt").as_uri(), "", "CA-DEAD", "error", 10),
        ]
    )


def test_a_real_run_passes_github_rules(
    server: TestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, multitool: str
):
    log, _, _ = _real_run(server, tmp_path, monkeypatch)
    assert github_problems(multitool, log, tmp_path) == []
