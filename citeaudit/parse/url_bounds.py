"""Where a URL written in text begins and ends: RFC 3986's characters and the GFM autolink rules.

A URL ends at whitespace, at what RFC 3986 never allows unencoded, and at full-width
punctuation; trailing punctuation that closes the prose around it is not its own unless
balanced (`(a_(b))`), a trailing `_` in a path is; a note marker glued to a path (`x[12]`) is
the writer's; a bracket opened just before the URL closes it; a scheme glued after another URL
starts a second one. Bracket pairs are matched once, with a stack, so all of this is linear.
"""

from __future__ import annotations

import re

# What ends a URL: whitespace, what RFC 3986 never allows unencoded (`<>"` backtick `|`), and
# full-width and CJK punctuation (`｜`, `）`, `、`, `。`), which no URL holds unencoded.
TOKEN = re.compile(
    r"[^\s<>\"`\f|\u3000-\u303f\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1c\uff1e\uff1f"
    r"\uff3b\uff3d\uff5b-\uff5d]*"
)
_SCHEME_AT = re.compile(r"(?i:(?:https?|ftp)://)")
URL_START = re.compile(r"(?i:(?:https?|ftp)://|www\.)")
EMPTY_HOST = re.compile(r"(?i:(?:https?|ftp)://(?:[^/?#@]*@)?(?::\d*)?(?:[/?#]|$))")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PAIR_SCAN = {
    pair: re.compile(rf"\\.|{re.escape(pair[0])}+|{re.escape(pair[1])}+", re.DOTALL)
    for pair in ("[]", "()")
}
_DEEPEST = 10_000  # more brackets open than this at a line break are garbage, not nesting
_TRAILING_PUNCT = ".,;:!?'\"*_"
ELLIPSIS = ("...", "…")
# A scheme glued after one of these is part of the URL (archive and redirect URLs embed others).
_EMBED_OK = set("/=?&#:(%")
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_WHITESPACE = re.compile(r"\s")


def unescape_markdown(text: str) -> str:
    """Drop Markdown backslash escapes.

    >>> unescape_markdown(r"a\\_b\\[c\\]")
    'a_b[c]'
    """
    return _MD_ESCAPE.sub(r"\1", text)


def match_pairs(text: str, open_ch: str, close_ch: str) -> dict[int, int]:
    """Map each unescaped opening bracket to its matching closing one, in one pass.

    >>> match_pairs(r"[a [b] \\] c]", "[", "]")
    {3: 5, 0: 11}
    """
    if close_ch not in text or open_ch not in text:
        return {}
    pairs: dict[int, int] = {}
    stack: list[int] = []
    last = 0
    # A run of brackets is one match (`[[[[` is pushed at once, `]]]]` popped at once), so
    # 1 MB of `[` costs one turn of this loop; an escape consumes the character after it.
    push, pop = stack.append, stack.pop
    for m in _PAIR_SCAN[open_ch + close_ch].finditer(text):
        start, end = m.span()
        if len(stack) > _DEEPEST and text.find("\n", last, start) != -1:
            stack.clear()  # unbalanced garbage over a line break: forget it, keep no huge stack
        last = end
        ch = text[start]
        if end - start == 1:  # the usual case: one bracket
            if ch == open_ch:
                push(start)
            elif stack:
                pairs[pop()] = start
        elif ch == open_ch:
            stack.extend(range(start, end))
        elif ch == close_ch and stack:
            n = min(end - start, len(stack))
            opened = stack[-n:]
            del stack[-n:]
            pairs.update(zip(reversed(opened), range(start, start + n), strict=True))
    return pairs


def is_relative_href(href: str) -> bool:
    """A link to a path relative to the document or its site (`./a.md`, `../img.png`, `/about`).

    >>> [is_relative_href(h) for h in ("./a.md", "/about#team", "b.md", "#fn1", "mailto:x@y")]
    [True, True, True, False, False]
    >>> is_relative_href("//cdn.example/x"), is_relative_href("see notes")
    (False, False)
    """
    href = href.strip()
    if not href or href[0] in "#?" or href.startswith("//") or _HAS_SCHEME.match(href):
        return False
    # the length first: nested markup hands in hrefs of up to _MAX_HREF characters, once per
    # opening bracket, and a character-by-character scan of each would dominate the parse
    if len(href) > 4096 or _WHITESPACE.search(href):
        return False
    return href.startswith(("/", "./", "../")) or "/" in href or "." in href.split("#")[0]


def _marker_start(token: str, end: int) -> int | None:
    """Where a note marker glued to the end of a URL starts (`.../x[12]`, `.../x[^3]`), if any.

    Brackets are not allowed unencoded in a path, so `[12]` closing a path is the writer's
    marker; in a query (`?ids[1]`) it may be the URL's own and stays.
    """
    start = token.rfind("[", 0, end)
    inner = token[start + 1 : end - 1].removeprefix("^")
    if start <= 0 or not inner.isdigit() or len(inner) > 4 or "?" in token[:start]:
        return None
    return start


def trim_trailing(token: str) -> str:
    """Strip punctuation that closes the surrounding prose or syntax, keeping balanced pairs."""
    if token[-1:] not in _TRAILING_PUNCT and token[-1:] not in ")]}":
        return token
    balance = {c: token.count(c) for c in "()[]{}"}
    end = len(token)
    while end:
        last = token[end - 1]
        if last in _TRAILING_PUNCT:
            if token.endswith(ELLIPSIS, 0, end) or (last == "_" and _in_path(token, end)):
                break
            end -= 1
        elif last == "]" and (marker := _marker_start(token, end)) is not None:
            end = marker
        elif last in ")]}":
            opener = {")": "(", "]": "[", "}": "{"}[last]
            if balance[opener] >= balance[last]:
                break
            balance[last] -= 1
            end -= 1
        else:
            break
    return token[:end]


def _in_path(token: str, end: int) -> bool:
    """Whether token[:end] reaches into a path (a trailing `_` there is the URL's own)."""
    after = token.find("://", 0, end)
    return token.find("/", after + 3 if after != -1 else 0, end) != -1


def split_glued(token: str) -> list[tuple[int, int]]:
    """Split a token holding several URLs glued together into (start, end) pieces."""
    first = token.find("://")
    if first == -1 or (_SCHEME_AT.match(token) and token.find("://", first + 3) == -1):
        return [(0, len(token))]  # no scheme after the token's own: nothing glued (most tokens)
    cuts = [0]
    for m in _SCHEME_AT.finditer(token, 1):
        if token[m.start() - 1] not in _EMBED_OK:
            cuts.append(m.start())
    cuts.append(len(token))
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)]
