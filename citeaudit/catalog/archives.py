"""Web archives by host: which hosts serve archive copies, and the archive's readable name.

One list, read by the archive lookups (to name the archive a capture came from) and by the
reports (to count sources that are themselves archive copies as their own outlet kind), so
catalog and check cannot drift apart. Hosts only: whether a given path on the host is a
capture is not decided here, since every page these archives serve is archived material.
"""

from __future__ import annotations

from citeaudit.catalog.hosts import host_of, within

ARCHIVES: tuple[tuple[str, str], ...] = (
    ("web.archive.org", "Internet Archive"),
    ("wayback.archive.org", "Internet Archive"),
    ("archive.org", "Internet Archive"),
    ("wayback.archive-it.org", "Archive-It"),
    ("archive.today", "archive.today"),
    ("archive.ph", "archive.today"),
    ("archive.is", "archive.today"),
    ("archive.li", "archive.today"),
    ("archive.md", "archive.today"),
    ("archive.vn", "archive.today"),
    ("archive.fo", "archive.today"),
    ("webarchive.loc.gov", "Library of Congress"),
    ("webarchive.org.uk", "UK Web Archive"),
    ("webarchive.nationalarchives.gov.uk", "UK Government Web Archive"),
    ("arquivo.pt", "Arquivo.pt"),
    ("webarchive.nla.gov.au", "Australian Web Archive"),
    ("trove.nla.gov.au", "Australian Web Archive"),
    ("swap.stanford.edu", "Stanford Web Archive"),
    ("wayback.vefsafn.is", "Icelandic Web Archive"),
    ("webarchive.bac-lac.gc.ca", "Library and Archives Canada"),
    ("perma.cc", "Perma.cc"),
    ("ghostarchive.org", "Ghostarchive"),
    ("webcitation.org", "WebCite"),
)
"""(host, archive name): a host and its subdomains serve that archive's copies."""


def archive_at(host: str) -> str | None:
    """The name of the archive a host belongs to; None when it is not a known archive.

    >>> archive_at("archive.ph"), archive_at("www.webarchive.org.uk"), archive_at("loc.gov")
    ('archive.today', 'UK Web Archive', None)
    """
    host = host.lower()
    return next((name for suffix, name in ARCHIVES if within(host, suffix)), None)


def is_archive_copy(url: str) -> bool:
    """Whether a URL is served by a known web archive (a capture, not the page itself).

    >>> is_archive_copy("https://web.archive.org/web/2023/https://example.org/")
    True
    >>> is_archive_copy("https://www.loc.gov/item/x/"), is_archive_copy("not a url")
    (False, False)
    """
    return archive_at(host_of(url)) is not None
