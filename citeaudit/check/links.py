"""Links relative to the document: local files checked on disk, or pages under `--base-url`.

A Markdown or HTML report links its own folder (`./methods.md`, `../img/map.png`) and its own
site (`/about`). Without `--base-url` a relative link names a file next to the document and is
checked on disk; a root-relative one (`/about`) needs to know where the site's root is, so it is
skipped with a reason saying so. `--base-url` is either a web address, and every relative link
is then resolved against it and probed like any URL, or a folder (the site's root on disk), and
root-relative links are then looked up under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from citeaudit.check.anchors import MARKDOWN_SUFFIXES, fragment_problem, page_of
from citeaudit.models import LinkStatus, Verdict


@dataclass(frozen=True, slots=True)
class LocalTarget:
    """Where a relative link points on disk, and its `#fragment` (as written; "" when none)."""

    path: Path
    fragment: str


def is_web_base(base_url: str | None) -> bool:
    """Whether `--base-url` is a web address (rather than a folder on disk).

    >>> is_web_base("https://example.org/docs/"), is_web_base("./public"), is_web_base(None)
    (True, False, False)
    """
    return bool(base_url) and urlsplit(base_url or "").scheme.lower() in ("http", "https")


def web_target(link: str, base_url: str) -> str:
    """The URL a relative link names under a web `--base-url`.

    >>> web_target("/about", "https://example.org/docs/")
    'https://example.org/about'
    >>> web_target("./b.html#x", "https://example.org/docs/")
    'https://example.org/docs/b.html#x'
    """
    return urljoin(base_url, link)


def local_target(link: str, document: str, base_dir: str | None = None) -> LocalTarget | None:
    """The file a relative link names, from the document's folder; None for a root-relative
    link without a folder to root it in.

    >>> local_target("../img/a%20b.png#top", "reports/2024/r.md")
    LocalTarget(path=PosixPath('reports/img/a b.png'), fragment='top')
    >>> local_target("/about.md", "r.md") is None
    True
    """
    parts = urlsplit(link)
    path = unquote(parts.path)
    fragment = parts.fragment
    if path.startswith("/"):
        if base_dir is None:
            return None
        return LocalTarget(Path(base_dir) / path.lstrip("/"), fragment)
    folder = Path.cwd() if document == "-" else Path(document).parent
    if not path:
        # `?query` or `#fragment` alone: the document itself
        return LocalTarget(Path(document), fragment)
    joined = folder / path
    # keep the path as the user would write it: `reports/img/a.png`, not an absolute one
    return LocalTarget(Path(_collapse(joined.as_posix())), fragment)


def _collapse(path: str) -> str:
    """`a/b/../c` -> `a/c` without touching the disk (symlinks are the file system's business)."""
    out: list[str] = []
    absolute = path.startswith("/")
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == ".." and out and out[-1] != "..":
            out.pop()
        elif part == ".." and absolute:
            continue
        else:
            out.append(part)
    return ("/" if absolute else "") + "/".join(out) or "."


def check_local(
    link: str, target: LocalTarget | None, now: datetime, *, fragments: bool = False
) -> Verdict:
    """The verdict of a relative link checked on disk (never the network); with `fragments`,
    its `#fragment` is looked for in the file (Markdown headings, HTML anchors)."""
    if target is None:
        return Verdict(
            url=link,
            status=LinkStatus.SKIPPED,
            reason="root-relative link: give --base-url (the site's address or its root folder)",
            checked_at=now,
        )
    shown = target.path.as_posix()
    if target.path.is_file():
        problem = _fragment_problem(target) if fragments and target.fragment else None
        if problem is not None:
            return Verdict(
                link,
                LinkStatus.FRAGMENT_MISSING,
                f"{problem} (the file exists: {shown})",
                checked_at=now,
            )
        return Verdict(link, LinkStatus.ALIVE, f"file exists: {shown}", checked_at=now)
    if target.path.is_dir():
        return Verdict(link, LinkStatus.ALIVE, f"folder exists: {shown}", checked_at=now)
    return Verdict(link, LinkStatus.DEAD, f"no such file: {shown}", checked_at=now)


_READ_AT_MOST = 16 * 1024 * 1024
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml")


def _fragment_problem(target: LocalTarget) -> str | None:
    """Why the file has no such anchor, or None (also for files whose anchors are unknown)."""
    suffix = target.path.suffix.lower()
    if suffix not in MARKDOWN_SUFFIXES and suffix not in _PAGE_SUFFIXES:
        return None  # a PDF or an image: its fragments are not anchors
    try:
        with target.path.open("rb") as fh:
            text = fh.read(_READ_AT_MOST).decode("utf-8", errors="replace")
    except OSError:
        return None
    page = page_of(text, markdown=suffix in MARKDOWN_SUFFIXES)
    return fragment_problem(target.fragment, page)
