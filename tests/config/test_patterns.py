"""URL patterns: host globs, URL globs and `re:` rules, as `exclude` and `include` use them."""

from __future__ import annotations

import time

import pytest

from citeaudit.config import url_rule


@pytest.mark.parametrize(
    ("url", "pattern", "expected"),
    [
        ("https://x.com/a", "x.com", True),
        ("https://www.x.com/a", "x.com", False),
        ("https://www.x.com/a", "*.x.com", True),
        ("https://X.COM/a", "x.com", True),
        ("https://notx.com/a", "x.com", False),
        ("https://example.org/private/1", "https://example.org/private/*", True),
        ("https://example.org/public/1", "https://example.org/private/*", False),
        ("http://example.org/Login?x", "*://*/login*", True),
        ("https://example.org/a", "re:^https://example\\.org/", True),
        ("https://example.org.evil/a", "re:^https://example\\.org/", False),
        ("https://example.org/x.pdf", "*.pdf", False),  # no slash: a host glob
        ("https://example.org/x.pdf", "*/*.pdf", True),
    ],
)
def test_url_rule_excludes(url, pattern, expected):
    assert (url_rule(url, [pattern]) is not None) is expected


def test_globs_do_not_backtrack_catastrophically():
    pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b/*"
    url = "https://h/" + "a" * 5000
    start = time.process_time()  # CPU time: a busy machine does not move it
    assert url_rule(url, [pattern]) is None
    assert time.process_time() - start < 1.0
