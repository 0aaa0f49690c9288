"""JUnit XML, the test-report format every CI system can display.

One test suite per document, one test case per checked URL (classname = document path, name =
URL). A lost URL fails; an unverified or skipped one is reported as skipped; a dead URL with an
archived copy passes, and the suite's `system-out` names the copy. Unchecked URLs are not test
cases.

The shape is the one both common schemas accept: Jenkins' junit-10.xsd (what the xUnit plugin
and pytest validate against) and the Ant schema, which wants a bare `<testsuites>`, `properties`,
`system-out` and `system-err` in every suite, at most one child per test case, and a suite
`timestamp` (UTC here, written without an offset as that schema demands), `hostname` and `time`.

Times: a test case's `time` is how long its URL's requests took once they had a slot (0 for a
verdict read from the cache); a suite's `time` is the wall time of the whole run. URLs are
checked concurrently, so case times overlap and may add up to more than their suite's time.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime

from citeaudit.models import AuditResult, SourceState
from citeaudit.report.annotations import TOOL_VERSION
from citeaudit.report.common import SourceRow, source_rows
from citeaudit.report.text import inert
from citeaudit.report.words import snapshot_text

# Characters XML 1.0 cannot carry at all: ElementTree would write them and produce a broken file.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Untrusted text made inert, without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", inert(text))


def seconds(value: float) -> str:
    """A duration as JUnit writes it: seconds with three decimals.

    >>> seconds(61.23449)
    '61.234'
    """
    return f"{max(value, 0.0):.3f}"


def case_time(row: SourceRow) -> float:
    """Seconds this run spent on the URL: a verdict from the cache cost it no request."""
    v = row.verdict
    return 0.0 if v is None or v.from_cache else v.elapsed_ms / 1000


def started(result: AuditResult) -> datetime | None:
    """When the run began; for a result built without one, its earliest check."""
    if result.generated_at is not None:
        return result.generated_at
    checked = [v.checked_at for v in result.verdicts.values() if v.checked_at is not None]
    return min(checked, default=None)


def _detail(row: SourceRow) -> str:
    notes = ", ".join(map(str, row.notes))
    return xml_text(f"{row.label}: {row.reason} (notes {notes})")


def _case(suite: ET.Element, path: str, row: SourceRow) -> str:
    case = ET.SubElement(
        suite,
        "testcase",
        classname=xml_text(path),
        name=xml_text(row.url),
        time=seconds(case_time(row)),
    )
    if row.state is SourceState.LOST:
        failure = ET.SubElement(case, "failure", message=xml_text(row.reason), type=row.label)
        failure.text = _detail(row) + "; no archived copy found"
        return "failure"
    if row.state is SourceState.UNVERIFIED:
        ET.SubElement(case, "skipped", message=_detail(row))
        return "skipped"
    return "passed"


def _properties(suite: ET.Element, result: AuditResult) -> None:
    props = ET.SubElement(suite, "properties")
    document = result.catalog.document
    values = {
        "citeaudit.version": TOOL_VERSION,
        "document.title": document.title,
        "document.date": document.date.isoformat() if document.date else None,
    }
    for name, value in values.items():
        if value:
            ET.SubElement(props, "property", name=name, value=xml_text(value))


def _suite(root: ET.Element, index: int, result: AuditResult) -> None:
    path = result.catalog.document.path
    name = xml_text(path) or "-"
    suite = ET.SubElement(root, "testsuite", name=name, package=name, id=str(index))
    start = started(result)
    if start is not None:
        suite.set("timestamp", start.astimezone(UTC).replace(tzinfo=None).isoformat("T", "seconds"))
    run = result.run
    suite.set("hostname", xml_text(run.hostname or "" if run else "") or "localhost")
    _properties(suite, result)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    archived, longest = [], 0.0
    for row in source_rows(result):
        if row.verdict is None:
            continue
        outcome = _case(suite, path, row)
        counts["tests"] += 1
        if outcome == "failure":
            counts["failures"] += 1
        elif outcome == "skipped":
            counts["skipped"] += 1
        if row.snapshot is not None:
            copy = snapshot_text(row.snapshot)
            archived.append(xml_text(f"{row.url} {_detail(row)}; archived copy: {copy}"))
        longest = max(longest, case_time(row))
    for key, value in counts.items():
        suite.set(key, str(value))
    # a report saved before run times were kept: its slowest URL is the most that is known
    suite.set("time", seconds(result.run.seconds if result.run is not None else longest))
    ET.SubElement(suite, "system-out").text = "\n".join(archived) or None
    ET.SubElement(suite, "system-err")


def to_xml(results: Sequence[AuditResult]) -> ET.Element:
    """The <testsuites> element of every document."""
    root = ET.Element("testsuites")
    for index, result in enumerate(results):
        _suite(root, index, result)
    return root


def render(results: Sequence[AuditResult]) -> str:
    """The JUnit XML report as text."""
    root = to_xml(results)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
