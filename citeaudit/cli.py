"""Command line: parse options, call the library, render, map errors to exit codes. No logic.

Exit codes: 0 clean, 1 findings that `--fail-on` names, 2 usage or input errors. Errors are one
line on stderr, never a traceback.
"""

from __future__ import annotations

from citeaudit.commands import main

__all__ = ["main"]

if __name__ == "__main__":
    main(prog_name="citeaudit")
