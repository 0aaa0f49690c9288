"""The `citeaudit` commands, one module per command (or group of commands).

Each module only turns options into a typed request, calls the library, renders, and maps the
outcome to an exit code; importing the package registers every command on `main`.

Why command bodies import the library inside the function: importing this package registers
every command, so `citeaudit parse` or `--help` would otherwise pay at start-up for what only
`check` needs (httpx, the stores, the archive clients). Module level holds click and the
options only.
"""

from citeaudit.commands import archive, catalog, check, corpus, fix, report, store
from citeaudit.commands.base import main

__all__ = ["archive", "catalog", "check", "corpus", "fix", "main", "report", "store"]
