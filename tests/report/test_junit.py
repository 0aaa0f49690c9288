"""JUnit XML: valid against Jenkins' junit-10.xsd and the Ant schema's rules, the right counts,
times that mean something."""

from __future__ import annotations

import dataclasses
import re
import socket
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import xmlschema

from citeaudit.audit import check_documents
from citeaudit.models import AuditResult, RunFacts
from citeaudit.report import Format, render
from citeaudit.report.json import load

from ..check.servers import Reply, TestServer, page
from ..loopback_report import load as load_catalog
from ..loopback_report import options, write_report
from .conftest import make_hostile

XSD = xmlschema.XMLSchema(Path(__file__).parents[1] / "fixtures" / "junit" / "junit-10.xsd")
_ANT_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")


def parse(text: str) -> ET.Element:
    assert text.startswith("<?xml")
    return ET.fromstring(text.encode("utf-8"))


def ant_problems(root: ET.Element) -> list[str]:
    """What the Ant JUnit schema (aggregated `testsuites` form) requires beyond junit-10.xsd."""
    problems = [f"testsuites has attributes {sorted(root.attrib)}"] if root.attrib else []
    for i, suite in enumerate(root):
        where = f"testsuite {i}"
        for key in ("name", "package", "timestamp", "hostname", "id"):
            if not (suite.get(key) or "").strip():
                problems.append(f"{where}: no {key}")
        if suite.get("id") != str(i):
            problems.append(f"{where}: id {suite.get('id')!r}")
        if not _ANT_TIMESTAMP.fullmatch(suite.get("timestamp", "")):
            problems.append(f"{where}: timestamp {suite.get('timestamp')!r}")
        for key in ("tests", "failures", "errors"):
            if not (suite.get(key) or "").isdigit():
                problems.append(f"{where}: {key} {suite.get(key)!r}")
        if not _DECIMAL.fullmatch(suite.get("time", "")):
            problems.append(f"{where}: time {suite.get('time')!r}")
        tags = [child.tag for child in suite]
        body = tags[1:-2]
        if tags[:1] != ["properties"] or tags[-2:] != ["system-out", "system-err"]:
            problems.append(f"{where}: children {tags[:1]} ... {tags[-2:]}")
        if any(t != "testcase" for t in body):
            problems.append(f"{where}: stray {set(body) - {'testcase'}}")
        for case in suite.iter("testcase"):
            if not _DECIMAL.fullmatch(case.get("time", "")) or not case.get("classname"):
                problems.append(f"{where}: case {case.get('name')} lacks time or classname")
            if len(case) > 1 or any(c.tag not in ("skipped", "error", "failure") for c in case):
                problems.append(f"{where}: case {case.get('name')} has {[c.tag for c in case]}")
            for c in case:
                if c.tag in ("error", "failure") and not c.get("type"):
                    problems.append(f"{where}: case {case.get('name')} {c.tag} without type")
    return problems


def assert_valid(text: str) -> ET.Element:
    XSD.validate(text)
    root = parse(text)
    assert ant_problems(root) == []
    return root


def test_counts_and_cases(result: AuditResult):
    root = assert_valid(render([result], Format.JUNIT))
    assert root.tag == "testsuites"
    (suite,) = root
    assert suite.get("name") == "reports/syria.md"
    counts = {k: suite.get(k) for k in ("tests", "failures", "skipped", "errors")}
    assert counts == {"tests": "9", "failures": "2", "skipped": "4", "errors": "0"}
    cases = suite.findall("testcase")
    assert len(cases) == 9
    assert {c.get("classname") for c in cases} == {"reports/syria.md"}
    failed = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
    assert set(failed) == {"https://gamma.net/missing", "https://eps.info/soft"}
    assert failed["https://gamma.net/missing"].get("message") == "no such domain"
    skipped = [c.get("name") for c in cases if c.find("skipped") is not None]
    assert "https://x.com/acct/status/1" in skipped and "http://10.0.0.1/intranet" in skipped
    # the archived copy of the dead page that passes is named in the suite's output
    out = suite.findtext("system-out") or ""
    assert out.startswith("https://beta.org/gone dead: 404 Not Found (notes 2); archived copy: ")
    assert "web.archive.org" in out
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["document.title"] == "Syria update"


def test_valid_for_several_documents_and_hostile_text(result: AuditResult):
    root = assert_valid(render([result, make_hostile()], Format.JUNIT))
    assert [s.get("id") for s in root] == ["0", "1"]
    for suite in root:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("skipped")) == sum(c.find("skipped") is not None for c in cases)
    assert sum(int(s.get("tests")) for s in root) == 18
    assert sum(int(s.get("failures")) for s in root) == 4


def test_the_checks_can_fail(result: AuditResult):
    text = render([result], Format.JUNIT)
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        XSD.validate(text.replace(' tests="9"', ""))
    root = parse(text)
    root[0].set("timestamp", "2024-05-01T12:05:00+00:00")
    root.set("tests", "9")
    ET.SubElement(root[0].find("testcase"), "system-out")
    problems = ant_problems(root)
    assert "testsuites has attributes ['tests']" in problems
    assert "testsuite 0: timestamp '2024-05-01T12:05:00+00:00'" in problems
    assert any(p.endswith("has ['system-out']") for p in problems), problems


def test_suite_time_timestamp_and_hostname(result: AuditResult):
    ahead = timezone(timedelta(hours=3))
    run = dataclasses.replace(
        result,
        generated_at=datetime(2024, 5, 1, 15, 5, 7, 999, tzinfo=ahead),
        run=RunFacts(urls=9, seconds=61.23456, hostname="ci-runner-7"),
    )
    (suite,) = assert_valid(render([run], Format.JUNIT))
    assert suite.get("timestamp") == "2024-05-01T12:05:07"  # UTC, as the schema wants no offset
    assert suite.get("time") == "61.235"
    assert suite.get("hostname") == "ci-runner-7"
    # Unknown run facts: the machine is 'localhost' (as the Ant schema says), the time at least
    # the slowest URL's.
    (suite,) = assert_valid(render([result], Format.JUNIT))
    assert suite.get("hostname") == "localhost"
    assert suite.get("time") == "0.120"


def test_a_cached_verdict_took_no_time(result: AuditResult):
    cached = {u: dataclasses.replace(v, from_cache=True) for u, v in result.verdicts.items()}
    text = render([dataclasses.replace(result, verdicts=cached)], Format.JUNIT)
    assert {c.get("time") for c in assert_valid(text).iter("testcase")} == {"0.000"}


def test_unchecked_urls_are_not_cases(result: AuditResult):
    root = assert_valid(render([dataclasses.replace(result, verdicts={})], Format.JUNIT))
    assert root[0].get("tests") == "0"
    assert root[0].findall("testcase") == []


def _second_report(path: Path, port: int) -> Path:
    path.write_text(
        "Second Report\n\nMarch 2, 2024\n\nIt moved.[1] It is gone.[2]\n\nEndnotes\n\n"
        f"[1] http://other.test:{port}/moved\n[2] http://other.test:{port}/missing\n",
        encoding="utf-8",
    )
    return path


def test_a_real_run_is_valid_and_its_times_add_up(server: TestServer, tmp_path: Path):
    # Every request waits its turn (one at a time): each URL's time must leave out the wait, so
    # the times of a suite add up to at most the run's wall time.
    slow = page("Page", "text " * 50)
    for host, path in (("news.test", "/statement"), ("news.test", "/a"), ("other.test", "/b")):
        server.route(host, path, Reply(200, slow, delay=0.05))
    server.route("gone.test", "/prices", Reply(404, page("Not found"), delay=0.05))
    server.route("other.test", "/moved", Reply(301, headers={"Location": "/b"}, delay=0.05))
    # every answer takes a while, so no case time rounds down to 0.000
    server.route("other.test", "/missing", Reply(404, page("Not found"), delay=0.05))
    first = load_catalog(write_report(tmp_path / "r.txt", server.port))
    second = load_catalog(_second_report(tmp_path / "s.txt", server.port))
    opts = options(server)
    opts = dataclasses.replace(
        opts, check=dataclasses.replace(opts.check, per_host=1, concurrency=1)
    )
    results = check_documents([first, second], opts)
    text = render(results, Format.JUNIT)
    root = assert_valid(text)
    assert [s.get("name") for s in root] == [str(tmp_path / "r.txt"), str(tmp_path / "s.txt")]
    assert results[0].run is not None
    wall = results[0].run.seconds
    assert wall > 0
    for suite in root:
        assert suite.get("time") == f"{wall:.3f}"
        assert suite.get("hostname") == (socket.gethostname() or "localhost")
        assert suite.get("timestamp") == results[0].generated_at.strftime("%Y-%m-%dT%H:%M:%S")
        times = [float(c.get("time")) for c in suite.iter("testcase")]
        assert all(t > 0 for t in times)
        # each case is rounded to the millisecond
        assert sum(times) <= wall + 0.0005 * len(times)
    failed = [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None]
    assert failed == [
        f"http://gone.test:{server.port}/prices",
        f"http://other.test:{server.port}/missing",
    ]
    # a saved JSON report re-renders the same JUnit file
    assert render(load(render(results, Format.JSON)), Format.JUNIT) == text.replace(
        f'hostname="{socket.gethostname()}"', 'hostname="localhost"'
    )
