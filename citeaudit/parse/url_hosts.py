"""Hosts in found URLs: defangs that only make sense in a host, and what a host must look like.

A URL written without a scheme (`example[.]com/x`) is only a URL when its host is plausible: a
public suffix the bundled list knows, or an IPv4 address. `-dot-` and `DOT` are undone in a
host only, never in a path, where `polka-dot-dress` is a word.
"""

from __future__ import annotations

import re

from citeaudit.parse.suffixes import has_public_suffix

# Defangs that only make sense inside a host (`example-dot-com`, `exampleDOTcom`): applied to
# the host of a found URL, never to its path, where `polka-dot-dress` is a word.
_HOST_DEFANG = re.compile(
    r"(?<=[A-Za-z0-9])-(?:dot|DOT)-(?=[A-Za-z0-9])|(?<=[a-z0-9])DOT(?=[a-z0-9])"
)
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9\-]{1,63}(?<!-)|[^\x00-\x7f]+")
MAX_HOST = 253
HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.")


def refang_host(url: str) -> str:
    """Undo the defangs that only make sense in a host (`-dot-`, `DOT`), in the host only."""
    after = url.find("://")
    if after == -1 or ("dot" not in url and "DOT" not in url):
        return url
    start = after + 3
    end = len(url)
    for ch in "/?#":
        cut = url.find(ch, start)
        if cut != -1:
            end = min(end, cut)
    host = url[start:end]
    if "dot" not in host and "DOT" not in host:
        return url
    return url[:start] + _HOST_DEFANG.sub(".", host) + url[end:]


def is_host(host: str) -> bool:
    """Whether a scheme-less piece is a plausible host: a public suffix, or an IPv4 address."""
    labels = host.split(".")
    if len(host) > MAX_HOST or len(labels) < 2:
        return False
    if not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return False
    if len(labels) == 4 and all(label.isdigit() and int(label) < 256 for label in labels):
        return True
    return not labels[-1].isdigit() and has_public_suffix(host)
