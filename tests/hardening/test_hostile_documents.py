"""Hostile documents: the parsers never crash, never hang, and stay linear on worst cases.

Three parts. A seeded slice of the mutation fuzzer (`fuzzing.py`; `benchmarks/fuzz_parse.py`
runs it for longer) over every input format, plus hypothesis over HTML and DOCX content. Then
worst-case inputs, each with a stated bound, generous for a shared 2-core machine: nested
brackets, megabyte tokens, thousands of markers in one sentence, nested Markdown links (once
quadratic), a long run of claims (once quadratic in the typo finding), a million notes (refused
with an InputError), deeply nested HTML. Last, container bombs: a zip bomb posing as a DOCX
(honest and lying headers) and PDFs claiming or holding a huge page count.
"""

from __future__ import annotations

import io
import random
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeaudit.catalog import build_catalog
from citeaudit.errors import InputError
from citeaudit.parse.formats import read_document
from citeaudit.parse.text import MAX_NOTES, parse_text

from ..parse.test_docx import zip_bytes
from . import fuzzing

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def _catalog(text: str) -> object:
    return build_catalog(parse_text(text, "x.txt", require_notes=False), "x.txt")


def _timed(fn: object, *args: object) -> float:
    # CPU time of this process, not wall time: other work on a busy machine does not move it.
    t0 = time.process_time()
    fn(*args)  # type: ignore[operator]
    return time.process_time() - t0


# -- fuzzing ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(fuzzing.MUTATORS))
def test_mutation_fuzz_slice_finds_no_crash(fmt: str) -> None:
    rng = random.Random(f"hardening-{fmt}")
    budget = 1.5 if fmt != "pdf" else 2.5
    runs, crashes = fuzzing.fuzz(fmt, budget, rng, time.monotonic)
    assert runs > 5
    assert crashes == [], [f"{c.kind}: {c.message}" for c in crashes[:3]]


def test_fuzz_harness_reports_a_crash() -> None:
    # the harness can fail: a parser raising something else than InputError is a crash
    assert fuzzing.run_one("text", b"Notes\n\n[1] x") is None
    crash = fuzzing.run_one("nonexistent", b"x")
    assert crash is not None and crash.kind == "KeyError"


_HTML_PIECES = [
    "<p>", "</p>", "<a href='#fn1'>", "<a href=\"https://a.example/x\">", "</a>", "<sup>",
    "</sup>", "<ol>", "<li id='fn1'>", "</li>", "</ol>", "<h2>Notes</h2>", "[1]", "Claim.",
    "<div>", "</div>", "<table><tr><td>", "<!--", "-->", "&amp;", "<script>x</script>",
    "https://b.example/", "\n", " ",
]  # fmt: skip


@SETTINGS
@given(st.lists(st.sampled_from(_HTML_PIECES), max_size=120).map("".join))
def test_html_reader_never_crashes(body: str) -> None:
    data = f"<!doctype html><html><body>{body}</body></html>".encode()
    assert fuzzing.run_one("html", data, hang_seconds=10) is None


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from(["word/document.xml", "word/endnotes.xml"]))
def test_docx_reader_never_crashes_on_garbage_parts(garbage: bytes, part: str) -> None:
    seed = fuzzing.seeds()["docx"][0]
    src = zipfile.ZipFile(io.BytesIO(seed))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(
                info.filename, body[: len(body) // 2] + garbage if info.filename == part else body
            )
    assert fuzzing.run_one("docx", out.getvalue(), hang_seconds=10) is None


# -- worst cases: linear or refused --------------------------------------------------------

NOTES = "\n\nNotes\n\n[1] "
HEAD = "T\n\nC.[1]" + NOTES


def _markers(n: int) -> str:
    k = n // 50
    refs = "".join(f"[{i}]" for i in range(1, k))
    notes = "\n".join(f"[{i}] https://e.org/{i}" for i in range(1, k))
    return f"T\n\nClaim{refs}.\n\nNotes\n\n{notes}"


def _paragraph_of_claims(n: int) -> str:
    k = n // 40
    claims = " ".join(f"Claim {i}.[{i}]" for i in range(1, k))
    notes = "\n".join(f"[{i}] https://ex{i % 50}.org/{i}" for i in range(1, k))
    return f"T\n\n{claims}\n\nNotes\n\n{notes}"


WORST = {
    "nested brackets": lambda n: "T\n\n" + "[" * n + "x" + "]" * n + ".[1]" + NOTES + "[" * n,
    "nested markdown links": lambda n: HEAD + "[x](" * n + "http://a.org/" + ")" * n,
    "megabyte token": lambda n: HEAD + "a" * (4 * n),
    "megabyte URL": lambda n: HEAD + "https://" + "a" * (2 * n) + ".org/" + "b" * (2 * n),
    "megabyte defanged": lambda n: HEAD + "hxxp://a" + "[.]a" * n,
    "glued URLs": lambda n: HEAD + "https://a.org/x" * (n // 4),
    "markers in one sentence": _markers,
    "marker list": lambda n: "T\n\nClaim.[" + ", ".join(map(str, range(1, n // 8))) + "]" + NOTES,
    "one paragraph of claims": _paragraph_of_claims,
}


@pytest.mark.parametrize("name", list(WORST))
def test_worst_case_text_is_linear_and_bounded(name: str) -> None:
    make = WORST[name]
    small, large = make(60_000), make(240_000)
    t_small = min(_timed(_catalog, small) for _ in range(2))
    t_large = _timed(_catalog, large)
    # 4x the input may cost at most ~10x (noise on a shared machine), never 16x (quadratic)
    assert t_large < 10 * t_small + 0.5, f"{name}: {t_small:.3f} s -> {t_large:.3f} s"


def test_a_million_notes_is_refused_with_a_clear_error() -> None:
    lines = "\n".join(f"[{i}] n" for i in range(1, 1_000_001))
    text = "T\n\nC.[1]\n\nNotes\n\n" + lines
    t0 = time.process_time()
    with pytest.raises(InputError, match=f"limit is {MAX_NOTES}"):
        parse_text(text, "million.txt")
    assert time.process_time() - t0 < 30.0


def test_deeply_nested_html_is_bounded() -> None:
    depth = 100_000
    html = (
        b"<!doctype html><html><body>"
        + b"<div><span>" * depth
        + b"Claim.<sup><a href='#fn1'>1</a></sup>"
        + b"</span></div>" * depth
        + b"<h2>Notes</h2><ol><li id='fn1'>https://deep.example/a</li></ol></body></html>"
    )
    t0 = time.process_time()
    try:
        raw = read_document(Path("deep.html"), html)
        urls = [s.url for _, s in build_catalog(raw, "deep.html").sources()]
        assert any("deep.example" in u for u in urls)
    except InputError:
        pass  # refusing is a clear answer too
    assert time.process_time() - t0 < 30.0


def _docx_parts(document: bytes) -> dict[str, bytes]:
    seed = zipfile.ZipFile(io.BytesIO(fuzzing.seeds()["docx"][0]))
    parts = {i.filename: seed.read(i.filename) for i in seed.infolist()}
    parts["word/document.xml"] = document
    return parts


def test_zip_bomb_posing_as_docx_is_refused_quickly() -> None:
    bomb = zip_bytes(_docx_parts(b"<w:document>" + b" " * (300 << 20) + b"</w:document>"))
    assert len(bomb) < 1 << 20
    t0 = time.process_time()
    with pytest.raises(InputError, match="refused"):
        read_document(Path("bomb.docx"), bomb)
    assert time.process_time() - t0 < 5.0


def test_zip_bomb_with_lying_sizes_stops_at_the_declared_size() -> None:
    # the central directory says 1 KB; the stream inflates to 64 MB
    real = 64 << 20
    data = bytearray(zip_bytes(_docx_parts(b"<a>" + b" " * real + b"</a>")))
    declared = 1024
    name = b"word/document.xml"
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(sig, start)) >= 0:
            name_len = int.from_bytes(data[at + size_at + 4 : at + size_at + 6], "little")
            field = at + (30 if sig == b"PK\x03\x04" else 46)
            if sig == b"PK\x01\x02":
                name_len = int.from_bytes(data[at + 28 : at + 30], "little")
            if data[field : field + name_len] == name:
                data[at + size_at : at + size_at + 4] = declared.to_bytes(4, "little")
            start = at + 4
    t0 = time.process_time()
    with pytest.raises(InputError):
        read_document(Path("liar.docx"), bytes(data))
    assert time.process_time() - t0 < 5.0


def test_docx_with_deeply_nested_xml_is_bounded() -> None:
    depth = 50_000
    w = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    doc = (
        b"<w:document " + w + b"><w:body>" + b"<w:p>" * depth + b"<w:r><w:t>x</w:t></w:r>"
        + b"</w:p>" * depth + b"</w:body></w:document>"
    )  # fmt: skip
    t0 = time.process_time()
    assert fuzzing.run_one("docx", zip_bytes(_docx_parts(doc)), hang_seconds=25) is None
    assert time.process_time() - t0 < 25.0


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def test_pdf_claiming_a_billion_pages_is_refused_at_once() -> None:
    pdf = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )
    t0 = time.process_time()
    with pytest.raises(InputError, match="refused"):
        read_document(Path("huge.pdf"), pdf)
    assert time.process_time() - t0 < 5.0


def test_pdf_holding_too_many_pages_is_refused_before_layout() -> None:
    n = 6000
    kids = b" ".join(b"%d 0 R" % (i + 3) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count 1 >>",  # the count lies low
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * n
    t0 = time.process_time()
    with pytest.raises(InputError, match="refused"):
        read_document(Path("many.pdf"), _pdf(objects))
    assert time.process_time() - t0 < 20.0


def test_pdf_page_tree_loop_terminates() -> None:
    pdf = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",  # the tree contains itself
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )
    assert fuzzing.run_one("pdf", pdf, hang_seconds=10) is None


def test_pdf_page_of_millions_of_operators_is_refused() -> None:
    content = zlib.compress(b"BT /F1 1 Tf (x) Tj ET\n" * (2 << 20), 9)
    pdf = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
            % (len(content), content),
        ]
    )
    t0 = time.process_time()
    with pytest.raises(InputError, match="refused: page 1"):
        read_document(Path("ops.pdf"), pdf)
    assert time.process_time() - t0 < 10.0


# -- regressions: inputs the fuzzer once crashed on (benchmarks/fuzz_parse.py) ---------------

CRASHES = Path(__file__).parent / "crashes"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("docx-corrupt-deflate.docx", "docx"),  # zlib.error escaped zf.read
        ("html-rejected-markup.html", "html"),  # bs4 ParserRejectedMarkup ("<![CDATX[")
        (
            "docx-unknown-xml-encoding.docx",
            "docx",
        ),  # LookupError: <?xml encoding="UendstreamTF-8"?>
    ],
)
def test_fuzzer_crashes_are_now_input_errors(name: str, fmt: str) -> None:
    data = (CRASHES / name).read_bytes()
    assert fuzzing.run_one(fmt, data, hang_seconds=10) is None
    with pytest.raises(InputError):
        read_document(Path(name), data)


def test_html_the_parser_rejects_is_an_input_error() -> None:
    with pytest.raises(InputError, match="rejected"):
        read_document(Path("x.html"), b"<!doctype html><html><![CDATX[ a")
