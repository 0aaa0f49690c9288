"""What one `check` run is asked to do beyond probing, and the few facts every stage shares.

Why apart: settings, the URL plan and the corpus read these without running an audit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from citeaudit.check.archive import ArchiveOptions
from citeaudit.check.options import CheckOptions
from citeaudit.check.runplan import dedupe_key


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """What one `check` run does beyond probing: archives, exclusions, per-host acceptance."""

    check: CheckOptions = field(default_factory=CheckOptions)
    archive: ArchiveOptions | None = field(default_factory=ArchiveOptions)
    """None: no archive lookups (`--no-archive`)."""
    exclude: tuple[str, ...] = ()
    """URL patterns never probed (glob, or `re:` regex): verdict `skipped`."""
    include: tuple[str, ...] = ()
    """URL patterns: when any is given, only matching URLs are probed (a match beats exclude)."""
    accept: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    """Host -> statuses treated as alive for that host (e.g. 403 from a bot-walled site); the
    host `*` is every host."""
    settings: Mapping[str, Any] = field(default_factory=dict)
    """The run's settings as the JSON report echoes them (citeaudit.audit.settings.echo)."""
    remap: tuple[Any, ...] = ()
    """`--remap` rules (citeaudit.catalog.remap.Remap), the first match applies."""
    base_url: str | None = None
    """Where relative links point: a web address (probed) or the site's root folder (on disk)."""
    offline: bool = False
    """Probe nothing: web links `skipped`, local files still checked."""
    include_fragments: bool = False
    """Check that a cited `#fragment` names an anchor (or text) on its page."""
    require_https: bool = False
    """Flag (a finding) `http://` links whose site answers on https."""
    outlet_aliases: Mapping[str, str] = field(default_factory=dict)
    outlet_kinds: Mapping[str, str] = field(default_factory=dict)
    """Outlet -> kind (`state_media`, `government`, `social`, "" for none) over the built-ins."""
    as_of: date | None = None
    """Overrides every document's date for archive lookups (`--as-of`)."""
    confirm: Any = None
    """`--confirm N:DAYS` (a citeaudit.evidence.history.Confirm); None: confirm at once (1:0)."""
    drift: Any = None
    """Content drift and quote search (a citeaudit.evidence.drift.DriftOptions); None: off."""
    now: datetime | None = None
    """The run's clock (tests): probes are stamped with it and cache ages measured from it."""


def store_key(url: str) -> str:
    """The key the store files a URL's probes under (fragment and default port dropped)."""
    return dedupe_key(url) or url
