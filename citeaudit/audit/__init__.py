"""Wire the stages for a `check` run: catalogs -> verdicts -> scored results.

This is the library entry point the CLI (and other programs) call. Every URL of every document
is probed once; each document is then scored on its own. The cache and the progress callbacks
are handed in, so tests and other programs can drive it; the network is touched only through
`citeaudit.check`.

- `request`: every `check` option, typed and named once (`CheckRequest`);
- `settings`: a request merged over a document's configuration into `AuditOptions`;
- `options`: what a run is asked to do (`AuditOptions`), and the store's key for a URL;
- `prepare`: catalogs made ready (outlet aliases, ignored notes out);
- `probing`: the URLs probed, the archives asked, the extra checks (fragments, https, drift);
- `catalogs`: every catalog checked and scored (`check_catalogs`, `check_documents`);
- `run`: one audit from a `CheckRequest` to an `Outcome`.
"""

from citeaudit.audit.catalogs import check_catalogs, check_documents
from citeaudit.audit.options import AuditOptions, store_key
from citeaudit.audit.prepare import apply_outlet_aliases, without_ignored
from citeaudit.audit.run import Outcome, excluded_paths, input_paths, run
from citeaudit.check.urlplan import not_probed_verdict

__all__ = [
    "AuditOptions",
    "Outcome",
    "apply_outlet_aliases",
    "check_catalogs",
    "check_documents",
    "excluded_paths",
    "input_paths",
    "not_probed_verdict",
    "run",
    "store_key",
    "without_ignored",
]
