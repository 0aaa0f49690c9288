"""`--remap`: probe another URL in place of the one a document cites (a staging site, a mirror).

A rule is two words, `PATTERN REPLACEMENT`. A pattern starting with `re:` is a Python regular
expression searched in the URL, its replacement may name groups as `\\1` or lychee's `$1`; any
other pattern is a prefix, replaced by the second word. The first rule that matches applies.
The report keeps the cited URL and says which URL was probed and which rule sent it there.

What applies to which URL: `exclude` and `include` describe what the document cites, so they
match the cited URL (a rule naming the staging host never skips a citation sent there). As in
lychee, the remap happens before the request and what judges a response judges the answer of
the URL probed: `--accept` (a host's entry is for the host that answered), `--confirm` (the
store's history of that URL) and `--include-fragments` (the anchors of the page read).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_DOLLAR_GROUP = re.compile(r"\$(\d+)|\$\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class Remap:
    """One rule: the text as given, and the compiled pattern when it is a regex."""

    text: str
    pattern: str
    replacement: str
    regex: re.Pattern[str] | None = None

    def apply(self, url: str) -> str | None:
        """The remapped URL, or None when the rule does not match."""
        if self.regex is None:
            if url.startswith(self.pattern):
                return self.replacement + url[len(self.pattern) :]
            return None
        if not self.regex.search(url):
            return None
        return self.regex.sub(self.replacement, url, count=1)


def parse_remap(text: str) -> Remap:
    """A rule from `PATTERN REPLACEMENT`; ValueError (naming the rule) when it is not one.

    >>> parse_remap("https://old.example https://new.example").apply("https://old.example/a")
    'https://new.example/a'
    >>> parse_remap(r"re:^https://(\\w+)\\.old\\.test/ https://$1.new.test/").apply(
    ...     "https://www.old.test/x")
    'https://www.new.test/x'
    """
    parts = text.split()
    if len(parts) != 2:
        raise ValueError(f"{text!r} must be 'PATTERN REPLACEMENT' (two words)")
    pattern, replacement = parts
    if not pattern.startswith("re:"):
        return Remap(text, pattern, replacement)
    try:
        regex = re.compile(pattern[3:])
    except re.error as exc:
        raise ValueError(f"{text!r}: invalid regular expression: {exc}") from None
    python = _DOLLAR_GROUP.sub(lambda m: rf"\g<{m.group(1) or m.group(2)}>", replacement)
    try:
        regex.sub(python, "")  # an unknown group is an error now, not at the first match
    except (re.error, IndexError) as exc:
        raise ValueError(f"{text!r}: bad replacement: {exc}") from None
    return Remap(text, pattern, python, regex)


def remap(url: str, rules: Iterable[Remap]) -> tuple[str, Remap] | None:
    """The URL the first matching rule gives, with that rule; None when none matches."""
    for rule in rules:
        target = rule.apply(url)
        if target is not None and target != url:
            return target, rule
    return None
