"""How every format words a value: a score, a cached verdict's age, a capture, a cut text.

Pure string helpers over the models, shared so the terminal, Markdown, HTML and CI outputs say
the same thing the same way. They return raw text: escaping is each format's job (see `text.py`).
"""

from __future__ import annotations

from datetime import datetime

from citeaudit.models import ArchiveSnapshot, ClaimScore, Verdict


def score_text(score: ClaimScore) -> str:
    """A claim's score as a percentage, or `n/a` when nothing could be checked.

    >>> from citeaudit.models import Claim, Risk
    >>> claim = Claim(1, 1, "x", (1,))
    >>> score_text(ClaimScore(claim, 3, 2, 0, 2, 1, 0, 2, 2, 2 / 3, Risk.DEGRADED))
    '67%'
    >>> score_text(ClaimScore(claim, 1, 0, 0, 0, 0, 1, 1, 0, None, Risk.SINGLE_SOURCE))
    'n/a'
    """
    return "n/a" if score.score is None else f"{score.score:.0%}"


def distinguish(a: str, b: str, context: int = 16) -> tuple[str, str]:
    """Two similar URLs with their shared start elided, so where they differ stays visible.

    >>> distinguish("https://news.example/world/2023/article-x", "https://news.example/world/2023/aticle-x")
    ('…ple/world/2023/article-x', '…ple/world/2023/aticle-x')
    >>> distinguish("https://a.example/x", "https://b.example/x")
    ('https://a.example/x', 'https://b.example/x')
    """
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    cut = shared - context
    if cut <= 1:
        return a, b
    return "…" + a[cut:], "…" + b[cut:]


def cached_text(verdict: Verdict | None, now: datetime | None) -> str | None:
    """`cached 3 h ago` for a verdict reused from the store; None for a fresh one.

    >>> from datetime import UTC, timedelta
    >>> from citeaudit.models import LinkStatus
    >>> t = datetime(2024, 5, 1, 12, tzinfo=UTC)
    >>> v = Verdict("https://a.example/", LinkStatus.ALIVE, "200 OK", checked_at=t, from_cache=True)
    >>> cached_text(v, t + timedelta(hours=3, minutes=10))
    'cached 3 h ago'
    >>> cached_text(v, t + timedelta(days=2))
    'cached 2 d ago'
    """
    if verdict is None or not verdict.from_cache:
        return None
    if verdict.checked_at is None or now is None:
        return "cached"
    seconds = max(0.0, (now - verdict.checked_at).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"cached {int(seconds // size)} {unit} ago"
    return "cached just now"


def middle(text: str, limit: int) -> str:
    """Text cut in the middle to `limit` characters, so a URL keeps its host and its end.

    >>> middle("https://news.example/world/2023/08/03/a-long-slug-here", 32)
    'https://news.ex…a-long-slug-here'
    """
    if len(text) <= limit or limit < 5:
        return text
    head = (limit - 1) // 2
    tail = limit - 1 - head
    return f"{text[:head]}…{text[len(text) - tail :]}"


def shorten(text: str, limit: int = 100) -> str:
    """Text cut to `limit` characters on a word boundary, with an ellipsis.

    >>> shorten("one two three", 9)
    'one two…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut + "…"


def snapshot_text(snapshot: ArchiveSnapshot) -> str:
    """`URL (YYYY-MM-DD)` for a capture."""
    when = f" ({snapshot.timestamp.date().isoformat()})" if snapshot.timestamp else ""
    return f"{snapshot.url}{when}"
