"""The unified diff of a fix, each change with its reason where a reviewer reads it.

The diff proper is difflib's grouping of changed lines (one line of context); `patch` and
`git apply` accept it. Before it comes a summary, one line per change (line, note, kind, what
became what, and why) and one per fix left undone, which patch tools skip as preamble; every
hunk header carries the kinds and notes of the changes it holds.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from citeaudit.fix.model import Edit, FixResult, Skipped

_CONTEXT = 1
_NO_NEWLINE = "\\ No newline at end of file\n"


def _range(start: int, length: int) -> str:
    """A hunk range as unified diffs write it (difflib's own rule)."""
    beginning = start + 1
    if length == 1:
        return str(beginning)
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def change_line(edit: Edit) -> str:
    """One summary line: where, which note, what kind, what became what, why."""
    what = f"added {edit.new.strip()}" if not edit.old else f"{edit.old} -> {edit.new}"
    where = f"{edit.part} " if edit.part else ""
    note = f" note {edit.note}" if edit.note is not None else ""
    return (
        f"  {where}line {edit.line} col {edit.column}{note}, {edit.kind}: {what}\n"
        f"    because: {edit.reason}\n"
    )


def skip_line(skip: Skipped) -> str:
    """One summary line for a fix not made."""
    where = f"line {skip.line}" if skip.line is not None else "?"
    note = f" note {skip.note}" if skip.note is not None else ""
    return f"  {where}{note}, {skip.kind}: {skip.url}\n    {skip.reason}\n"


def summary(result: FixResult) -> str:
    """The preamble: every change and every fix left undone, with reasons."""
    out = [f"citeaudit fix {result.path}: {_count(len(result.edits), 'change')}"]
    if result.skipped:
        out.append(f", {_count(len(result.skipped), 'fix', 'fixes')} not made")
    out.append("\n")
    out += [change_line(e) for e in result.edits]
    if result.skipped:
        out.append("not made:\n")
        out += [skip_line(s) for s in result.skipped]
    return "".join(out)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def unified(
    name: str, before: str, after: str, edits: Sequence[Edit], part: str | None = None
) -> str:
    """The unified diff of `before` -> `after`, each hunk header naming its changes."""
    a, b = split_lines(before), split_lines(after)
    # git's a/ and b/ prefixes, on the path as given (an absolute one without its root)
    label = (f"{name}:{part}" if part else name).lstrip("/")
    out = [f"--- a/{label}\n", f"+++ b/{label}\n"]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    hunks = 0
    for group in matcher.get_grouped_opcodes(_CONTEXT):
        hunks += 1
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        changed = {i + 1 for tag, lo, hi, _, _ in group if tag != "equal" for i in range(lo, hi)}
        why = sorted(
            {f"note {e.note} {e.kind}" if e.note is not None else str(e.kind) for e in edits
             if e.line in changed and e.part == part}
        )  # fmt: skip
        header = f"@@ -{_range(i1, i2 - i1)} +{_range(j1, j2 - j1)} @@"
        out.append(f"{header} {'; '.join(why)}\n" if why else f"{header}\n")
        for tag, lo, hi, jlo, jhi in group:
            if tag == "equal":
                out += _lines(" ", a[lo:hi])
                continue
            out += _lines("-", a[lo:hi])
            out += _lines("+", b[jlo:jhi])
    return "".join(out) if hunks else ""


def split_lines(text: str) -> list[str]:
    r"""Lines ending at newlines only (a form feed or a line separator inside a line stays).

    >>> split_lines("a\fb\nc")
    ['a\x0cb\n', 'c']
    """
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _lines(prefix: str, lines: Sequence[str]) -> list[str]:
    out = []
    for line in lines:
        out.append(prefix + line)
        if not line.endswith("\n"):
            out.append("\n" + _NO_NEWLINE)
    return out


def show(result: FixResult) -> str:
    """The unified diff of a fixed document (text, Markdown or HTML alike)."""
    before = result.before.decode(result.encoding, "replace")
    after = result.after.decode(result.encoding, "replace")
    return unified(result.path, before, after, result.edits)
