"""False positives and false negatives of the soft-404 decision on the hand-written corpus.

Compares the evidence-based rule in citeaudit.check.softnotfound with the rule it replaced (kept
here verbatim as `old_not_found_reason`), on tests/fixtures/softnotfound/{error,article}/*.html.
A false positive is a live article called a not-found page; a false negative is an error page
missed. Pure: no network. Run: `uv run python benchmarks/bench_softnotfound.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from citeaudit.check.softnotfound import (
    NOT_FOUND_PHRASES,
    _find,
    _norm,
    decode,
    extract_title,
    not_found_reason,
    visible_text,
)

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "softnotfound"
Rule = Callable[[str | None, str], str | None]


def old_not_found_reason(title: str | None, text: str) -> str | None:
    """The rule before issue 13: any title containing the phrase, any body phrase under 4,000."""
    if title:
        phrase = _find(title, NOT_FOUND_PHRASES)
        if phrase:
            return f'title says "{phrase}"'
        if "not found" in _norm(title):
            return 'title says "not found"'
        if re.match(r"\W{0,5}404(?!\d)", _norm(title)):
            return 'title says "404"'
    if text and len(text) < 4000:
        phrase = _find(text, NOT_FOUND_PHRASES)
        if phrase:
            return f'page says "{phrase}"'
    return None


def measure(rule: Rule) -> tuple[list[str], list[str], int, int]:
    """False positives, false negatives, and the number of articles and error pages."""
    fp, fn = [], []
    errors = sorted((CORPUS / "error").glob("*.html"))
    articles = sorted((CORPUS / "article").glob("*.html"))
    for path in errors + articles:
        page = decode(path.read_bytes())
        called_dead = rule(extract_title(page), visible_text(page)) is not None
        if path in articles and called_dead:
            fp.append(path.stem)
        if path in errors and not called_dead:
            fn.append(path.stem)
    return fp, fn, len(articles), len(errors)


def main() -> None:
    """Print the table."""
    print(f"{'rule':<6} {'false pos':>14} {'false neg':>14}")
    details = []
    for name, rule in (("old", old_not_found_reason), ("new", not_found_reason)):
        fp, fn, n_art, n_err = measure(rule)
        print(f"{name:<6} {len(fp):>4} / {n_art:<3} art {len(fn):>4} / {n_err:<3} err")
        details.append(f"{name}: FP={fp} FN={fn}")
    print("\n".join(details))


if __name__ == "__main__":
    main()
