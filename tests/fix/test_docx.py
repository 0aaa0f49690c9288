"""Fixing DOCX: hyperlink targets (and link text showing the old URL); the rest is untouched."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from citeaudit.documents import load_catalog
from citeaudit.fix import FixRequest, fix_document, render_diff

from ..check.servers import TestServer
from . import outlets
from .test_run import check, saved_report

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "isw-2023-08-03-syria.docx"


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


@pytest.fixture
def fixed_docx(server: TestServer, tmp_path: Path):
    outlets.serve(server)
    doc = tmp_path / "report.docx"
    doc.write_bytes(outlets.docx(server.port))
    report = saved_report(doc, server, tmp_path)
    return doc, fix_document(FixRequest(str(doc), report=str(report)))


def test_check_fix_check_a_word_file(fixed_docx, server: TestServer, tmp_path: Path) -> None:
    doc, result = fixed_docx
    assert result.input_format == "docx"
    assert sorted((str(e.kind), e.part) for e in result.edits) == [
        ("archive", "word/_rels/footnotes.xml.rels"),
        ("redirect", "word/_rels/document.xml.rels"),  # a link in the body
        ("redirect", "word/_rels/footnotes.xml.rels"),
        ("redirect", "word/footnotes.xml"),  # the link's text was the old URL
        ("typo", "word/_rels/footnotes.xml.rels"),
    ]
    before, after = members(result.before), members(result.after)
    assert list(before) == list(after)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {
        "word/_rels/document.xml.rels",
        "word/_rels/footnotes.xml.rels",
        "word/footnotes.xml",
    }
    fixed = tmp_path / "fixed.docx"
    fixed.write_bytes(result.after)
    again = check(fixed, server)
    assert outlets.lost(again) == [] and outlets.permanent_redirects(again) == []


def test_the_diff_shows_each_relationship_that_changed(fixed_docx, server: TestServer) -> None:
    doc, result = fixed_docx
    diff = render_diff(result)
    news = f"http://news.test:{server.port}"
    rels = f"{str(doc).lstrip('/')}:word/_rels/footnotes.xml.rels"
    assert f"--- a/{rels}\n+++ b/{rels}\n" in diff
    assert '-<Relationship Id="rIdL2" Type=' in diff
    assert f'Target="{news}/new" TargetMode="External"/>\n' in diff
    assert "note 2 redirect" in diff and "in a DOCX the link's target becomes the capture" in diff


@pytest.fixture
def sample_fix(tmp_path: Path):
    """The sample Word file with its Reuters links moved permanently."""
    import json

    catalog = load_catalog(str(SAMPLE))
    reuters = list(dict.fromkeys(s.url for _, s in catalog.sources() if "reuters.com" in s.url))
    report = {
        "schema": "citeaudit.report/1",
        "document": catalog.document.to_json(),
        "sources": [
            {
                "url": url,
                "verdict": "redirected",
                "reason": "moved",
                "final_url": f"https://www.reuters.com/moved/{i}/",
                "redirects": [{"url": url, "status": 301}],
            }
            for i, url in enumerate(reuters)
        ],
    }
    (tmp_path / "r.json").write_text(json.dumps(report))
    return fix_document(FixRequest(str(SAMPLE), report=str(tmp_path / "r.json")))


def test_the_sample_word_file_keeps_every_other_member(sample_fix) -> None:
    result = sample_fix
    assert result.edits and not result.stale
    before, after = members(result.before), members(result.after)
    assert list(before) == list(after)
    assert {n for n in before if before[n] != after[n]} == {
        "word/_rels/document.xml.rels",
        "word/_rels/footnotes.xml.rels",  # this file's footnotes part repeats the relationships
        "word/document.xml",  # links showing their own URL show the new one
    }
    with (
        zipfile.ZipFile(io.BytesIO(result.before)) as a,
        zipfile.ZipFile(io.BytesIO(result.after)) as b,
    ):
        for x, y in zip(a.infolist(), b.infolist(), strict=True):
            assert (x.filename, x.date_time, x.compress_type, x.external_attr) == (
                y.filename,
                y.date_time,
                y.compress_type,
                y.external_attr,
            )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_the_fixed_sample_converts_to_a_pdf_whose_links_are_the_new_ones(
    sample_fix, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    fixed = tmp_path / "sample.docx"
    fixed.write_bytes(sample_fix.after)
    pdf = PdfReader(str(_soffice(fixed, "pdf", tmp_path)))
    uris = {
        annot.get_object()["/A"]["/URI"]
        for page in pdf.pages
        for annot in page.get("/Annots") or []
        if "/URI" in annot.get_object().get("/A", {})
    }
    targets = [e for e in sample_fix.edits if e.part == "word/_rels/document.xml.rels"]
    assert {e.new for e in targets} <= uris
    assert not {e.old for e in targets} & uris


def _soffice(path: Path, to: str, out: Path) -> Path:
    profile = out / "lo-profile"  # a profile of its own: parallel runs do not share a lock
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", to, "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = out / f"{path.stem}.{to}"
    assert converted.exists(), f"LibreOffice wrote no {to}"
    return converted


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_the_fixed_file_and_its_links_point_where_the_diff_says(
    fixed_docx, tmp_path: Path
) -> None:
    import re

    from pypdf import PdfReader

    _, result = fixed_docx
    fixed = tmp_path / "fixed.docx"
    fixed.write_bytes(result.after)
    pdf = PdfReader(str(_soffice(fixed, "pdf", tmp_path)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Prices rose in the café." in text
    # Where LibreOffice itself says the links go: its HTML export writes every hyperlink it
    # read (its PDF export leaves out those of notes written without Word's link styles).
    html = _soffice(fixed, "html", tmp_path).read_text(encoding="utf-8", errors="replace")
    links = set(re.findall(r'<a href="(http[^"]+)"', html))
    rels = [e for e in result.edits if e.part and e.part.endswith(".rels")]
    assert {e.part for e in rels} == {
        "word/_rels/document.xml.rels",
        "word/_rels/footnotes.xml.rels",
    }
    assert {e.new for e in rels} <= links
    assert not {e.old for e in rels} & links
