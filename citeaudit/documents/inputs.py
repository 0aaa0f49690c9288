"""Which files a run reads: named files, directories walked, globs expanded, .gitignore obeyed.

People point a link checker at a folder or a quoted glob (`'reports/**/*.md'`), as they do with
lychee. A walk skips hidden folders and whatever the `.gitignore` files on the way list (parsed
by `pathspec`, git's own pattern rules), and keeps only the suffixes citeaudit reads; a glob's
matches are the files a walk from its folder (`reports` for `reports/**/*.md`) would keep.
Files found by a walk or a glob are optional: one that holds no citation is skipped with a
warning, never an abort; a file named on its own is required, and its error stops the run.

It reads no document: `documents` does that.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from citeaudit.errors import InputError

if TYPE_CHECKING:
    import pathspec

READABLE_SUFFIXES = frozenset(
    {".md", ".markdown", ".mdown", ".mkd", ".txt", ".html", ".htm", ".xhtml", ".docx", ".pdf",
     ".rst", ".rest", ".adoc", ".asciidoc", ".asc", ".tex", ".ltx"}
)  # fmt: skip
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class InputFile:
    """One document to read, and whether it was named itself or found by a walk or glob."""

    path: str
    named: bool
    """Named on the command line: its errors stop the run. Found ones are skipped instead."""


def _ignore_spec(directory: Path) -> pathspec.PathSpec | None:
    gitignore = directory / ".gitignore"
    if not gitignore.is_file():
        return None
    try:
        lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    # deferred: only a walked folder or an exclude glob needs it: 10-15 ms of start-up
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def walk(root: Path) -> list[Path]:
    """The readable files under `root`, sorted; hidden and git-ignored entries left out."""
    found: list[Path] = []
    # Each .gitignore applies to paths relative to its own folder: keep (folder, spec) pairs.
    stack: list[tuple[Path, list[tuple[Path, pathspec.PathSpec]]]] = [(root, [])]
    while stack:
        directory, specs = stack.pop()
        own = _ignore_spec(directory)
        if own is not None:
            specs = [*specs, (directory, own)]
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            is_dir = entry.is_dir(follow_symlinks=False)
            if _ignored(path, is_dir, specs):
                continue
            if is_dir:
                stack.append((path, specs))
            elif entry.is_file() and path.suffix.lower() in READABLE_SUFFIXES:
                found.append(path)
    return sorted(found)


def _ignored(path: Path, is_dir: bool, specs: list[tuple[Path, pathspec.PathSpec]]) -> bool:
    for base, spec in specs:
        relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        if spec.match_file(relative):
            return True
    return False


def _glob_base(pattern: str) -> Path:
    """The folder a glob starts in: its leading parts without a wildcard.

    >>> _glob_base("reports/**/*.md"), _glob_base("*.md"), _glob_base("../a/b?/c.md")
    (PosixPath('reports'), PosixPath('.'), PosixPath('../a'))
    """
    fixed: list[str] = []
    for part in Path(pattern).parts:
        if _GLOB_CHARS & set(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _git_ignored(path: Path, base: Path, cache: dict[Path, pathspec.PathSpec | None]) -> bool:
    """Whether a glob's match is one a walk from the glob's folder would leave out: it, or a
    folder on the way to it, is listed by a `.gitignore` from that folder down."""
    try:
        parts = path.relative_to(base).parts
    except ValueError:
        return False
    specs: list[tuple[Path, pathspec.PathSpec]] = []
    current = base
    for i, part in enumerate(parts):
        if current not in cache:
            cache[current] = _ignore_spec(current)
        own = cache[current]
        if own is not None:
            specs.append((current, own))
        current = current / part
        if _ignored(current, i < len(parts) - 1, specs):
            return True
    return False


def config_start(first: str) -> Path:
    """Where the configuration search starts for a run: the first input's folder, else here.

    A directory is its own folder; standard input and a glob (no such path) start at the
    working directory.
    """
    path = Path(first).resolve()
    if first == "-" or not path.exists():
        return Path.cwd()
    return path if path.is_dir() else path.parent


def path_excluder(patterns: tuple[str, ...] | list[str]) -> Callable[[str], str | None]:
    """A test naming the `exclude_path` pattern that leaves a path out, or None to read it.

    Globs follow .gitignore rules, matched against the path relative to the working directory
    (or as given when outside it); `re:REGEX` is searched in that path.

    >>> excluded = path_excluder(["drafts/", "re:[.]old[.]md$"])
    >>> excluded("drafts/a.md"), excluded("notes/b.old.md"), excluded("notes/b.md")
    ('drafts/', 're:[.]old[.]md$', None)
    """
    regexes = [(p, re.compile(p[3:])) for p in patterns if p.startswith("re:")]
    globs = [p for p in patterns if not p.startswith("re:")]
    if globs:
        import pathspec  # deferred: as in _ignore_spec, loaded when a glob is given
    specs = [(p, pathspec.GitIgnoreSpec.from_lines([p])) for p in globs]

    def excluded(path: str) -> str | None:
        if path == "-":
            return None
        shown = _relative(path)
        for pattern, regex in regexes:
            if regex.search(shown):
                return pattern
        for pattern, spec in specs:
            if spec.match_file(shown):
                return pattern
        return None

    return excluded


def _relative(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return p.as_posix()
    return p.as_posix().removeprefix("./")


def expand_inputs(
    paths: tuple[str, ...] | list[str], exclude_path: tuple[str, ...] | list[str] = ()
) -> list[InputFile]:
    """Files as given; a directory stands for the readable files inside it; a glob is expanded.

    Paths an `exclude_path` pattern matches are left out, named ones too.
    """
    found = _expand(paths)
    if not exclude_path:
        return found
    excluded = path_excluder(exclude_path)
    return [item for item in found if excluded(item.path) is None]


def _expand(paths: tuple[str, ...] | list[str]) -> list[InputFile]:
    out: list[InputFile] = []
    for p in paths:
        path = Path(p)
        if p == "-" or (path.exists() and not path.is_dir()):
            out.append(InputFile(p, named=True))
        elif path.is_dir():
            found = walk(path)
            if not found:
                raise InputError(f"{p}: directory holds no report (.md, .txt, .html, ...)")
            out.extend(InputFile(str(f), named=False) for f in found)
        elif _GLOB_CHARS & set(p):
            base = _glob_base(p)
            specs: dict[Path, pathspec.PathSpec | None] = {}
            matches = sorted(
                m
                for m in glob.glob(p, recursive=True)
                if Path(m).is_file()
                and Path(m).suffix.lower() in READABLE_SUFFIXES
                and not any(part.startswith(".") for part in Path(m).parts[:-1] if part != "..")
                and not _git_ignored(Path(m), base, specs)
            )
            if not matches:
                raise InputError(f"{p}: no file matches this pattern")
            out.extend(InputFile(m, named=False) for m in matches)
        else:
            out.append(InputFile(p, named=True))
    return out
