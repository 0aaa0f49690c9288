"""The one list of web archives: the catalog reads it, and so do the archive lookups."""

from __future__ import annotations

import pytest

from citeaudit.catalog.archives import ARCHIVES, archive_at, is_archive_copy
from citeaudit.catalog.outlets import outlet_kind
from citeaudit.check.archive.captures import archive_name
from citeaudit.models import OutletKind


@pytest.mark.parametrize(("host", "name"), ARCHIVES)
def test_the_archive_lookups_name_captures_from_the_catalog_list(host: str, name: str) -> None:
    assert archive_name(f"https://{host}/web/2023/https://example.org/") == name
    assert archive_at(f"www.{host}") == name


@pytest.mark.parametrize(
    "url",
    [
        "https://web.archive.org/web/20230801000000/https://example.org/",
        "http://archive.today/2023.08.01-000000/https://example.org/",
        "https://archive.is/AbCd1",
        "https://perma.cc/ABCD-1234",
        "https://webarchive.nationalarchives.gov.uk/ukgwa/2023/https://gov.uk/x",
    ],
)
def test_captures_are_archive_copies(url: str) -> None:
    assert is_archive_copy(url)


@pytest.mark.parametrize(
    "url",
    ["https://example.org/web.archive.org", "https://notarchive.ph/x", "https://www.loc.gov/a"],
)
def test_other_pages_are_not(url: str) -> None:
    assert not is_archive_copy(url)


def test_an_archive_domain_is_an_archive_outlet_unless_the_setting_says_otherwise() -> None:
    assert outlet_kind("archive.org") is OutletKind.ARCHIVE
    assert outlet_kind("nla.gov.au") is OutletKind.GOVERNMENT  # its web archive is a subdomain
    assert outlet_kind("perma.cc", {"perma.cc": ""}) is None
    assert outlet_kind("mirror.example", {"mirror.example": "archive"}) is OutletKind.ARCHIVE
