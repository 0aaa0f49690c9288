"""Split prose into sentences and find the note markers each one carries.

A claim is the sentence that carries a marker, so the split must be right where reports are
tricky: a marker after the full stop (`...Moscow. [19]`) belongs to the sentence before it, and
abbreviations (U.S., Gen., Jan., e.g.) do not end sentences. Every format reader uses this module
so that claims are cut the same way whatever the input.

>>> [s for _, s in split_sentences("US forces left.[1] Gen. Smith said so. [2] Then what?")]
['US forces left.[1]', 'Gen. Smith said so. [2]', 'Then what?']
>>> markers("Claims [3, 4] and [6-8][10] and [^2].")
(3, 4, 6, 7, 8, 10, 2)
"""

from __future__ import annotations

import re

_END = re.compile(r"[.!?…]+[\"'”’)]*")
_MARKERS_AFTER = re.compile(
    r"(?:[ \t]?\[(?:\^[^\]\s]{1,40}|\d{1,5}(?:\s*[,;–-]\s*\d{1,5}){0,20}"
    r"|[ivxlcdm]{1,7}|[IVXLCDM]{1,7}|[a-zA-Z]|[*†‡§¶‖]{1,3})\]|[*†‡§¶‖]{1,3}(?![\w*]))+"
)
_MARKER = re.compile(r"\[(\^[^\]\s]{1,40}|\d{1,5}(?:\s*[,;–-]\s*\d{1,5}){0,20})\]")
_SPACE = re.compile(r"\s+")
_LIST_SEP = re.compile(r"\s*[,;]\s*")
_RANGE_SEP = re.compile(r"\s*[–-]\s*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]{0,12})$")
_MAX_RANGE = 200

ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt sgt adm cmdr gov sen rep rev hon pres st jr sr
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    e.g i.e etc vs cf al approx no nos vol fig figs p pp ed eds est inc ltd co corp dept univ
    u.s u.k u.n u.s.a e.u a.m p.m
    """.split()
)


_UNKNOWN_LABEL_BASE = 1_000_000


def footnote_label_number(labels: dict[str, int], label: str) -> int:
    """The note number for a Markdown footnote label (numeric labels keep their number).

    Named labels take the number their definition was given; a label with no definition gets
    a number no note has, so it is reported as a marker without a note.
    """
    if label.isdigit():
        return int(label)
    return labels.setdefault(label, _UNKNOWN_LABEL_BASE + len(labels))


_PRINTED = re.compile(r"\[([^\]\s]{1,7})\]|(?<=[\w.,;:)”\"’])([*†‡§¶‖]{1,3})(?![\w*])")


def printed_markers(text: str, printed: dict[str, int]) -> list[int]:
    """Notes cited by printed labels (`[iv]`, `[b]`, `word†`) that a notes section defines.

    A `*` counts only in a sentence holding no other `*`, so Markdown emphasis is no marker.

    >>> printed_markers("As said[ii] and done.† Not *this*.", {"ii": 7, "†": 8, "*": 9})
    [7, 8]
    """
    out: list[int] = []
    stars: int | None = None  # counted once, and only when a `*` label is met
    for m in _PRINTED.finditer(text):
        label = m.group(1) or m.group(2)
        if label not in printed:
            continue
        if label[0] == "*":
            stars = text.count("*") if stars is None else stars
            if stars != len(label):
                continue
        out.append(printed[label])
    return out


def markers(
    text: str, labels: dict[str, int] | None = None, printed: dict[str, int] | None = None
) -> tuple[int, ...]:
    """Note numbers cited by the markers in `text`, in order, ranges expanded."""
    labels = {} if labels is None else labels
    out: list[int] = printed_markers(text, printed) if printed else []
    for m in _MARKER.finditer(text):
        body = m.group(1)
        if body.startswith("^"):
            out.append(footnote_label_number(labels, body[1:]))
            continue
        if body.isdigit():  # the usual `[12]`
            out.append(int(body))
            continue
        for part in _LIST_SEP.split(body):
            if not part:
                continue
            bounds = _RANGE_SEP.split(part)
            if len(bounds) == 2 and bounds[0] and bounds[1]:
                lo, hi = int(bounds[0]), int(bounds[1])
                if lo <= hi and hi - lo <= _MAX_RANGE:
                    out.extend(range(lo, hi + 1))
                    continue
            out.extend(int(b) for b in bounds if b)
    return tuple(dict.fromkeys(out))


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, dot - 14), dot)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    # Initials such as "J." or "U.S." (single letters separated by dots).
    return all(len(p) == 1 for p in word.split(".") if p) and len(word) <= 7


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; markers that follow a full stop stay with its sentence."""
    out: list[tuple[int, str]] = []
    start = 0
    n = len(text)
    for m in _END.finditer(text):
        end = m.end()
        after = _MARKERS_AFTER.match(text, end)
        if after:
            end = after.end()
        if end < n:
            ws = _SPACE.match(text, end)
            if ws is None:
                continue
            nxt = ws.end()
            if nxt < n and text[nxt].islower():
                continue
        else:
            nxt = n
        # A marker right after the full stop ends the sentence even after an abbreviation
        # ("imposed by the U.S.[5] Iran replied"): writers cite at the end of a sentence.
        if (
            not after
            and text[m.start()] == "."
            and m.end() - m.start() == 1
            and _is_abbreviation(text, m.start())
        ):
            continue
        sentence = text[start:end].strip()
        if sentence:
            out.append((start + (len(text[start:end]) - len(text[start:end].lstrip())), sentence))
        start = nxt
    tail = text[start:].strip()
    if tail:
        out.append((start + (len(text[start:]) - len(text[start:].lstrip())), tail))
    return out
