"""The pages the probe already read, kept for `--include-fragments`, so a page is fetched once.

The probe GETs an HTML (or plain-text Markdown) page to judge it; when the page is cited with a
`#fragment`, what the fragment check needs is taken from that same body: the anchors, and the
visible text only when a text fragment asks for it (never the body itself). A page is read again
(`check.fragments.fetch_pages`) only when the probe did not read its body (a HEAD settled it, a
cached verdict, an answer whose type it skips) or the body stopped at `max_body` before the
cited anchor.

The keeper is handed to `check_urls(keep_pages=...)` and reaches each probe through its
`ProbeContext`; a run without one keeps nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from citeaudit.catalog.normalize import normalize
from citeaudit.check.anchors import Page, fragment_problem, page_of


@dataclass(frozen=True, slots=True)
class KeptPage:
    """What the fragment check needs of a page the probe read."""

    page: Page
    whole: bool
    """The body was read to its end: an anchor not in it is not on the page."""


def _key(url: str) -> str | None:
    normalized = normalize(url)
    return normalized.key if normalized.valid else None


def _fragment(url: str) -> str:
    return urlsplit(url).fragment if "#" in url else ""


@dataclass
class PageKeeper:
    """The pages to keep (by resource key) and those kept so far."""

    wanted: dict[str, bool]
    """Resource key -> whether a text fragment (`#:~:text=`) is cited on it (keep its text)."""
    kept: dict[str, KeptPage] = field(default_factory=dict)

    @classmethod
    def for_targets(cls, targets: Iterable[str]) -> PageKeeper:
        """A keeper for the probed URLs that carry a fragment."""
        wanted: dict[str, bool] = {}
        for target in targets:
            fragment = _fragment(target)
            key = _key(target) if fragment else None
            if key is not None:
                wanted[key] = wanted.get(key, False) or ":~:" in fragment
        return cls(wanted)

    def keep(
        self, url: str, final_url: str, headers: Mapping[str, str], body: bytes, whole: bool
    ) -> None:
        """Keep the anchors (and text, if asked for) of the 2xx page `url` led to."""
        if url not in self.wanted:
            return
        key = _key(final_url)
        if key is None:
            return
        # deferred: only --include-fragments reads pages, and check.fragments speaks httpx,
        # which a run answered from the store never loads
        from citeaudit.check.fragments import is_markdown
        from citeaudit.check.softnotfound import decode

        ctype = headers.get("content-type", "")
        page = page_of(decode(body, ctype), markdown=is_markdown(final_url, ctype))
        if not self.wanted[url]:
            page = Page(page.anchors, "")  # no text fragment cited here: keep the anchors only
        self.kept[key] = KeptPage(page, whole)

    def usable(self, wanted: Mapping[str, str], targets: Mapping[str, str]) -> dict[str, Page]:
        """Page URL -> kept page, for the pages that settle every fragment cited on them.

        `wanted` maps a cited URL to the page read for its fragment (urlplan.fragment_pages),
        `targets` a cited URL to the URL probed for it, which carries the fragment.
        """
        fragments: dict[str, list[str]] = {}
        for cited, page_url in wanted.items():
            fragments.setdefault(page_url, []).append(_fragment(targets.get(cited, cited)))
        out: dict[str, Page] = {}
        for page_url, needed in fragments.items():
            key = _key(page_url)
            kept = self.kept.get(key) if key is not None else None
            # a cut-off body proves an anchor present, never one absent
            if kept is not None and (
                kept.whole or all(fragment_problem(f, kept.page) is None for f in needed)
            ):
                out[page_url] = kept.page
        return out


def keep_page(
    keeper: PageKeeper | None,
    url: str,
    final_url: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes | None,
    *,
    whole: bool,
) -> None:
    """Hand a probe's answer to the run's keeper, if there is one and the page was read."""
    if keeper is not None and body is not None and 200 <= status < 300:
        keeper.keep(url, final_url, headers, body, whole)
