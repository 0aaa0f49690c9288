"""Outlets: registered domains offline, the account on platforms, shorteners left unresolved."""

from __future__ import annotations

import os
import socket

import pytest

from citeaudit.catalog.outlets import is_shortlink, outlet_of, registered_domain
from citeaudit.parse.suffixes import suffix_extractor


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.alaraby.co.uk", "alaraby.co.uk"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("en.mehrnews.com", "mehrnews.com"),
        ("www.abc.net.au", "abc.net.au"),
        ("sana.sy", "sana.sy"),
        ("WWW.Example.COM.", "example.com"),
        ("127.0.0.2", "127.0.0.2"),
        ("localhost", "localhost"),
    ],
)
def test_registered_domain(host, domain):
    assert registered_domain(host) == domain


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://twitter.com/DeirEzzore/status/1677278853734051846", "twitter.com/DeirEzzore"),
        ("https://x.com/DeirEzzore/status/1677278853734051846", "twitter.com/DeirEzzore"),
        ("https://mobile.twitter.com/DeirEzzore", "twitter.com/DeirEzzore"),
        ("https://t.me/jharnous/989", "t.me/jharnous"),
        ("https://t.me/s/jharnous/989", "t.me/jharnous"),
        ("https://www.facebook.com/SomePage/posts/123", "facebook.com/SomePage"),
        ("https://m.facebook.com/SomePage/", "facebook.com/SomePage"),
        ("https://www.youtube.com/@handle/videos", "youtube.com/@handle"),
        ("https://www.instagram.com/someuser/", "instagram.com/someuser"),
        ("https://www.tiktok.com/@someuser/video/7", "tiktok.com/@someuser"),
        ("https://www.linkedin.com/in/someone/", "linkedin.com/in/someone"),
        ("https://www.linkedin.com/company/acme/", "linkedin.com/company/acme"),
        ("https://www.reddit.com/r/syriancivilwar/comments/abc/x/", "reddit.com/r/syriancivilwar"),
        ("https://medium.com/@writer/a-post-123", "medium.com/@writer"),
        ("https://github.com/owner/repo/issues/1", "github.com/owner"),
    ],
)
def test_platform_outlet_is_the_account(url, outlet):
    assert outlet_of(url) == outlet


def test_twitter_and_x_are_one_platform():
    assert outlet_of("https://x.com/Foo/status/1") == outlet_of("https://twitter.com/Foo/status/2")


def test_accounts_keep_their_spelling():
    # Two spellings of one account must stay two outlets, or typo findings could not see them.
    assert outlet_of("https://twitter.com/DeirEzzor/status/1") != outlet_of(
        "https://twitter.com/DeirEzzore/status/1"
    )


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://twitter.com/search?q=x", "twitter.com"),
        ("https://twitter.com/", "twitter.com"),
        ("https://www.youtube.com/watch?v=abc", "youtube.com"),
        ("https://www.instagram.com/p/Cabc/", "instagram.com"),
        ("https://www.tiktok.com/tag/news", "tiktok.com"),
    ],
)
def test_platform_pages_that_name_no_account(url, outlet):
    assert outlet_of(url) == outlet


@pytest.mark.parametrize(
    "url",
    ["https://t.co/jCrPHmu5Jg", "https://bit.ly/3abc", "https://www.bit.ly/x", "https://goo.gl/x"],
)
def test_shorteners_are_their_own_outlet_and_flagged(url):
    host = url.split("/")[2]
    assert is_shortlink(host)
    assert outlet_of(url) == host.removeprefix("www.")


def test_ordinary_hosts_are_not_shortlinks():
    assert not is_shortlink("www.reuters.com")
    assert not is_shortlink("t.me")


def test_invalid_urls_have_no_outlet():
    assert outlet_of("not a url") == ""
    assert outlet_of("https://[broken/") == ""


def test_extractor_is_configured_for_the_bundled_list_only():
    assert suffix_extractor().suffix_list_urls == ()
    assert suffix_extractor()._cache.enabled is False  # no cache directory is ever written


def test_outlets_never_touch_network_or_write_to_disk(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("outlet lookup tried to use the network")

    real_open = open

    def read_only_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            raise AssertionError(f"outlet lookup tried to write {file}")
        return real_open(file, mode, *args, **kwargs)

    def no_mkdir(*args, **kwargs):
        raise AssertionError("outlet lookup tried to create a directory")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr("builtins.open", read_only_open)
    monkeypatch.setattr(os, "makedirs", no_mkdir)
    monkeypatch.setattr(os, "mkdir", no_mkdir)
    # Forget the loaded suffix list and the memoized answers, so this lookup loads everything.
    monkeypatch.setattr(suffix_extractor(), "_extractor", None)
    registered_domain.cache_clear()
    outlet_of.cache_clear()
    assert outlet_of("https://www.never-seen-before-outlet.co.uk/a/b") == (
        "never-seen-before-outlet.co.uk"
    )
    assert registered_domain("deep.sub.another-new-domain.com.au") == "another-new-domain.com.au"
    assert suffix_extractor()._extractor is not None  # the list really was loaded in this test


# -- outlet kinds ------------------------------------------------------------------------------

from citeaudit.catalog.outlets import outlet_kind  # noqa: E402
from citeaudit.models import OutletKind  # noqa: E402


@pytest.mark.parametrize(
    ("outlet", "kind"),
    [
        ("sana.sy", OutletKind.STATE_MEDIA),
        ("tasnimnews.com", OutletKind.STATE_MEDIA),
        ("ria.ru", OutletKind.STATE_MEDIA),
        ("centcom.mil", OutletKind.GOVERNMENT),
        ("state.gov", OutletKind.GOVERNMENT),
        ("mfa.gov.ir", OutletKind.GOVERNMENT),
        ("kremlin.ru", OutletKind.GOVERNMENT),
        ("twitter.com/DeirEzzore", OutletKind.SOCIAL),
        ("t.me/jharnous", OutletKind.SOCIAL),
        ("reuters.com", None),
        ("govtrack.us", None),  # "gov" inside a name is not a government suffix
        ("", None),
    ],
)
def test_outlet_kind(outlet: str, kind: OutletKind | None) -> None:
    assert outlet_kind(outlet) is kind


def test_configured_kinds_add_and_clear() -> None:
    overrides = {"alwatan.sy": "state_media", "sana.sy": ""}
    assert outlet_kind("alwatan.sy", overrides) is OutletKind.STATE_MEDIA
    assert outlet_kind("sana.sy", overrides) is None
    assert outlet_kind("ria.ru", overrides) is OutletKind.STATE_MEDIA


def test_the_sample_reports_kinds() -> None:
    from pathlib import Path

    from citeaudit.documents import load_catalog

    root = Path(__file__).resolve().parents[2]
    catalog = load_catalog(str(root / "endnotes" / "isw-2023-08-03-syria.txt"))
    kinds: dict[OutletKind, set[str]] = {}
    for _, source in catalog.sources():
        kind = outlet_kind(source.outlet)
        if kind is not None:
            kinds.setdefault(kind, set()).add(source.outlet)
    assert kinds[OutletKind.STATE_MEDIA] == {
        "mehrnews.com", "ria.ru", "sana.sy", "sputnikarabic.ae", "tasnimnews.com"
    }  # fmt: skip
    assert kinds[OutletKind.GOVERNMENT] >= {"centcom.mil", "kremlin.ru", "president.ir"}
    assert "t.me/jharnous" in kinds[OutletKind.SOCIAL]
