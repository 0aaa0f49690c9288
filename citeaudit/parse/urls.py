"""Find URL references in a piece of text, the way people really write them.

Handles Markdown links (`[text](href)`), autolinks (`<url>`), bare `http(s)://` and `www.` URLs,
defanged URLs (via `refang`), two URLs glued into one token, URLs truncated with `...`, and a
URL cut by a page break (`\\f`) whose scheme-less rest starts the next page.

The result is a list of `UrlRef`: the repaired URL text, its exact span in the original text,
and the flags saying what was repaired. Normalization (case, percent-encoding, dedupe keys)
and outlets are the catalog's job, not this module's.

The scanner is linear: bracket and parenthesis pairs are matched once with a stack, and every
regex is anchored or bounded, so no input (1 MB of `[[[[`, one huge token) can make it slow.

>>> [r.url for r in find_urls("See <https://a.example/x>; and www.b.example/y.")]
['https://a.example/x', 'http://www.b.example/y']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citeaudit.errors import InputError
from citeaudit.models import Flag
from citeaudit.parse.refang import Refanged, refang
from citeaudit.parse.url_bounds import (
    ELLIPSIS,
    EMPTY_HOST,
    TOKEN,
    URL_START,
    is_relative_href,
    match_pairs,
    split_glued,
    trim_trailing,
    unescape_markdown,
)
from citeaudit.parse.url_hosts import HOST_CHARS, MAX_HOST, is_host, refang_host
from citeaudit.parse.url_join import FRAGMENT, is_fragment, longest_overlap

# A scheme glued to the word before it still starts a URL; `www.` must start a word. Opening
# brackets are no candidates: the `[` that open a Markdown link are known from the pairs, and a
# text of a million unmatched `[` must not cost a million turns of the scan loop.
_CANDIDATE = re.compile(
    r"<(?=(?i:(?:https?|ftp)://|www\.))|(?i:(?:https?|ftp)://)|(?<![A-Za-z0-9@.])(?i:www\.)|\f"
)
MAX_URLS = 100_000
"""The most URLs one text (a note, or a whole text for `urls`) may hold."""
_DOTTED_WORD = re.compile(r"[\[(]\.|\\\.")
_GLUE_RESIDUE = re.compile(
    r"-?(?:%C2%A0|%20|%E2%80%8B|%E2%80%AF|[\s\u00a0\u200b])+$", re.IGNORECASE
)
_MAX_LINK_TEXT = 4096
_MAX_HREF = 65536


@dataclass(frozen=True, slots=True)
class UrlRef:
    """One URL reference found in text."""

    url: str
    """Repaired URL text (refanged, split, joined, dots removed); not yet normalized."""
    start: int
    end: int
    """Span in the original text; `as_written` is `original[start:end]`."""
    as_written: str
    flags: tuple[Flag, ...] = ()
    alternates: tuple[str, ...] = ()
    continuation: str | None = None
    """For `joined_fragment`: the fragment, as written, that continued this URL."""


def _looks_like_url(text: str) -> bool:
    return bool(URL_START.match(text)) and not any(c.isspace() for c in text)


def _with_scheme(url: str, flags: list[Flag]) -> str:
    if url[:4].lower() == "www.":
        flags.append(Flag.SCHEME_ADDED)
        return "http://" + url
    return url


class _Scanner:
    def __init__(self, refanged: Refanged) -> None:
        self.r = refanged
        self.text = self.r.text
        self.brackets = match_pairs(self.text, "[", "]")
        self.parens = match_pairs(self.text, "(", ")")
        self.links = _link_openers(self.text, self.brackets, self.parens)
        self.refs: list[UrlRef] = []

    # -- building refs -------------------------------------------------------------------------

    def _make(
        self, url: str, start: int, end: int, flags: list[Flag], alternates: tuple[str, ...] = ()
    ) -> UrlRef | None:
        if not url or url.lower() in ("http://", "https://", "http://www.", "https://www."):
            return None
        if EMPTY_HOST.match(url):
            return None  # `http://#x`: no host, no resource
        fixed = refang_host(url)
        if fixed != url:
            url = fixed
            flags.append(Flag.DEFANGED)
        flags.extend(self.r.flags_in(start, end))
        return UrlRef(
            url=url,
            start=self.r.to_original(start),
            end=self.r.to_original(end),
            as_written=self.r.as_written(start, end),
            flags=tuple(dict.fromkeys(flags)),
            alternates=alternates,
        )

    def _token_refs(self, start: int, end: int, *, bare: bool) -> list[UrlRef]:
        """Refs from one URL token text[start:end] (autolink content or bare token)."""
        token = self.text[start:end]
        token = trim_trailing(token) if bare else token.strip()
        pieces = split_glued(token)
        glued = len(pieces) > 1
        out: list[UrlRef] = []
        for ps, pe in pieces:
            piece = token[ps:pe]
            flags: list[Flag] = []
            alternates: tuple[str, ...] = ()
            if glued:
                flags.append(Flag.GLUED)
                stripped = _GLUE_RESIDUE.sub("", piece)
                if stripped != piece and stripped:
                    alternates = (piece,)
                    url = stripped
                else:
                    url = piece
            else:
                url = piece
            if url.endswith(ELLIPSIS):
                flags.append(Flag.TRUNCATED)
                url = url.rstrip(".…")
            url = _with_scheme(url, flags)
            ref = self._make(url, start + ps, start + pe, flags, alternates)
            if ref is not None:
                out.append(ref)
        return out

    # -- the scan ------------------------------------------------------------------------------

    def scan(self) -> list[UrlRef]:
        """Every URL reference of the text, in order."""
        text = self.text
        pos = 0
        next_gt = _NextChar(text, ">")
        next_nl = _NextChar(text, "\n")
        anchors, links = self.r.anchors, self.links
        ai = li = 0
        m: re.Match[str] | None = None
        searched = -1  # m is the first candidate at or after this offset (None: there is none)
        while True:
            if searched < 0 or (m is not None and m.start() < pos):
                m = _CANDIDATE.search(text, pos)
                searched = pos
            while ai < len(anchors) and anchors[ai] < pos:
                ai += 1
            while li < len(links) and links[li] < pos:
                li += 1
            i = m.start() if m is not None else len(text)
            link = links[li] if li < len(links) else len(text)
            if ai < len(anchors) and anchors[ai] < min(i, link):
                pos = self._bare_host(anchors[ai], pos)
                _refuse_if_too_many(len(self.refs))
                continue
            if link < i:
                _refuse_if_too_many(len(self.refs))
                pos = self._markdown_link(link)
                continue
            if m is None:
                break
            _refuse_if_too_many(len(self.refs))
            ch = text[i]
            if ch == "\f":
                pos = self._page_break(i + 1)
            elif ch == "<":
                gt = next_gt.at(i)
                nl = next_nl.at(i)
                if gt == -1 or (nl != -1 and gt > nl):
                    pos = i + 1
                    continue
                self.refs.extend(self._token_refs(i + 1, gt, bare=False))
                pos = gt + 1
            else:
                end = self._token_end(i)
                self.refs.extend(self._token_refs(i, end, bare=True))
                pos = max(end, i + 1)
        return self.refs

    def _token_end(self, i: int) -> int:
        """Where the bare URL token at i ends; a bracket just before it closes it."""
        tm = TOKEN.match(self.text, i)
        end = tm.end() if tm else i
        # `[url1][url2]`, `[[url]]`, `(url)(url)`: the bracket opened before the URL closes it
        if i > 0 and self.text[i - 1] in "[(":
            pairs = self.brackets if self.text[i - 1] == "[" else self.parens
            close = pairs.get(i - 1)
            if close is not None and i < close < end:
                end = close
        return end

    def _bare_host(self, a: int, pos: int) -> int:
        """A URL without a scheme around the defanged dot at `a` (`example[.]com/x`), if any."""
        text = self.text
        hs = a
        lo = max(pos, a - MAX_HOST)
        while hs > lo and text[hs - 1] in HOST_CHARS:
            hs -= 1
        if hs == a or text[hs] in ".-":
            return a + 1
        # a dot inside a word, a path, an address or a query is not the start of a host
        if hs > 0 and (text[hs - 1] in HOST_CHARS or text[hs - 1] in "@/:\\%_~=&?#+*"):
            return a + 1
        token = trim_trailing(text[hs : self._token_end(hs)])
        cut = len(token)
        for ch in "/?#:":
            k = token.find(ch)
            if k != -1:
                cut = min(cut, k)
        if not is_host(token[:cut]):
            return a + 1
        ref = self._make("http://" + token, hs, hs + len(token), [Flag.SCHEME_ADDED])
        if ref is not None:
            self.refs.append(ref)
        return max(hs + len(token), a + 1)

    def _markdown_link(self, i: int) -> int:
        """The link `[label](href)` opening at i (from `_link_openers`); where to scan on."""
        text = self.text
        j = self.brackets[i]
        k = self.parens[j + 1]
        label_raw = text[i + 1 : j]
        label = unescape_markdown(label_raw).strip()
        href_s, href_e = j + 2, k
        href = text[href_s:href_e].strip()
        if href.startswith("<") and ">" in href:
            href_e = href_s + text[href_s:href_e].index(">")
            href_s = href_s + text[href_s:href_e].index("<") + 1
            href = text[href_s:href_e]
        elif " " in href:  # [text](url "title")
            cut = href.index(" ")
            href = href[:cut]
            href_e = href_s + text[href_s:href_e].index(" ")
        if not _looks_like_url(href):
            if is_relative_href(href) and not _looks_like_url(label):
                # a local file or a page of the document's own site: checked on disk, or under
                # --base-url
                ref = self._make(unescape_markdown(href), href_s, href_e, [Flag.RELATIVE])
                if ref is not None:
                    self.refs.append(ref)
                return k + 1
            # Not a web link (e.g. "#fn1"); a URL in the label is still a source.
            return i + 1
        href_flags: list[Flag] = []
        href_url = _with_scheme(unescape_markdown(href), href_flags)
        if _looks_like_url(label):
            label_flags: list[Flag] = []
            label_url = _with_scheme(label, label_flags)
            if label_url.rstrip(".…") == href_url or label_url == href_url:
                ref = self._make(href_url, i, k + 1, [Flag.MARKDOWN_LINK, *href_flags])
                if ref is not None:
                    self.refs.append(ref)
                return k + 1
            for s, e in ((i + 1, j), (href_s, href_e)):
                for ref in self._token_refs(s, e, bare=False):
                    self.refs.append(_add_flag(ref, Flag.LINK_TEXT_DIFFERS))
            return k + 1
        ref = self._make(href_url, href_s, href_e, href_flags)
        if ref is not None:
            self.refs.append(ref)
        return k + 1

    def _page_break(self, pos: int) -> int:
        """After a page break, a scheme-less fragment continues the last URL before it."""
        text = self.text
        while pos < len(text) and text[pos] in " \t\r\n\f":
            pos += 1
        if not self.refs or pos >= len(text):
            return pos
        if text[pos] == "[":
            j = self.brackets.get(pos)
            if j is None or text[j + 1 : j + 2] != "(":
                return pos
            label = unescape_markdown(text[pos + 1 : j]).strip()
            if not is_fragment(label):
                return pos
            k = self.parens.get(j + 1)
            if k is None:
                return pos
            self._join(pos + 1, j, label, extra_flag=Flag.LINK_TEXT_DIFFERS)
            href_s, href_e = j + 2, k
            for ref in self._token_refs(href_s, href_e, bare=False):
                self.refs.append(_add_flag(ref, Flag.LINK_TEXT_DIFFERS))
            return k + 1
        fm = FRAGMENT.match(text, pos)
        if fm is None:
            return pos
        fragment = trim_trailing(fm.group())
        if not is_fragment(fragment):
            return pos
        self._join(pos, pos + len(fragment), fragment)
        return pos + len(fragment)

    def _join(self, start: int, end: int, fragment: str, extra_flag: Flag | None = None) -> None:
        last = self.refs[-1]
        overlap = longest_overlap(last.url, fragment)
        joined = last.url + fragment[overlap:]
        flags = [*last.flags, Flag.JOINED_FRAGMENT]
        if extra_flag is not None:
            flags.append(extra_flag)
        self.refs[-1] = UrlRef(
            url=joined,
            start=last.start,
            end=last.end,
            as_written=last.as_written,
            flags=tuple(dict.fromkeys(flags)),
            alternates=(*last.alternates, last.url),
            continuation=self.r.as_written(start, end),
        )


def _link_openers(text: str, brackets: dict[int, int], parens: dict[int, int]) -> list[int]:
    """Where a Markdown link `[label](href)` opens, in order.

    A label longer than any real one, or an href longer than any real URL, is nested markup:
    slicing it for every opening bracket would be quadratic, and its URLs are found as plain
    tokens anyway.
    """
    out = []
    for i, j in brackets.items():
        if j - i <= _MAX_LINK_TEXT and text[j + 1 : j + 2] == "(":
            k = parens.get(j + 1)
            if k is not None and k - j <= _MAX_HREF:
                out.append(i)
    out.sort()
    return out


class _NextChar:
    """Position of the next `ch` at or after i, for increasing i: linear over a whole scan."""

    def __init__(self, text: str, ch: str) -> None:
        self.text, self.ch = text, ch
        self.found = -2  # -2: not searched yet; -1: none until the end

    def at(self, i: int) -> int:
        if self.found == -2 or (self.found != -1 and self.found < i):
            self.found = self.text.find(self.ch, i)
        return self.found


def _add_flag(ref: UrlRef, flag: Flag) -> UrlRef:
    return UrlRef(
        url=ref.url,
        start=ref.start,
        end=ref.end,
        as_written=ref.as_written,
        flags=tuple(dict.fromkeys((*ref.flags, flag))),
        alternates=ref.alternates,
        continuation=ref.continuation,
    )


def _refuse_if_too_many(count: int) -> None:
    if count > MAX_URLS:
        raise InputError(
            f"one note or text holds about {count:,} URLs, over the limit of {MAX_URLS:,}; "
            "refusing to parse it (split the document)"
        )


def find_urls(text: str) -> list[UrlRef]:
    """Every URL reference in `text`, in document order, with repairs applied and flagged.

    A text holding more than `MAX_URLS` URLs is refused (InputError): at once when counting
    schemes shows it, else as soon as the scan passes the limit. No real note cites a hundred
    thousand sources.
    """
    # counting is a few C-speed scans: a note of a million URLs is refused in well under a second
    _refuse_if_too_many(text.count("://") + text.count("www."))
    if text.count("[.") + text.count("(.") + text.count("\\.") > MAX_URLS:
        # many defanged dots: count the words holding one (one URL may hold many dots)
        _refuse_if_too_many(sum(1 for word in text.split() if _DOTTED_WORD.search(word)))
    # Fast path for text that cannot hold a URL even after refanging (most prose lines). It
    # asks the refang pattern itself, so no defang style (h\*\*p, hXxp, (dot)) slips by.
    refanged = refang(text)
    if not refanged.passes and "\f" not in text and "[" not in text and not URL_START.search(text):
        return []
    _refuse_if_too_many(refanged.text.count("://"))
    return _Scanner(refanged).scan()
