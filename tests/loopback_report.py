"""Shared helpers: a small report whose sources live on a loopback server, and run options."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from citeaudit.audit import AuditOptions
from citeaudit.check.archive import ArchiveOptions
from citeaudit.models import Catalog

from .check.servers import TestServer, fast_options

HOSTS = ("news.test", "gone.test", "other.test", "archive.test")


def write_report(path: Path, port: int) -> Path:
    """A report of three claims; the first quotes the minister, the third cites two outlets."""
    path.write_text(
        "A Test Report\n\nMarch 1, 2024\n\n"
        "The minister said “we will not retreat from the river” on Monday.[1] "
        "Prices rose in May.[2] Two outlets agree.[3]\n\n"
        "Endnotes\n\n"
        f"[1] http://news.test:{port}/statement\n"
        f"[2] http://gone.test:{port}/prices\n"
        f"[3] http://news.test:{port}/a ; http://other.test:{port}/b\n",
        encoding="utf-8",
    )
    return path


def load(path: Path) -> Catalog:
    """The catalog of a written report."""
    from citeaudit.documents import load_catalog

    return load_catalog(str(path))


def options(
    server: TestServer, *, archive: bool = False, now: datetime | None = None, **kw: Any
) -> AuditOptions:
    """Fast audit options reaching every test host on the loopback server, nothing else."""
    check = fast_options(
        resolve=server.resolve(*HOSTS),
        canary_hosts=(),
        max_age_alive=timedelta(0),
        max_age_other=timedelta(0),
    )
    arch = None
    if archive:
        arch = ArchiveOptions(
            wayback_endpoint=server.url("archive.test", ""), confirm_with_cdx=False, timeout=2.0
        )
    return AuditOptions(check=check, archive=arch, now=now, **kw)
