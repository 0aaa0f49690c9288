"""Throughput of the HTML, DOCX and PDF readers on generated 200-page reports.

The sample report is repeated (note numbers shifted per copy) until its PDF rendering has 200
pages; the same text is written as HTML (hand-numbered paragraphs, and Pandoc-style linked
footnotes), as DOCX (real endnotes with hyperlinks, and hand-numbered), and as PDF (Helvetica
rows with a link annotation on every URL, written by tests/fixtures/make_small.py). Nothing is
committed: the files are built in memory. The PDF is also read by pypdf's `extract_text` and
by pdfminer's plain `extract_text`, to show why pdfminer.six was chosen.

    uv run python benchmarks/bench_formats.py
"""

from __future__ import annotations

import io
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from make_small import docx_bytes, pdf_bytes  # noqa: E402

from citeaudit.catalog import build_catalog  # noqa: E402
from citeaudit.parse.docx import read_docx  # noqa: E402
from citeaudit.parse.html import read_html  # noqa: E402
from citeaudit.parse.pdf import read_pdf  # noqa: E402

SAMPLE = ROOT / "endnotes" / "isw-2023-08-03-syria.txt"
PAGES = 200
ROWS_PER_PAGE = 46
WIDTH = 95
_MARKER = re.compile(r"\[(\d+)\]")
_URL = re.compile(r"https?://[^\s<>;]+")


def _copies(n: int) -> tuple[list[str], list[tuple[int, str]]]:
    """Body paragraphs and (number, text) notes of `n` renumbered copies of the sample."""
    text = SAMPLE.read_text(encoding="utf-8")
    body, notes = text.split("\nEndnotes\n", 1)
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    note_items = [
        (int(m.group(1)), m.group(2).strip())
        for m in re.finditer(r"^\[(\d+)\] (.*)$", notes, re.MULTILINE)
    ]
    out_body: list[str] = []
    out_notes: list[tuple[int, str]] = []
    for i in range(n):
        shift = 38 * i
        out_body += [
            _MARKER.sub(lambda m, s=shift: f"[{int(m.group(1)) + s}]", p) for p in paragraphs
        ]
        out_notes += [(number + shift, note) for number, note in note_items]
    return out_body, out_notes


def _wrap(text: str) -> list[str]:
    out, line = [], ""
    for word in text.split(" "):
        while len(word) > WIDTH:
            if line:
                out.append(line)
                line = ""
            out.append(word[:WIDTH])
            word = word[WIDTH:]
        if len(line) + len(word) + 1 > WIDTH and line:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    return out


def _latin1(text: str) -> str:
    return text.encode("latin-1", errors="replace").decode("latin-1")


def build_pdf(body: list[str], notes: list[tuple[int, str]]) -> bytes:
    rows: list[list[tuple[str, float, float, str | None]]] = []
    for paragraph in body:
        rows += [[(_latin1(line), 9, 0, None)] for line in _wrap(paragraph)] + [[]]
    rows.append([("Endnotes", 9, 0, None)])
    for number, note in notes:
        for line in _wrap(f"[{number}] {note}"):
            pieces: list[tuple[str, float, float, str | None]] = []
            last = 0
            for m in _URL.finditer(line):
                pieces.append((_latin1(line[last : m.start()]), 9, 0, None))
                uri = quote(m.group(), safe=":/?#[]@!$&'()*+,;=%")
                pieces.append((_latin1(m.group()), 9, 0, uri))
                last = m.end()
            pieces.append((_latin1(line[last:]), 9, 0, None))
            rows.append([p for p in pieces if p[0]])
    pages = [rows[i : i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)]
    return pdf_bytes(pages[:PAGES], leading=15)


def _html_link(m: re.Match[str]) -> str:
    return f'<a href="{m.group()}">{m.group()}</a>'


def build_html_numbered(body: list[str], notes: list[tuple[int, str]]) -> bytes:
    parts = ["<!DOCTYPE html><html><head><title>Bench</title></head><body>"]
    parts += [f"<p>{p}</p>" for p in body]
    parts.append("<h2>Endnotes</h2>")
    parts += [f"<p>[{n}] {_URL.sub(_html_link, t)}</p>" for n, t in notes]
    return ("\n".join(parts) + "</body></html>").encode()


def build_html_linked(body: list[str], notes: list[tuple[int, str]]) -> bytes:
    def ref(m: re.Match[str]) -> str:
        n = m.group(1)
        return f'<a href="#fn{n}" class="footnote-ref" id="fnref{n}"><sup>{n}</sup></a>'

    parts = ["<!DOCTYPE html><html><head><title>Bench</title></head><body>"]
    parts += [f"<p>{_MARKER.sub(ref, p)}</p>" for p in body]
    parts.append('<section class="footnotes"><ol>')
    parts += [
        f'<li id="fn{n}"><p>{_URL.sub(_html_link, t)}<a href="#fnref{n}">↩</a></p></li>'
        for n, t in notes
    ]
    return ("\n".join(parts) + "</ol></section></body></html>").encode()


def _runs(text: str) -> list[object]:
    runs: list[object] = []
    last = 0
    for m in _URL.finditer(text):
        runs.append(text[last : m.start()])
        runs.append(("link", m.group(), m.group()))
        last = m.end()
    runs.append(text[last:])
    return [r for r in runs if r]


def build_docx_real(body: list[str], notes: list[tuple[int, str]]) -> bytes:
    paragraphs = []
    for p in body:
        runs: list[object] = []
        last = 0
        for m in _MARKER.finditer(p):
            runs.append(p[last : m.start()])
            runs.append(("endnote", m.group(1)))
            last = m.end()
        runs.append(p[last:])
        paragraphs.append([r for r in runs if r])
    endnotes = {str(n): [_runs(t)] for n, t in notes}
    return docx_bytes(paragraphs, endnotes=endnotes)  # type: ignore[arg-type]


def build_docx_numbered(body: list[str], notes: list[tuple[int, str]]) -> bytes:
    paragraphs: list[list[object]] = [[p] for p in body]
    paragraphs.append(["Endnotes"])
    paragraphs += [[f"[{n}] ", *_runs(t)] for n, t in notes]
    return docx_bytes(paragraphs)  # type: ignore[arg-type]


def _time(fn: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    body, notes = _copies(20)
    pdf = build_pdf(body, notes)
    import pypdf
    from pdfminer.high_level import extract_text

    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    # Notes that made it into the 200 pages (the generator cuts the tail).
    kept = read_pdf(pdf, "bench.pdf")
    note_count = len(notes)
    rows: list[tuple[str, str, float, str]] = []

    def pdf_full() -> None:
        build_catalog(read_pdf(pdf, "bench.pdf"), "bench.pdf")

    def pypdf_text() -> None:
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        for page in reader.pages:
            page.extract_text()
            page.get("/Annots")

    def pdfminer_text() -> None:
        extract_text(io.BytesIO(pdf))

    for label, fn in (
        ("PDF: citeaudit (pdfminer.six, layout + annotations)", pdf_full),
        ("PDF: pdfminer.six extract_text only", pdfminer_text),
        ("PDF: pypdf extract_text + /Annots", pypdf_text),
    ):
        seconds = _time(fn)
        rows.append((label, f"{pages} pages", seconds, f"{pages / seconds:,.1f} pages/s"))
    for label, data, reader in (
        ("HTML: hand-numbered <p>[N]", build_html_numbered(body, notes), read_html),
        ("HTML: linked footnotes (Pandoc)", build_html_linked(body, notes), read_html),
        ("DOCX: real endnotes + hyperlinks", build_docx_real(body, notes), read_docx),
        ("DOCX: hand-numbered", build_docx_numbered(body, notes), read_docx),
    ):

        def run(data: bytes = data, reader: Callable = reader) -> None:
            build_catalog(reader(data, "bench"), "bench")

        seconds = _time(run)
        size = f"{note_count} notes, {len(data) / 1e6:.1f} MB"
        rows.append((label, size, seconds, f"{note_count / seconds:,.0f} notes/s"))
    print(
        f"Same text as a {pages}-page PDF ({len(kept.notes)} notes in it), "
        f"{len(body)} body paragraphs, {note_count} notes\n"
    )
    sample = (ROOT / "tests" / "fixtures" / "formats" / "isw-2023-08-03-syria.pdf").read_bytes()
    sample_pages = len(pypdf.PdfReader(io.BytesIO(sample)).pages)
    for label, fn in (
        ("PDF (LibreOffice sample): citeaudit", lambda: read_pdf(sample, "s.pdf")),
        (
            "PDF (LibreOffice sample): pypdf extract_text",
            lambda: [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(sample)).pages],
        ),
    ):
        seconds = _time(fn, repeat=3)
        rate = f"{sample_pages / seconds:,.1f} pages/s"
        rows.append((label, f"{sample_pages} pages", seconds, rate))
    print(f"{'reader':55} {'input':28} {'seconds':>8}  throughput")
    for label, size, seconds, rate in rows:
        print(f"{label:55} {size:28} {seconds:8.2f}  {rate}")


if __name__ == "__main__":
    main()
