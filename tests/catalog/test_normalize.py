"""Normalization keeps citations as evidence: only scheme and host case change.

The dedupe key is separate: it drops what does not change the resource (default port,
`#fragment`) and puts IDN hosts in punycode so the checker can probe each resource once.
"""

from __future__ import annotations

import httpx
import pytest

from citeaudit.catalog.normalize import normalize


@pytest.mark.parametrize(
    ("written", "url"),
    [
        ("HTTPS://WWW.Example.COM/Path/File.HTML", "https://www.example.com/Path/File.HTML"),
        ("https://example.com/A?Q=Upper&x=Y", "https://example.com/A?Q=Upper&x=Y"),
        ("https://example.com/%d8%a7/%D8%A7", "https://example.com/%d8%a7/%D8%A7"),
        ("https://example.com/a%2fb", "https://example.com/a%2fb"),
        ("HTTP://User:PW@Example.com/x", "http://User:PW@example.com/x"),
    ],
)
def test_only_scheme_and_host_are_lower_cased(written, url):
    assert normalize(written).url == url


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/a/",
        "https://example.com/a",
        "https://example.com",
        "https://example.com/",
        "https://example.com/?",
        "https://example.com/a?b=1/",
    ],
)
def test_trailing_slash_is_never_added_or_dropped(url):
    n = normalize(url)
    assert n.url == url
    assert n.key == url


def test_key_drops_the_default_port_and_the_fragment():
    assert normalize("https://Example.com:443/x#Section-2").key == "https://example.com/x"
    assert normalize("http://example.com:80/x#f").key == "http://example.com/x"
    # The shown URL keeps both, as written.
    assert normalize("https://Example.com:443/x#Section-2").url == (
        "https://example.com:443/x#Section-2"
    )


def test_key_keeps_other_ports_and_the_query():
    assert normalize("https://example.com:8443/x?a=1#f").key == "https://example.com:8443/x?a=1"
    assert normalize("http://example.com:443/x").key == "http://example.com:443/x"


def test_five_digit_ports_take_the_quick_path_and_agree_with_the_full_one(monkeypatch):
    slow = normalize.__wrapped__("http://127.0.0.1:41863/ok/1#f")
    assert (slow.url, slow.key, slow.host) == (
        "http://127.0.0.1:41863/ok/1#f",
        "http://127.0.0.1:41863/ok/1",
        "127.0.0.1",
    )

    def full_path(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("a plain URL with a five-digit port went the full path")

    monkeypatch.setattr("citeaudit.catalog.normalize._split", full_path)
    assert normalize.__wrapped__("HTTP://127.0.0.1:41863/ok/1#f") == slow
    monkeypatch.undo()
    assert not normalize.__wrapped__("http://example.com:65536/x").valid


def test_raw_non_ascii_path_is_percent_encoded_upper_case():
    n = normalize("https://example.com/عربي/x?q=ع")
    assert n.url == "https://example.com/%D8%B9%D8%B1%D8%A8%D9%8A/x?q=%D8%B9"
    assert n.non_ascii
    assert n.valid


def test_idn_host_goes_to_punycode_in_the_key_only():
    n = normalize("https://BÜCHER.example/x")
    assert n.url == "https://bücher.example/x"
    assert n.key == "https://xn--bcher-kva.example/x"
    assert n.non_ascii
    assert n.valid
    assert httpx.URL(n.key).host == "bücher.example"


def test_spaces_are_encoded():
    assert normalize("https://example.com/a b").url == "https://example.com/a%20b"


@pytest.mark.parametrize(
    "bad",
    [
        "https://",
        "https://exa mple.com/",
        "https://example.com:99999999/",
        "nope",
    ],
)
def test_invalid_urls_are_marked_and_kept_as_written(bad):
    n = normalize(bad)
    assert not n.valid
    assert n.url == bad


def test_ipv6_host():
    n = normalize("http://[::1]:8080/x")
    assert n.url == "http://[::1]:8080/x"
    assert n.host == "::1"
    assert n.valid


def test_normalizing_twice_changes_nothing():
    for url in ("HTTPS://A.example/عربي", "https://Example.com:443/x#f", "http://b.example/?"):
        once = normalize(url).url
        assert normalize(once).url == once


def test_ftp_urls_are_sources():
    n = normalize("FTP://FTP.Example.org:21/pub/file_")
    assert n.valid
    assert n.url == "ftp://ftp.example.org:21/pub/file_"
    assert n.key == "ftp://ftp.example.org/pub/file_"
