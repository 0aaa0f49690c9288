"""JUnit XML: well-formed, one test case per checked URL, the right counts."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from citeaudit.models import AuditResult
from citeaudit.report import Format, render

from .conftest import make_hostile


def parse(text: str) -> ET.Element:
    assert text.startswith("<?xml")
    return ET.fromstring(text.encode("utf-8"))


def test_counts_and_cases(result: AuditResult):
    root = parse(render([result], Format.JUNIT))
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
    gone = next(c for c in cases if c.get("name") == "https://beta.org/gone")
    assert "web.archive.org" in gone.findtext("system-out")


def test_counts_agree_with_the_cases(result: AuditResult):
    root = parse(render([result, make_hostile()], Format.JUNIT))
    for suite in root:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("skipped")) == sum(c.find("skipped") is not None for c in cases)
    assert root.get("tests") == "18"
    assert root.get("failures") == "4"


def test_unchecked_urls_are_not_cases(result: AuditResult):
    root = parse(render([dataclasses.replace(result, verdicts={})], Format.JUNIT))
    assert root.get("tests") == "0"
    assert root[0].findall("testcase") == []
