"""Round trips on loopback: check, fix, check again; nothing outside the edits changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeaudit.audit import check_documents
from citeaudit.documents import load_catalog
from citeaudit.errors import InputError
from citeaudit.fix import FixKind, FixRequest, fix_document
from citeaudit.fix.model import Edit
from citeaudit.report import Format, render

from ..check.servers import TestServer
from . import outlets


def check(path: Path, server: TestServer):
    (result,) = check_documents([load_catalog(str(path))], outlets.check_options(server))
    return result


def saved_report(path: Path, server: TestServer, tmp_path: Path) -> Path:
    report = tmp_path / "report.json"
    report.write_text(render([check(path, server)], Format.JSON), encoding="utf-8")
    return report


def assert_only_edits_changed(
    before: bytes, after: bytes, edits: list[Edit], encoding: str = "utf-8"
) -> None:
    """Walk both files: between edits the bytes are the same, at each edit old -> new."""
    pos = 0
    out = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        gap = before[pos : edit.start]
        assert after[out : out + len(gap)] == gap
        out += len(gap)
        assert before[edit.start : edit.end] == edit.old.encode(encoding)
        new = edit.new.encode(encoding)
        assert after[out : out + len(new)] == new
        out += len(new)
        pos = edit.end
    assert after[out:] == before[pos:]


@pytest.mark.parametrize(("newline", "bom"), [("\n", False), ("\r\n", True)])
@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_check_fix_check_leaves_nothing_lost_and_no_redirect(
    server: TestServer, tmp_path: Path, newline: str, bom: bool, suffix: str
) -> None:
    outlets.serve(server)
    doc = outlets.write(tmp_path / f"report{suffix}", server.port, newline=newline, bom=bom)
    first = check(doc, server)
    assert outlets.lost(first) and outlets.permanent_redirects(first)
    report = saved_report(doc, server, tmp_path)

    result = fix_document(FixRequest(str(doc), report=str(report)))

    assert not result.stale
    assert result.before == doc.read_bytes()  # planning writes nothing
    kinds = sorted(str(e.kind) for e in result.edits)
    assert kinds == ["archive", "redirect", "redirect", "truncated", "typo"]
    assert_only_edits_changed(result.before, result.after, list(result.edits))
    fixed = tmp_path / f"fixed{suffix}"
    fixed.write_bytes(result.after)
    again = check(fixed, server)
    assert outlets.lost(again) == []
    assert outlets.permanent_redirects(again) == []
    # A temporary redirect is not a move: it is left, and the reason says so.
    (temp,) = [s for s in result.skipped if s.kind is FixKind.REDIRECT]
    assert "temp.test" in temp.url and "not every hop is permanent (302)" in temp.reason
    # Fixing the fixed file again changes nothing: the capture is already cited.
    report2 = saved_report(fixed, server, tmp_path)
    assert fix_document(FixRequest(str(fixed), report=str(report2))).edits == ()


def test_the_fixed_lines_read_as_a_writer_would_write_them(
    server: TestServer, tmp_path: Path
) -> None:
    outlets.serve(server)
    doc = outlets.write(tmp_path / "report.md", server.port)
    report = saved_report(doc, server, tmp_path)
    after = fix_document(FixRequest(str(doc), report=str(report))).after.decode()
    news, gone = f"http://news.test:{server.port}", f"http://gone.test:{server.port}"
    capture = f"http://archive.test:{server.port}/web/{outlets.CAPTURE_TIME}/{gone}/prices"
    lines = after.split("\n")
    assert lines[8] == f"[1] Le café, <{gone}/prices> [archived]({capture}); see also ibid."
    assert lines[9] == f"[2] {news}/new and again {news}/new."
    assert lines[10] == f"[3] Wages: {news}/wages-report-for-march"
    assert lines[11] == f"[4] Fuel: {news}/fuel/prices-rose-in-april"


def test_archive_replace_style_and_apply_subset(server: TestServer, tmp_path: Path) -> None:
    from citeaudit.fix import ArchiveStyle

    outlets.serve(server)
    doc = outlets.write(tmp_path / "report.md", server.port)
    report = saved_report(doc, server, tmp_path)
    result = fix_document(
        FixRequest(
            str(doc),
            report=str(report),
            kinds=frozenset({FixKind.ARCHIVE}),
            archive_style=ArchiveStyle.REPLACE,
        )
    )
    (edit,) = result.edits
    assert edit.kind is FixKind.ARCHIVE and edit.old == f"http://gone.test:{server.port}/prices"
    assert edit.new.startswith(f"http://archive.test:{server.port}/web/")
    assert f"<{edit.new}>" in result.after.decode()


def test_a_changed_file_is_stale_and_refused_in_place(server: TestServer, tmp_path: Path) -> None:
    outlets.serve(server)
    doc = outlets.write(tmp_path / "report.md", server.port)
    report = saved_report(doc, server, tmp_path)
    # An edit above the notes moves nothing the catalog points at, but the file is not the same.
    doc.write_bytes(doc.read_bytes().replace(b"Rents rose.", b"Rents rose a lot."))
    result = fix_document(FixRequest(str(doc), report=str(report)))
    assert result.stale and "changed" in result.warnings[0]
    assert result.edits  # positions are the file's own: still fixable to a copy
    with pytest.raises(InputError, match="refusing to fix in place"):
        fix_document(FixRequest(str(doc), report=str(report), in_place=True))


def test_pdf_is_read_only(tmp_path: Path) -> None:
    pdf = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "links-and-breaks.pdf"
    with pytest.raises(InputError, match="PDF is read-only"):
        fix_document(FixRequest(str(pdf), report=str(pdf)))


@pytest.mark.parametrize("name", ["report.rst", "report.adoc", "report.tex"])
def test_markup_sources_are_not_fixed(name: str) -> None:
    source = Path(__file__).resolve().parents[1] / "fixtures" / "markup" / name
    with pytest.raises(InputError, match="fix does not write"):
        fix_document(FixRequest(str(source), report=str(source)))
