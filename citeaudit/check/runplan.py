"""Before a run probes anything: which resource each URL names, and what is already settled.

Every URL given is either never probed (truncated, malformed), or filed under the resource it
names (`dedupe_key`: fragment and default port dropped), so each resource is probed once
however often and however spelt it was cited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from citeaudit.catalog.normalize import normalize
from citeaudit.models import LinkStatus, Verdict


def dedupe_key(url: str) -> str | None:
    """The resource a URL names (fragment and default port dropped), or None if malformed.

    >>> dedupe_key("HTTPS://Example.org:443/a#x")
    'https://example.org/a'
    >>> dedupe_key("mailto:a@b.c") is None
    True
    """
    n = normalize(url)
    return n.key if n.valid else None


def truncated(url: str) -> bool:
    """Whether a URL was cut short in the document (ends with an ellipsis)."""
    return url.rstrip().endswith(("…", "...", "%E2%80%A6", "%e2%80%a6"))


def excluded(host: str, exclude: tuple[str, ...]) -> bool:
    """Whether `host` is one of the `exclude` hosts (`.example.org`: it and its subdomains)."""
    for rule in exclude:
        rule = rule.lower()
        if host == rule.lstrip(".") or (rule.startswith(".") and host.endswith(rule)):
            return True
    return False


@dataclass(frozen=True, slots=True)
class RunPlan:
    """The URLs of a run filed by the resource they name."""

    by_key: dict[str, list[str]]
    """Resource key -> every URL given that names it, in the order given."""
    host_of: dict[str, str]
    """Resource key -> its host."""
    invalid: dict[str, Verdict]
    """URL given -> its verdict, for the URLs never probed (truncated, malformed)."""

    @property
    def hosts(self) -> set[str]:
        """Every host of the run."""
        return set(self.host_of.values())

    def as_given(self, key_verdicts: dict[str, Verdict], urls: Sequence[str]) -> dict[str, Verdict]:
        """The verdicts keyed (and labelled) by the URLs given, in their order."""
        results = dict(self.invalid)
        for key, given in self.by_key.items():
            v = key_verdicts[key]
            for url in given:
                results[url] = v if v.url == url else replace(v, url=url)
        return {u: results[u] for u in dict.fromkeys(urls)}


def plan_run(urls: Sequence[str]) -> RunPlan:
    """File every URL under its resource key, or give it its never-probed verdict."""
    by_key: dict[str, list[str]] = {}
    host_of: dict[str, str] = {}
    invalid: dict[str, Verdict] = {}
    for url in urls:
        if truncated(url):
            invalid[url] = Verdict(url, LinkStatus.INVALID, "truncated URL; not probed")
            continue
        normalized = normalize(url)  # one parse per URL gives both the key and the host
        if not normalized.valid:
            invalid[url] = Verdict(url, LinkStatus.INVALID, "malformed URL; not probed")
            continue
        by_key.setdefault(normalized.key, []).append(url)
        host_of[normalized.key] = normalized.host
    return RunPlan(by_key, host_of, invalid)
