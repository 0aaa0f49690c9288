"""Command line: parse options, call the library, render, map errors to exit codes. No logic.

Exit codes: 0 clean, 1 findings that `--fail-on` names, 2 usage or input errors. Errors are one
line on stderr, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys

from citeaudit.commands import main
from citeaudit.documents.gcpolicy import rare_collections

__all__ = ["main", "run"]


def run() -> None:
    """The `citeaudit` program: `main`, then leave without tearing the interpreter down.

    Everything is written and every store closed when `main` returns; what is left is freeing
    the heap and the modules one object at a time, which cost a warm rerun of 5,000 URLs
    about 60 ms of its second (mypy's `hard_exit` does the same). `main` itself stays an
    ordinary click command, so tests and other programs can call it in their own process.
    """
    status = 0
    try:
        # one command, then the process ends: what start-up imported is set aside, and the
        # young collections that every import and parse otherwise triggers become rare
        with rare_collections(freeze=True):
            main(prog_name="citeaudit")
    except SystemExit as exc:  # what sys.exit would make of its argument
        if isinstance(exc.code, int):
            status = exc.code
        elif exc.code is not None:
            print(exc.code, file=sys.stderr)
            status = 1
    for stream in (sys.stdout, sys.stderr):
        # a reader that went away, a stream already closed: nothing more can be said
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    run()
