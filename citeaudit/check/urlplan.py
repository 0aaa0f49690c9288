"""Before any probe, what becomes of each cited URL; after it, the verdicts filed as cited.

A cited URL is never probed (invalid, excluded by an `exclude` or `include` rule, `--offline`),
probed as itself, or probed at another URL (`--remap`, a relative link under a web
`--base-url`); every rule that applied is kept for the report (`run.rules`). After the probes,
verdicts go back under the cited URLs, `--include-fragments` turns live pages whose anchor is
gone into `fragment_missing`, `--require-https` adds findings, and relative links are checked
on disk. All pure but `local_verdicts`, which looks at the file system.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from citeaudit.catalog.normalize import normalize
from citeaudit.catalog.remap import remap
from citeaudit.check.anchors import fragment_problem
from citeaudit.check.links import check_local, is_web_base, local_target, web_target
from citeaudit.config import url_rule
from citeaudit.models import (
    AppliedRule,
    Catalog,
    Finding,
    FindingKind,
    Flag,
    LinkStatus,
    Source,
    Verdict,
)

if TYPE_CHECKING:
    from citeaudit.audit import AuditOptions


OFFLINE_NOTICE = "offline (--offline): web links were not probed; local files were checked"


@dataclass(frozen=True, slots=True)
class UrlPlan:
    """What becomes of each cited URL before any probe: a fixed verdict, or the URL probed."""

    fixed: dict[str, Verdict]
    probe: dict[str, str]
    """Cited URL -> the URL probed for it (itself, or where a remap or --base-url sent it)."""
    applied: dict[str, AppliedRule]


def not_probed_verdict(source: Source, now: datetime) -> Verdict | None:
    """The verdict of a source that must never be probed (truncated or malformed), if any."""
    if Flag.TRUNCATED in source.flags:
        reason = "truncated URL (ends with '...'): cannot be checked; replace it with the full link"
    elif Flag.INVALID in source.flags:
        reason = "malformed URL: cannot be checked"
    else:
        return None
    return Verdict(url=source.url, status=LinkStatus.INVALID, reason=reason, checked_at=now)


def plan_urls(catalogs: Sequence[Catalog], options: AuditOptions, now: datetime) -> UrlPlan:
    """Sort every cited URL: never probed (and why), or probed at which URL."""
    web_base = options.base_url if is_web_base(options.base_url) else None
    fixed: dict[str, Verdict] = {}
    probe: dict[str, str] = {}
    applied: dict[str, AppliedRule] = {}

    def skip(url: str, reason: str) -> None:
        fixed[url] = Verdict(url=url, status=LinkStatus.SKIPPED, reason=reason, checked_at=now)

    for catalog in catalogs:
        for _, source in catalog.sources():
            url = source.url
            if url in fixed or url in probe:
                continue
            target = url
            if Flag.RELATIVE in source.flags:
                if web_base is None:
                    continue  # a local file: checked on disk, per document
                target = normalize(web_target(url, web_base)).url
                applied[url] = AppliedRule(url, "resolved", f"base_url {web_base}", target)
            verdict = not_probed_verdict(source, now)
            if verdict is not None:
                fixed[url] = verdict
                continue
            rule = url_rule(target, options.exclude, options.include)
            if rule is not None:
                applied[url] = AppliedRule(url, "excluded", rule)
                skip(url, f"excluded by configuration ({rule})")
                continue
            moved = remap(target, options.remap)
            if moved is not None:
                target = normalize(moved[0]).url
                applied[url] = AppliedRule(url, "remapped", f"remap {moved[1].text}", target)
                if not normalize(target).valid:
                    fixed[url] = Verdict(
                        url, LinkStatus.INVALID, f"remapped to a malformed URL: {target}"
                    )
                    continue
            if options.offline:
                skip(url, "not probed: --offline")
                continue
            scheme = target.split(":", 1)[0].lower()
            if scheme not in PROBED_SCHEMES:
                # a source all the same (an ftp file server), but nothing here speaks its protocol
                skip(url, f"{scheme}:// links are not checked (only http and https)")
                continue
            probe[url] = target
    return UrlPlan(fixed, probe, applied)


PROBED_SCHEMES = frozenset({"http", "https"})
"""The schemes the checker speaks; a source in any other (ftp://) is listed, never probed."""


def as_cited(plan: UrlPlan, probed: Mapping[str, Verdict]) -> dict[str, Verdict]:
    """Probes filed under the URLs the documents cite; a remapped one says where it went."""
    out: dict[str, Verdict] = {}
    for url, target in plan.probe.items():
        verdict = probed.get(target)
        if verdict is None:
            continue
        if target != url:
            rule = plan.applied.get(url)
            how = "remapped" if rule is not None and rule.action == "remapped" else "resolved"
            verdict = dataclasses.replace(
                verdict, url=url, reason=f"{verdict.reason} ({how} to {target})"
            )
        out[url] = verdict
    return out


def _fragment(url: str) -> str:
    return urlsplit(url).fragment if "#" in url else ""


def is_live_verdict(verdict: Verdict | None) -> bool:
    return verdict is not None and verdict.status.is_live


def with_https_findings(catalog: Catalog, secure: Mapping[str, str]) -> Catalog:
    """The catalog with one `https_available` finding per `http://` source that has a twin."""
    found: dict[str, list[int]] = {}
    for note, source in catalog.sources():
        if source.url in secure:
            found.setdefault(source.url, []).append(note.number)
    findings = tuple(
        Finding(
            kind=FindingKind.HTTPS_AVAILABLE,
            message=f"{url} answers on https: cite {secure[url]}",
            notes=tuple(dict.fromkeys(notes)),
            urls=(url,),
        )
        for url, notes in found.items()
    )
    return dataclasses.replace(catalog, findings=(*catalog.findings, *findings))


def _page_url(target: str, verdict: Verdict | None) -> str | None:
    """The page to read for a target's fragment: live pages cited with a fragment only."""
    if not _fragment(target) or verdict is None or not verdict.status.is_live:
        return None
    return (verdict.final_url or target).split("#", 1)[0]


def fragment_pages(plan: UrlPlan, probed: Mapping[str, Verdict]) -> dict[str, str]:
    """Cited URL -> the page (no fragment) to read for its fragment, for live pages only."""
    out: dict[str, str] = {}
    for url, target in plan.probe.items():
        page = _page_url(target, probed.get(target))
        if page is not None:
            out[url] = page
    return out


def with_fragments(
    verdicts: dict[str, Verdict], plan: UrlPlan, pages: Mapping[str, Any]
) -> dict[str, Verdict]:
    """Verdicts (keyed as cited) of live pages whose fragment names nothing: `fragment_missing`."""
    if not pages:
        return verdicts
    out = dict(verdicts)
    for url, target in plan.probe.items():
        verdict = verdicts.get(url)
        page_url = _page_url(target, verdict)
        page = pages.get(page_url) if page_url is not None else None
        if verdict is None or page is None:
            continue
        problem = fragment_problem(_fragment(target), page)
        if problem is not None:
            out[url] = dataclasses.replace(
                verdict,
                status=LinkStatus.FRAGMENT_MISSING,
                reason=f"{problem} (the page answered: {verdict.reason})",
            )
    return out


def local_verdicts(catalog: Catalog, options: AuditOptions, now: datetime) -> dict[str, Verdict]:
    """Relative links of one document checked on disk (none under a web --base-url)."""
    if is_web_base(options.base_url):
        return {}
    out: dict[str, Verdict] = {}
    for _, source in catalog.sources():
        if Flag.RELATIVE in source.flags and source.url not in out:
            target = local_target(source.url, catalog.document.path, options.base_url)
            out[source.url] = check_local(
                source.url, target, now, fragments=options.include_fragments
            )
    return out
