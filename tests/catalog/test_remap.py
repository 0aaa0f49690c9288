"""`--remap` rules: prefixes, regexes with lychee's `$1` groups, the first match wins."""

from __future__ import annotations

import pytest

from citeaudit.catalog.remap import parse_remap, remap


def test_a_prefix_rule_replaces_only_the_prefix():
    rule = parse_remap("https://old.example/ https://new.example/v2/")
    assert rule.apply("https://old.example/a?b#c") == "https://new.example/v2/a?b#c"
    assert rule.apply("https://other.example/old.example/") is None


def test_regex_groups_in_both_spellings():
    dollar = parse_remap(r"re:^https://(?P<h>\w+)\.test/(.*) https://${h}.mirror/$2")
    assert dollar.apply("https://news.test/a/b") == "https://news.mirror/a/b"
    backslash = parse_remap(r"re:^http://(.*) https://\1")
    assert backslash.apply("http://a.test/") == "https://a.test/"


def test_the_first_matching_rule_applies():
    rules = [parse_remap("https://a.test/x https://first.test/"), parse_remap("re:a\\.test b.test")]
    assert remap("https://a.test/x1", rules) == ("https://first.test/1", rules[0])
    assert remap("https://a.test/y", rules) == ("https://b.test/y", rules[1])
    assert remap("https://c.test/", rules) is None


@pytest.mark.parametrize("text", ["one", "a b c", "re:( x", "re:(a) $2"])
def test_bad_rules_are_value_errors_naming_the_rule(text):
    with pytest.raises(ValueError, match="remap|PATTERN|regular|replacement"):
        parse_remap(text)
