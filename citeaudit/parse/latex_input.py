r"""`\input{file}` and `\include{file}`: a LaTeX document's chapters, read where they are included.

A thesis or a report keeps its chapters in files of their own, so their footnotes and citations
are only read when the chapters are put in place, as LaTeX does: names are relative to the main
document (a `.tex` extension is tried first), footnotes number on across chapters, and the
bibliography of the main file serves them all. Everything an included file holds is placed at the
`\input` line of the main document that brought it in (a `Span` names no file).

It is bounded: a file that includes itself (directly or not) is read once, inclusion stops
`MAX_DEPTH` files deep, and at `MAX_FILES` files or `MAX_TEXT` characters in all. A file that
cannot be read, an absolute name, or a cycle is skipped with a finding, never an error. A command
in a comment includes nothing.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from citeaudit.models import Finding, FindingKind, Span
from citeaudit.parse.siblings import Loader

MAX_DEPTH = 8
MAX_FILES = 500
MAX_TEXT = 32 * 1024 * 1024
_INPUT = re.compile(r"(?<!\\)%[^\n]*|\\(input|include)\s*\{([^{}\n]{1,500})\}")


@dataclass(frozen=True)
class Expanded:
    """The document with its inclusions in place, and where each character was written."""

    text: str
    starts: tuple[int, ...]
    """Offsets in `text` where a run of the main document, or of an included file, starts."""
    origins: tuple[int | Span, ...]
    """For each run: the offset in the main document it copies, or the `\\input` that brought it."""
    main_lines: tuple[int, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def included(self) -> bool:
        """Whether any file was put in place."""
        return any(isinstance(origin, Span) for origin in self.origins)

    def at(self, i: int) -> Span:
        """Where the character `text[i]` was written, in the main document."""
        k = max(0, bisect_right(self.starts, i) - 1)
        origin = self.origins[k] if self.origins else 0
        if isinstance(origin, Span):
            return origin
        offset = origin + i - (self.starts[k] if self.starts else 0)
        row = bisect_right(self.main_lines, offset) - 1
        return Span(row + 1, offset - self.main_lines[row] + 1)


@dataclass
class _Expander:
    load: Loader
    parts: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    origins: list[int | Span] = field(default_factory=list)
    size: int = 0
    files: int = 0
    capped: bool = False
    said: set[tuple[str, str, str]] = field(default_factory=set)
    missing: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)

    def emit(self, text: str, origin: int | Span) -> None:
        if text:
            self.starts.append(self.size)
            self.origins.append(origin)
            self.parts.append(text)
            self.size += len(text)

    def skip(self, command: str, name: str, why: str, line: int) -> None:
        if (command, name, why) in self.said:
            return  # once per file and reason: ten thousand \\input{missing} say it once
        self.said.add((command, name, why))
        message = f"\\{command}{{{name}}} on line {line} was not read ({why})"
        self.findings.append(Finding(FindingKind.INPUT_NOT_READ, message, line=line))

    def expand(
        self, text: str, chain: tuple[str, ...], where: Span | None, lines: list[int]
    ) -> None:
        """Emit `text` with its inclusions in place; `where` is None for the main document."""
        at = 0
        for m in _INPUT.finditer(text):
            if m.group(1) is None:
                continue  # a comment, to the end of its line: commands in it include nothing
            here = where
            if here is None:
                row = bisect_right(lines, m.start()) - 1
                here = Span(row + 1, m.start() - lines[row] + 1)
            content, name = self.read(m.group(1), m.group(2).strip(), chain, here.line)
            if content is None:
                continue  # the command stays: the scanner drops it
            self.emit(text[at : m.start()], at if where is None else where)
            self.expand(content, (*chain, name), here, lines)
            at = m.end()
        self.emit(text[at:], at if where is None else where)

    def read(
        self, command: str, name: str, chain: tuple[str, ...], line: int
    ) -> tuple[str | None, str]:
        """The text of the file `name` names, or None (and a finding) when it is not read."""
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
            self.skip(command, name, "an absolute name", line)
            return None, name
        if len(chain) > MAX_DEPTH:
            self.skip(command, name, f"more than {MAX_DEPTH} files deep", line)
            return None, name
        # \include always adds `.tex`; \input tries it first, as TeX does
        if command == "include" or not name.endswith(".tex"):
            candidates = [name + ".tex"] if command == "include" else [name + ".tex", name]
        else:
            candidates = [name]
        for candidate in (posixpath.normpath(c.replace("\\", "/")) for c in candidates):
            if candidate in chain:
                self.skip(command, name, "it includes itself", line)
                return None, name
            if self.files >= MAX_FILES:
                if not self.capped:  # one finding says it; thousands more would bury the rest
                    self.capped = True
                    self.skip(command, name, f"the document includes over {MAX_FILES} files", line)
                return None, name
            data = None if candidate in self.missing else self.load(candidate)
            if data is None:
                self.missing.add(candidate)
            if data is not None and self.size + len(data) > MAX_TEXT:
                self.skip(command, name, f"the included text is over {MAX_TEXT >> 20} MB", line)
                return None, name
            if data is not None:
                self.files += 1
                text = data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
                return text, candidate
        self.skip(command, name, "no such file beside the document", line)
        return None, name


def line_starts(text: str) -> list[int]:
    """Offsets where each line of `text` starts."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


def expand_inputs(text: str, load: Loader | None, name: str = "") -> Expanded:
    """The document with every `\\input`/`\\include` it can read put in place."""
    lines = line_starts(text)
    if load is None or "\\in" not in text:
        return Expanded(text, (0,), (0,), tuple(lines))
    expander = _Expander(load)
    expander.expand(text, (name,), None, lines)
    return Expanded(
        "".join(expander.parts),
        tuple(expander.starts) or (0,),
        tuple(expander.origins) or (0,),
        tuple(lines),
        tuple(expander.findings),
    )
