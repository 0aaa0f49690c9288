"""Where a report's documents live: the root that code scanning resolves their paths against.

Code scanning shows a result on a file of the repository only when the result's path is relative
to the repository root. `source_root` finds that root (the git work tree of the documents) and is
the only part that looks at the disk; `artifact_location` is the pure path arithmetic.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import quote

SRCROOT = "%SRCROOT%"


def absolute(path: str, cwd: Path) -> PurePosixPath:
    """`path` made absolute against `cwd`, `..` folded away, without reading the disk.

    >>> str(absolute("../b/r.md", Path("/w/a")))
    '/w/b/r.md'
    """
    return PurePosixPath(os.path.normpath(os.path.join(cwd, path)))


def source_root(paths: Iterable[str], cwd: Path) -> Path:
    """The git work tree holding the first document that is in one, else `cwd`."""
    for path in paths:
        if path == "-":
            continue
        folder = absolute(path, cwd).parent
        for candidate in (folder, *folder.parents):
            # a file named .git is a linked worktree or a submodule: a root all the same
            if os.path.exists(os.path.join(candidate, ".git")):
                return Path(candidate)
    return Path(absolute(".", cwd))


def artifact_location(path: str, root: Path, cwd: Path) -> dict[str, str]:
    """A SARIF artifactLocation: relative to `%SRCROOT%` inside `root`, else an absolute file URI.

    >>> artifact_location("docs/a b.md", Path("/repo"), Path("/repo"))
    {'uri': 'docs/a%20b.md', 'uriBaseId': '%SRCROOT%'}
    >>> artifact_location("/tmp/r.md", Path("/repo"), Path("/repo"))
    {'uri': 'file:///tmp/r.md'}
    """
    full = absolute(path, cwd)
    try:
        relative = full.relative_to(absolute(".", root))
    except ValueError:
        return {"uri": Path(full).as_uri()}
    return {"uri": quote(relative.as_posix(), safe="/-._~"), "uriBaseId": SRCROOT}


def root_uri(root: Path) -> str:
    """The file URI of a root folder, ending in `/` as SARIF requires of a base.

    >>> root_uri(Path("/home/me/my repo"))
    'file:///home/me/my%20repo/'
    """
    uri = Path(absolute(".", root)).as_uri()
    return uri if uri.endswith("/") else uri + "/"
