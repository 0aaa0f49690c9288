"""One run's result for one document: the catalog, verdicts, scores, and what the run did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from citeaudit.models.catalog import Catalog
from citeaudit.models.scores import ClaimScore, OutletScore
from citeaudit.models.verdict import Verdict

REPORT_SCHEMA = "citeaudit.report/1"


@dataclass(frozen=True, slots=True)
class AppliedRule:
    """A run setting that changed what became of one URL: excluded, or remapped to another."""

    url: str
    action: str
    """`excluded` or `remapped`."""
    rule: str
    """The setting and the pattern that applied, e.g. `exclude *.example.com`."""
    target: str | None = None
    """For `remapped`: the URL probed instead."""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {"url": self.url, "action": self.action, "rule": self.rule, "target": self.target}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AppliedRule:
        """Rebuild from the JSON form."""
        return cls(str(data["url"]), str(data["action"]), str(data["rule"]), data.get("target"))


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What the run behind a result did: how many URLs, how many reused, archives asked or not."""

    urls: int = 0
    """Distinct URLs the run looked at (over every document of the run)."""
    from_cache: int = 0
    requests: int = 0
    seconds: float = 0.0
    """Wall time of the whole run, shared by every document of it (each URL is checked once for
    all of them): per-URL times overlap under concurrency and never add up to it."""
    hostname: str | None = field(default=None, compare=False)
    """The machine that ran the checks (JUnit's `hostname`); JSON reports leave it out, so it
    plays no part in comparing results."""
    archive: str | None = None
    """The archive asked (`wayback`, `memento`); None when archives were not asked."""
    archive_failed: int = 0
    """Archive lookups that failed (error, rate limit, unreachable) rather than answered."""
    settings: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """The run's settings, JSON-ready, each under its one name (flag, config key, echo)."""
    rules: tuple[AppliedRule, ...] = ()
    """The document's URLs that an exclude, include or remap rule changed."""
    network_available: bool = True
    """False when the run found no working network (its canaries did not resolve)."""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {
            "urls": self.urls,
            "from_cache": self.from_cache,
            "requests": self.requests,
            "seconds": self.seconds,
            "archive": self.archive,
            "archive_failed": self.archive_failed,
            "settings": dict(self.settings),
            "rules": [r.to_json() for r in self.rules],
            "network_available": self.network_available,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunFacts:
        """Rebuild from the JSON form."""
        return cls(
            urls=int(data.get("urls", 0)),
            from_cache=int(data.get("from_cache", 0)),
            requests=int(data.get("requests", 0)),
            seconds=float(data.get("seconds", 0.0)),
            archive=data.get("archive"),
            archive_failed=int(data.get("archive_failed", 0)),
            settings=dict(data.get("settings") or {}),
            rules=tuple(AppliedRule.from_json(r) for r in data.get("rules") or ()),
            network_available=bool(data.get("network_available", True)),
        )


@dataclass(frozen=True, slots=True)
class AuditResult:
    """Everything one run found about one document: what reporters render."""

    catalog: Catalog
    verdicts: dict[str, Verdict]
    """Keyed by normalized source URL (`Source.url`)."""
    claims: tuple[ClaimScore, ...] = ()
    outlets: tuple[OutletScore, ...] = ()
    generated_at: datetime | None = None
    notices: tuple[str, ...] = ()
    """Run-wide messages shown once at the top (e.g. network unavailable)."""
    hints: tuple[str, ...] = ()
    ignored: int = 0
    """How many sources or notes inline ignores silenced."""
    baseline: frozenset[str] | None = None
    """Keys of the problems a baseline already knew (citeaudit.evidence.baseline); None: none."""
    run: RunFacts | None = None
    """What the run did; None for results not made by a check run (e.g. `claims`)."""
