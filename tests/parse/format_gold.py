"""Compare a catalog read from a converted form of the sample report with the acceptance gold.

Shared by the HTML, DOCX and PDF tests. Sources are compared per note, by URL (or one of the
gold's accepted alternates), with the same count and order; `as_written` and the flags that only
describe the notation (an HTML/DOCX hyperlink is written as a link, not as `<url>`) are not.
Each format's test passes the exceptions its conversion caused, each with the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_GOLD = ROOT.parent / "shared" / "acceptance" / "isw-2023-08-03-syria.gold.json"
_LOCAL = Path(__file__).parent / "isw-2023-08-03-syria.gold.json"


def gold() -> dict:
    """The acceptance gold (shared copy, else the one committed beside the tests)."""
    return json.loads((_GOLD if _GOLD.exists() else _LOCAL).read_text(encoding="utf-8"))


def upper_percent(url: str) -> str:
    """Percent-escapes in upper case (LibreOffice rewrites link targets that way)."""
    return re.sub(r"%[0-9a-f]{2}", lambda m: m.group().upper(), url)


def assert_matches_gold(
    catalog,
    exceptions: dict[tuple[int, int], str],
    normalize: Callable[[str], str] = lambda u: u,
) -> None:
    """Every note's sources match the gold except the (note, index) pairs given, with reasons."""
    want_all = gold()
    problems = []
    for key, note in want_all["notes"].items():
        number = int(key)
        got = [normalize(s.url) for s in catalog.note(number).sources]
        want = [{normalize(u) for u in (s["url"], *s["alternates"])} for s in note["sources"]]
        if len(got) != len(want):
            problems.append(f"note {number}: {len(got)} sources, gold has {len(want)}: {got}")
            continue
        for index, (url, accepted) in enumerate(zip(got, want, strict=True)):
            if url not in accepted and (number, index) not in exceptions:
                problems.append(f"note {number} source {index}: {url} not in {sorted(accepted)}")
            if url in accepted and (number, index) in exceptions:
                problems.append(f"note {number} source {index}: listed as an exception but matches")
    assert not problems, "\n".join(problems)
    claims = [(list(c.notes), " ".join(c.text.split()[:8])) for c in catalog.claims]
    assert claims == [(c["cites"], c["starts_with"]) for c in want_all["claims"]]
    assert catalog.document.title == want_all["title"]
    assert catalog.document.date.isoformat() == want_all["date"]
