"""Writing: a copy never over an input; in place only with a fresh backup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from citeaudit.errors import InputError, ReportError
from citeaudit.fix.output import write_copy, write_in_place


def test_copy_is_written_and_inputs_are_refused(tmp_path: Path) -> None:
    doc = tmp_path / "r.md"
    doc.write_bytes(b"original")
    out = tmp_path / "out.md"
    write_copy(str(out), b"fixed", inputs=[str(doc)])
    assert out.read_bytes() == b"fixed"
    link = tmp_path / "link.md"
    link.symlink_to(doc)
    for target in (doc, link):
        with pytest.raises(ReportError, match="refusing to overwrite the input"):
            write_copy(str(target), b"fixed", inputs=[str(doc)])
    assert doc.read_bytes() == b"original"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_in_place_keeps_mode_and_backup(tmp_path: Path) -> None:
    doc = tmp_path / "r.md"
    doc.write_bytes(b"original")
    os.chmod(doc, 0o640)
    backup = write_in_place(str(doc), b"original", b"fixed")
    assert backup == tmp_path / "r.md.orig"
    assert (doc.read_bytes(), backup.read_bytes()) == (b"fixed", b"original")
    assert doc.stat().st_mode & 0o777 == 0o640


def test_in_place_refuses_an_existing_backup_and_a_file_changed_meanwhile(tmp_path: Path) -> None:
    doc = tmp_path / "r.md"
    doc.write_bytes(b"edited since")
    with pytest.raises(InputError, match="changed while it was being fixed"):
        write_in_place(str(doc), b"original", b"fixed")
    doc.write_bytes(b"original")
    (tmp_path / "r.md.orig").write_bytes(b"older")
    with pytest.raises(InputError, match="a backup already exists"):
        write_in_place(str(doc), b"original", b"fixed")
    assert doc.read_bytes() == b"original"
    assert (tmp_path / "r.md.orig").read_bytes() == b"older"
