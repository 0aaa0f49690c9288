"""The catalog: what a parsed document cites, as claims -> notes -> sources.

`build.py` turns a parser's raw notes into sources (repaired URLs, flags, outlets); `normalize.py`
gives each URL its one key; `outlets.py` names who published it; `findings.py` notices what a
reader should know about the document itself (notes never cited; `typos.py`: possible typos),
from `occurrences.py`'s index of who cites what; `hosts.py` matches hosts to domains; `remap.py`
rewrites a cited URL to the one probed (`--remap`). Pure, no I/O.
"""

from citeaudit.catalog.build import build_catalog, note_sources, source_from_ref, urls_in_text

__all__ = ["build_catalog", "note_sources", "source_from_ref", "urls_in_text"]
