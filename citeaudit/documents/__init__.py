"""The documents a run reads, each into its catalog: the front of the data flow.

- `inputs`: which files (named files, folders walked, globs, `.gitignore` obeyed);
- `read`: each file's bytes (size-capped, or standard input) parsed and built into its catalog;
- `gcpolicy`: when the garbage collector runs during the heavy phases (parsing, probing).

Reading is the only I/O here: the readers (`parse/`) and the catalog (`catalog/`) are pure.
"""

from citeaudit.documents.read import (
    catalog_from_bytes,
    load_catalog,
    load_catalogs,
    read_input,
    read_raw,
)

__all__ = ["catalog_from_bytes", "load_catalog", "load_catalogs", "read_input", "read_raw"]
