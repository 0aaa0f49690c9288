"""`citeaudit fix`: write the corrected document, not a to-do list.

Planned as data, applied per format: `plan` decides what each source's URL becomes (archive
capture, permanent redirect, proven typo, refanged, full form of a truncated URL) from the
catalog and the verdicts; `text`, `html` and `docx` place those changes at exact byte ranges of
the file; `edits` applies them, leaving every other byte as it was; `diff` shows them with their
reasons; `output` writes the copy or the file in place (with a backup). PDF is read-only.
"""

from citeaudit.fix.model import SAFE_KINDS, ArchiveStyle, Edit, FixKind, FixResult, Skipped
from citeaudit.fix.run import FixRequest, fix_document, parse_kinds, render_diff

__all__ = [
    "SAFE_KINDS",
    "ArchiveStyle",
    "Edit",
    "FixKind",
    "FixRequest",
    "FixResult",
    "Skipped",
    "fix_document",
    "parse_kinds",
    "render_diff",
]
