"""Format detection, the reader dispatch, link notation, and clean failures on corrupt input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeaudit.cli import main
from citeaudit.errors import InputError
from citeaudit.parse.detect import detect_format
from citeaudit.parse.formats import read_document
from citeaudit.parse.links import link_markup

FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("r.pdf", b"%PDF-1.7\n...", "pdf"),
        ("renamed.txt", b"%PDF-1.4\n...", "pdf"),
        ("r.docx", _zip({"word/document.xml": b"<x/>"}), "docx"),
        ("noext", _zip({"word/document.xml": b"<x/>"}), "docx"),
        ("r.html", b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        ("saved.txt", b"\xef\xbb\xbf  <html lang=en><p>x</p></html>", "html"),
        ("frag.htm", b"<p>Claim.[1]</p>", "html"),
        ("r.md", b"# Title\n\nClaim.[^1]\n\n[^1]: https://a.example/\n", "markdown"),
        ("r.txt", b"Title\n\nClaim.[1]\n\nEndnotes\n[1] https://a.example/\n", "text"),
        ("r.txt", b"The <b> tag and x < y are prose here.\n", "text"),
        ("r.rst", b"Claim. [1]_\n\n.. [1] https://a.example/\n", "rst"),
        ("r.adoc", b"= T\n\nClaim.footnote:[https://a.example/]\n", "asciidoc"),
        ("paper.tex", b"Claim.\\footnote{\\url{https://a.example/}}\n", "latex"),
        ("noext", b"% comment\n\\documentclass{article}\n\\begin{document}\n", "latex"),
        # An rST page full of HTML examples is still rST: its name says what it is.
        (
            "tags.rst",
            b"".join(b"<p>Paragraph <a href='#x'>%d</a></p>\n" % i for i in range(30)),
            "rst",
        ),
    ],
)
def test_detect_by_content_then_extension(name, data, expected):
    assert detect_format(Path(name), data, None) == expected


def test_many_tags_without_html_element_is_html():
    body = b"".join(b"<p>Paragraph <a href='#x'>%d</a></p>\n" % i for i in range(30))
    assert detect_format(Path("export"), body, None) == "html"


def test_override_wins_and_is_checked():
    assert detect_format(Path("r.html"), b"<html></html>", "text") == "text"
    with pytest.raises(InputError, match="unknown input format"):
        detect_format(Path("r"), b"x", "rtf")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"  \n", "empty"),
        ("blob.bin", bytes(range(256)) * 10, "binary"),
        ("cut.docx", _zip({"word/document.xml": b"<x/>" * 100})[:60], "corrupt or truncated"),
        ("other.zip", _zip({"a.txt": b"x"}), "not a Word document"),
        ("fake.pdf", b"just some text", "not a PDF"),
        ("fake.docx", b"just some text", "not a DOCX"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Word"),
    ],
)
def test_unreadable_inputs_are_one_line_input_errors(name, data, message):
    with pytest.raises(InputError, match=message) as info:
        detect_format(Path(name), data, None)
    assert name in str(info.value)
    assert "\n" not in str(info.value)


def test_read_document_dispatches_each_format():
    for name, fmt in [
        ("isw-2023-08-03-syria.html", "html"),
        ("isw-2023-08-03-syria.docx", "docx"),
        ("links-and-breaks.pdf", "pdf"),
    ]:
        path = FORMATS / name
        raw = read_document(path, path.read_bytes(), None)
        assert raw.input_format == fmt
        assert raw.notes


def test_read_document_text_goes_to_the_text_parser():
    data = b"Title\n\nA claim.[1]\n\nEndnotes\n\n[1] https://a.example/x\n"
    raw = read_document(Path("r.txt"), data, None)
    assert raw.input_format == "text"
    assert [c.markers for c in raw.claims] == [(1,)]


@pytest.mark.parametrize(
    ("text", "href", "expected"),
    [
        ("https://a.example/x", "https://a.example/x", "<https://a.example/x>"),
        ("https://a.example/%D8%A7", "https://a.example/%d8%a7", "<https://a.example/%D8%A7>"),
        ("https://s[dot]sy/p", "https://s%5Bdot%5Dsy/p", "<https://s[dot]sy/p>"),
        (
            "https://a.example/shown",
            "https://a.example/real",
            "[https://a.example/shown](https://a.example/real)",
        ),
        ("a [b] c", "https://a.example/(x", "[a \\[b\\] c](https://a.example/%28x)"),
        ("mail me", "mailto:a@b.example", "mail me"),
        ("up", "#top", "up"),
    ],
)
def test_link_markup(text, href, expected):
    assert link_markup(text, href) == expected


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("truncated.docx", (FORMATS / "real-endnotes.docx").read_bytes()[:900]),
        ("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20),
        ("binary.html", b"\x00\x01\x02\x03" * 500),
    ],
)
def test_cli_exits_2_with_one_line_on_corrupt_input(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and name in lines[0]
    assert "Traceback" not in result.output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["html", "docx", "pdf", None]),
    st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html>", b"<p>[1]</p>"]),
    st.binary(max_size=2000),
)
def test_any_bytes_parse_or_fail_with_an_input_error(fmt, prefix, body):
    try:
        read_document(Path("fuzz"), prefix + body, fmt)
    except InputError as exc:
        assert "\n" not in str(exc)
