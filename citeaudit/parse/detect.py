"""Decide which reader a document needs, from its bytes first and its name second.

Reports arrive renamed, downloaded without an extension, or saved as `.txt` while holding HTML,
so the content decides: `%PDF-` is a PDF, a zip holding `word/document.xml` is a Word document.
A reStructuredText, AsciiDoc or LaTeX source is then known by its extension (its examples of
HTML make it no web page); `\\documentclass` at the top is LaTeX; markup with `<html>`, a
doctype or many tags is HTML. Otherwise the extension breaks the tie between text and Markdown.
Anything else that is binary, or a zip/PDF that is not what it claims, is an `InputError`
naming the file, so the CLI can print one line and exit 2.

It does not validate a format deeply: the readers report what is corrupt inside a PDF or DOCX.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from citeaudit.errors import InputError

FORMATS = ("text", "markdown", "html", "docx", "pdf", "rst", "asciidoc", "latex")
_MARKUP_SUFFIXES = {
    ".rst": "rst",
    ".rest": "rst",
    ".adoc": "asciidoc",
    ".asciidoc": "asciidoc",
    ".asc": "asciidoc",
    ".tex": "latex",
    ".latex": "latex",
    ".ltx": "latex",
}
_LATEX_START = re.compile(rb"^\s*(?:%[^\n]{0,2000}\n\s*){0,50}\\(?:documentclass|documentstyle)\b")
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_SNIFF = 65536
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html\b)",
    re.I | re.S,
)
_TAG = re.compile(
    rb"</?(?:p|div|a|span|li|ol|ul|h[1-6]|body|head|sup|br|table|section|article)\b[^>]{0,400}>",
    re.I,
)
_MIN_TAGS = 20
_TAG_DENSITY = 0.002


def _is_zip_docx(data: bytes, path: Path) -> bool:
    """True for a zip holding `word/document.xml`; InputError for a zip that is not one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"{path}: a corrupt or truncated zip archive ({exc})") from exc
    if "word/document.xml" in names:
        return True
    raise InputError(f"{path}: a zip archive that is not a Word document (no word/document.xml)")


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sniff window is not binary.
        if exc.start < len(head) - 4:
            control = sum(1 for b in head if b < 9 or 13 < b < 32)
            return control > len(head) // 100
    return False


def looks_like_html(head: bytes) -> bool:
    """Markup with an `<html>` tag or doctype at the top, or dense with common HTML tags."""
    if _HTML_START.match(head):
        return True
    tags = len(_TAG.findall(head))
    return tags >= _MIN_TAGS and tags >= len(head) * _TAG_DENSITY


def detect_format(path: Path, data: bytes, override: str | None = None) -> str:
    """The reader a document needs: one of `FORMATS` (InputError if none)."""
    if override is not None:
        if override not in FORMATS:
            raise InputError(f"{path}: unknown input format {override!r}")
        return override
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    head = data[:_SNIFF]
    # Some PDF writers put junk before the header; the spec allows it within the first 1 KB.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    # _is_zip_docx raises for a zip that is not a Word document.
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")) and _is_zip_docx(data, path):
        return "docx"
    if head.startswith((b"\xd0\xcf\x11\xe0", b"{\\rtf")):
        raise InputError(f"{path}: old Word (.doc) or RTF files are not supported; save as .docx")
    suffix = path.suffix.lower()
    if suffix in (".pdf", ".docx"):
        raise InputError(f"{path}: not a {suffix[1:].upper()} file (its signature is missing)")
    if _looks_binary(head):
        raise InputError(f"{path}: this looks like a binary file, not a report")
    text_head = head.lstrip(b"\xef\xbb\xbf")
    # A markup source is named for its language; its examples of HTML make it no HTML page.
    if suffix in _MARKUP_SUFFIXES:
        return _MARKUP_SUFFIXES[suffix]
    if _LATEX_START.match(text_head):
        return "latex"
    if suffix in _MARKDOWN_SUFFIXES and not _HTML_START.match(text_head):
        return "markdown"  # however much raw HTML it holds: the Markdown reader reads it
    if looks_like_html(text_head):
        return "html"
    if suffix in _HTML_SUFFIXES and b"<" in text_head:
        return "html"
    if suffix in _MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"
