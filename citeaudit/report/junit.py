"""JUnit XML, the test-report format every CI system can display.

One test suite per document, one test case per checked URL (classname = document path, name =
URL). A lost URL fails; an unverified or skipped one is reported as skipped; a dead URL with an
archived copy passes with the copy named in its output. Unchecked URLs are not test cases.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from citeaudit.models import AuditResult, SourceState
from citeaudit.report.common import TOOL_NAME, SourceRow, snapshot_text, source_rows
from citeaudit.report.text import inert

# Characters XML 1.0 cannot carry at all: ElementTree would write them and produce a broken file.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Untrusted text made inert, without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", inert(text))


def _case(suite: ET.Element, path: str, row: SourceRow) -> str:
    assert row.verdict is not None
    case = ET.SubElement(
        suite,
        "testcase",
        classname=xml_text(path),
        name=xml_text(row.url),
        time=f"{row.verdict.elapsed_ms / 1000:.3f}",
    )
    notes = ", ".join(map(str, row.notes))
    detail = xml_text(f"{row.label}: {row.reason} (notes {notes})")
    if row.state is SourceState.LOST:
        failure = ET.SubElement(case, "failure", message=xml_text(row.reason), type=row.label)
        failure.text = detail + "; no archived copy found"
        return "failure"
    if row.state is SourceState.UNVERIFIED:
        ET.SubElement(case, "skipped", message=detail)
        return "skipped"
    if row.snapshot is not None:
        out = ET.SubElement(case, "system-out")
        out.text = xml_text(f"{detail}; archived copy: {snapshot_text(row.snapshot)}")
    return "passed"


def to_xml(results: Sequence[AuditResult]) -> ET.Element:
    """The <testsuites> element of every document."""
    root = ET.Element("testsuites", name=TOOL_NAME)
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for result in results:
        path = result.catalog.document.path
        suite = ET.SubElement(root, "testsuite", name=xml_text(path))
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for row in source_rows(result):
            if row.verdict is None:
                continue
            outcome = _case(suite, path, row)
            counts["tests"] += 1
            if outcome == "failure":
                counts["failures"] += 1
            elif outcome == "skipped":
                counts["skipped"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("errors", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    return root


def render(results: Sequence[AuditResult]) -> str:
    """The JUnit XML report as text."""
    root = to_xml(results)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
