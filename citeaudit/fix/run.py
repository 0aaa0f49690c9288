"""One `fix` run: read the document, get its verdicts, plan, place and apply the edits.

The verdicts come from a saved report (`--from`, no network) or from a check the caller runs
(`check` callable). Either way the document is parsed afresh, so positions are the file's own;
a report whose recorded content hash differs from the file's makes the result `stale`, which
`--in-place` refuses. Writing is `fix.output`'s job; this module only reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from citeaudit.documents import catalog_from_bytes, read_input
from citeaudit.errors import InputError
from citeaudit.fix import docx, text
from citeaudit.fix.diff import summary
from citeaudit.fix.model import SAFE_KINDS, ArchiveStyle, FixKind, FixResult
from citeaudit.fix.plan import plan
from citeaudit.models import AuditResult, Catalog, Verdict
from citeaudit.parse.detect import detect_format
from citeaudit.report.json import load

CheckFn = Callable[[Catalog], Mapping[str, Verdict]]


@dataclass(frozen=True, slots=True)
class FixRequest:
    """What to fix and how: the typed form of the `fix` command's options."""

    path: str
    report: str | None = None
    """A saved JSON report to take the verdicts from; None: the caller's check runs."""
    kinds: frozenset[FixKind] = field(default=SAFE_KINDS)
    archive_style: ArchiveStyle = ArchiveStyle.APPEND
    input_format: str | None = None
    as_of: date | None = None
    in_place: bool = False
    """Refuse a stale report: the file will be overwritten."""


def parse_kinds(values: Iterable[str]) -> frozenset[FixKind]:
    """`--apply` values (comma-separated, repeatable; `safe` and `all` too) as kinds.

    >>> sorted(parse_kinds(["archive,redirect"]))
    [<FixKind.ARCHIVE: 'archive'>, <FixKind.REDIRECT: 'redirect'>]
    >>> FixKind.REFANG in parse_kinds(["safe", "refang"])
    True
    """
    kinds: set[FixKind] = set()
    for value in values:
        for name in (v.strip().lower() for v in value.split(",")):
            if name == "safe":
                kinds |= SAFE_KINDS
            elif name == "all":
                kinds |= set(FixKind)
            elif name:
                try:
                    kinds.add(FixKind(name))
                except ValueError:
                    choices = ", ".join([*(k.value for k in FixKind), "safe", "all"])
                    raise ValueError(f"unknown fix {name!r} (choose from {choices})") from None
    return frozenset(kinds) if kinds else SAFE_KINDS


def _placer(input_format: str) -> ModuleType:
    if input_format == "html":
        # deferred: the HTML placer reads encodings with bs4, whose import costs a fix of a
        # text or Word document about 0.2 s (as `parse.formats` defers the HTML reader)
        from citeaudit.fix import html

        return html
    if input_format == "docx":
        return docx
    return text


def _report_result(report: str, path: str, digest: str) -> AuditResult:
    """The document of a saved report that is `path` (by content hash, else by path)."""
    results = load(read_input(report).decode("utf-8", errors="replace"))
    by_hash = [r for r in results if r.catalog.document.sha256 == digest]
    if by_hash:
        return by_hash[0]
    wanted = Path(path).resolve()
    by_path = [r for r in results if Path(r.catalog.document.path).resolve() == wanted]
    if by_path:
        return by_path[0]
    if len(results) == 1:
        return results[0]
    raise InputError(f"{report}: none of its {len(results)} documents is {path}")


def fix_document(request: FixRequest, *, check: CheckFn | None = None) -> FixResult:
    """Plan the fix of one document; nothing is written (see `fix.output`)."""
    path = request.path
    if path == "-":
        raise InputError("fix needs a file to fix, not standard input")
    data = read_input(path)
    input_format = detect_format(Path(path), data, request.input_format)
    if input_format == "pdf":
        raise InputError(
            f"{path}: PDF is read-only for fix: fix the document it was made from "
            "(DOCX, HTML, Markdown or text) and export it again"
        )
    if input_format in ("rst", "asciidoc", "latex"):
        # The text placer writes Markdown link syntax, which would corrupt these sources.
        raise InputError(
            f"{path}: fix does not write {input_format} sources yet; edit them by hand"
        )
    catalog = catalog_from_bytes(path, data, as_of=request.as_of, input_format=input_format)
    digest = hashlib.sha256(data).hexdigest()
    warnings: list[str] = []
    stale = False
    if request.report is not None:
        result = _report_result(request.report, path, digest)
        verdicts: Mapping[str, Verdict] = result.verdicts
        recorded = result.catalog.document.sha256
        if recorded != digest:
            stale = True
            warnings.append(
                f"{path} is not the file {request.report} was made from "
                + ("(the report records no content hash)" if recorded is None else "(it changed)")
                + ": only text still written where the report saw it is changed"
            )
    elif check is not None:
        verdicts = check(catalog)
    else:
        raise InputError("fix needs verdicts: give a saved report (--from) or let it check")
    if request.in_place and stale:
        raise InputError(
            f"{path}: refusing to fix in place: {warnings[-1]}; run check again, or write a "
            "copy with -o"
        )
    proposals, skipped = plan(catalog, verdicts, request.kinds, request.archive_style)
    placer: Any = _placer(input_format)
    placed = placer.place(data, catalog, proposals)
    after = placer.rewrite(data, placed.edits, placed.encoding)
    return FixResult(
        path=path,
        input_format=input_format,
        before=data,
        after=after,
        edits=placed.edits,
        skipped=(*skipped, *placed.skipped),
        encoding=placed.encoding,
        stale=stale,
        warnings=tuple(warnings),
    )


def check_verdicts(
    catalog: Catalog, options: Any, *, cache: Any = None, progress: Any = None
) -> dict[str, Verdict]:
    """Check one catalog's sources (as `citeaudit check` does) and return the verdicts."""
    # deferred: the checker (httpx, the stores, the archive clients) loads only when a fix
    # checks; `fix --from saved.json` never probes
    from citeaudit.audit import check_documents

    results = check_documents([catalog], options, cache=cache, progress=progress)
    return dict(results[0].verdicts)


def render_diff(result: FixResult) -> str:
    """The summary and the unified diff of a planned fix."""
    placer: Any = _placer(result.input_format)
    return summary(result) + placer.show(result)
