"""Baselines for CI: fail only on what is new; Markdown and GitHub say "new" and "already known"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from citeaudit.cli import main
from citeaudit.evidence.baseline import Baseline, BaselineError, load_baseline
from citeaudit.judge.policy import problems, split
from citeaudit.judge.score import build_result
from citeaudit.models import LinkStatus, Verdict

from ..check.servers import Reply, TestServer, page
from ..loopback_report import HOSTS, load, write_report


def serve(server: TestServer, *, dead: tuple[str, ...] = ()) -> None:
    for host, path in (("news.test", "/statement"), ("news.test", "/a"), ("other.test", "/b")):
        status = 404 if path in dead else 200
        server.route(host, path, Reply(status, page("Page", f"text of {path}")))
    server.route("gone.test", "/prices", Reply(404, page("Not found")))


def check(server: TestServer, doc: Path, *extra: str) -> tuple[int, str]:
    args = ["check", str(doc), "--no-archive", "--canary", "localhost", "--retries", "0"]
    for host in HOSTS:
        args += ["--resolve", f"{host}:{server.port}:127.0.0.1"]
    result = CliRunner().invoke(main, [*args, "--quiet", *extra])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.output


def test_problem_keys_and_split(tmp_path: Path) -> None:
    catalog = load(write_report(tmp_path / "r.txt", 8080))
    urls = [s.url for _, s in catalog.sources()]
    verdicts = {u: Verdict(u, LinkStatus.ALIVE, "200 OK", 200) for u in urls}
    verdicts[urls[1]] = Verdict(urls[1], LinkStatus.DEAD, "404", 404)
    result = build_result(catalog, verdicts)
    keys = [p.key for p in problems(result)]
    assert keys == [
        f"lost:{urls[1]}",
        f"dead:{urls[1]}",
        "single-source:The minister said “we will not retreat from the river” on Monday.[1]",
        "single-source:Prices rose in May.[2]",
        "unsupported:Prices rose in May.[2]",
    ]
    known = Baseline(keys=frozenset(keys[:2])).known_for(catalog)
    from dataclasses import replace

    new, old = split(replace(result, baseline=known))
    assert [p.key for p in old] == keys[:2] and [p.key for p in new] == keys[2:]


def test_unreadable_baseline(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text("{}")
    with pytest.raises(BaselineError):
        load_baseline(tmp_path / "b.json")


def _baseline_section(markdown: str) -> str:
    """The Markdown's baseline section, up to the next heading."""
    after = markdown.partition("### Compared with the baseline")[2]
    return after.partition("\n### ")[0]


def test_second_run_with_a_baseline_reports_only_what_is_new(
    server: TestServer, tmp_path: Path
) -> None:
    serve(server)
    doc = write_report(tmp_path / "r.txt", server.port)
    base, cache = tmp_path / "base.json", tmp_path / "c.sqlite3"
    code, _ = check(server, doc, "-o", f"json={base}", "--cache", str(cache))
    assert code == 1  # gone.test is lost
    ledger = tmp_path / "ledger.jsonl"
    assert (
        CliRunner().invoke(main, ["ledger", "export", str(ledger), "--cache", str(cache)]).exit_code
        == 0
    )

    fail = ["--fail-on", "lost", "--fail-on", "unsupported", "--no-cache"]
    # Nothing changed: everything is already known, the run passes.
    code, out = check(server, doc, "--format", "markdown", "--baseline", str(base), *fail)
    assert code == 0
    assert "### Compared with the baseline: 0 new, 4 already known" in out
    assert "**New:** none." in out
    # Known items collapse to counts by kind; only new problems are listed.
    assert "Already known: 4 (" in out and "not listed here" in out
    assert "gone.test" not in _baseline_section(out)
    # Without the baseline the same run fails.
    assert check(server, doc, "--format", "markdown", *fail)[0] == 1

    # The quoted statement disappears: a newly lost source and a newly unsupported claim.
    serve(server, dead=("/statement",))
    for baseline in (base, ledger):
        code, out = check(server, doc, "--format", "markdown", "--baseline", str(baseline), *fail)
        assert code == 1, baseline
        assert "### Compared with the baseline: 2 new, 4 already known" in out
        new_part, _, known_part = out.partition("Already known: 4 (")
        assert f"- new: lost source http://news.test:{server.port}/statement" in new_part
        assert "- new: claim 1 (line 5) is unsupported" in new_part
        assert "gone.test" not in _baseline_section(out)
        assert "not listed here" in known_part

    code, out = check(server, doc, "--format", "github", "--baseline", str(base), *fail)
    assert code == 1
    lines = out.splitlines()
    assert any(
        line.startswith("::error ")
        and "::new: http%3A" not in line
        and "new: http://news.test" in line
        for line in lines
    )
    assert any(
        line.startswith("::notice ") and "already known: http://gone.test" in line for line in lines
    )
    assert any("2 new, 4 already known compared with the baseline" in line for line in lines)
    # the newly unsupported claim is annotated at its own line, marked new
    claims = {line.split("::")[-1].split(":")[0]: line for line in lines if "CA-CLAIM-" in line}
    assert set(claims) == {"new", "already known"}
    assert "claim 1 is unsupported" in claims["new"] and claims["new"].startswith("::warning ")
    assert "claim 2 is unsupported" in claims["already known"]
    assert claims["already known"].startswith("::notice ")

    # The page is back: nothing is new any more.
    serve(server)
    code, out = check(server, doc, "--format", "markdown", "--baseline", str(base), *fail)
    assert code == 0 and "0 new, 4 already known" in out


def test_the_readme_shows_this_very_baseline_run(tmp_path: Path) -> None:
    from .baseline_example import transcript

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    made = transcript(tmp_path)
    assert "### Compared with the baseline: 7 new," in made
    assert made in readme, (
        "the README's worked example of --baseline is out of date: replace it with the output "
        "of `uv run python -m tests.evidence.baseline_example`"
    )
