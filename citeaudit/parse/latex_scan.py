"""Scan a LaTeX source in one pass: paragraphs, footnotes, citations, bibliography names.

The source is read with an index (no backtracking); groups are matched by counting braces, and
only footnotes, link texts and titles recurse, a bounded number of levels. Comments, `\\verb`
and verbatim-like environments never cite; the preamble is not body text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from citeaudit.models import Span
from citeaudit.parse.markup import Pieces

_SPECIAL = re.compile(r"[\\%{}~\n]|``|''")
_COMMAND = re.compile(r"\\(?:([A-Za-z@]+)\*?|(.))", re.DOTALL)
_CITE = re.compile(r"^(?:[a-z]*cite[a-z]*|[A-Z][a-z]*cite[a-z]*|nocite)$")
_VERBATIM = frozenset(
    """verbatim Verbatim BVerbatim LVerbatim lstlisting minted comment filecontents
    filecontents* alltt code""".split()
)
_HEADINGS = frozenset(
    "part chapter section subsection subsubsection paragraph subparagraph caption".split()
)
_DROP_ARGS = {
    "label": 1, "ref": 1, "eqref": 1, "pageref": 1, "cref": 1, "Cref": 1, "autoref": 1,
    "nameref": 1, "includegraphics": 1, "usepackage": 1, "documentclass": 1,
    "RequirePackage": 1, "newcommand": 2, "renewcommand": 2, "providecommand": 2,
    "newenvironment": 3, "renewenvironment": 3, "setlength": 2, "setcounter": 2,
    "addtocounter": 2, "vspace": 1, "hspace": 1, "input": 1, "include": 1, "pagestyle": 1,
    "thispagestyle": 1, "hypersetup": 1, "graphicspath": 1, "bibliographystyle": 1,
    "author": 1, "thanks": 1, "institute": 1, "affil": 1, "email": 1, "color": 1,
    "definecolor": 3, "newtheorem": 2, "DeclareMathOperator": 2, "title": 1, "date": 1,
    "bibliography": 1, "addbibresource": 1, "footnotemark": 0, "hypertarget": 1,
    "hyperlink": 1, "tightlist": 0,
}  # fmt: skip
_CHARS = {"%": "%", "&": "&", "#": "#", "_": "_", "$": "$", "{": "{", "}": "}", " ": " ",
          ",": " ", ";": " ", ":": " ", "!": "", "\\": "\n", "\n": " ", "-": "",
          "/": ""}  # fmt: skip
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306",
            "H": "\u030b", "k": "\u0328"}  # fmt: skip
# Dashes stay as written: `--` may be inside a URL typed in the text.
_TYPESET = {"``": "\u201c", "''": "\u201d", "~": " "}
URL_ESCAPE = re.compile(r"\\([%#&_~$\\{}])")
_LINK_ARG = re.compile(r"\\(?:url|href)\s*\{")
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|$)")
_MAX_DEPTH = 40
_MAX_OPTIONAL = 2000


@dataclass
class LatexDoc:
    """What the scan found: paragraphs, notes by key, citation order, bibliography names."""

    paragraphs: list[Pieces] = field(default_factory=list)
    footnotes: dict[int, Pieces] = field(default_factory=dict)
    bibitems: dict[str, Pieces] = field(default_factory=dict)
    cited: dict[str, None] = field(default_factory=dict)
    nocite: dict[str, None] = field(default_factory=dict)
    bibfiles: list[str] = field(default_factory=list)
    title: Pieces | None = None
    heading: Pieces | None = None
    date: Pieces | None = None


class Scanner:
    """One pass over a LaTeX source; `where` maps an offset to its position (default: in `src`)."""

    def __init__(self, src: str, where: Callable[[int], Span] | None = None) -> None:
        self.s = src
        self.where = where
        self.starts = [0]
        if where is None:
            self.starts.extend(m.end() for m in re.finditer("\n", src))
        self.doc = LatexDoc()
        self.footnote = 0
        self.last_mark: int | None = None
        self.body = "\\begin{document}" not in src

    def at(self, i: int) -> Span:
        """The position where `self.s[i]` was written."""
        if self.where is not None:
            return self.where(i)
        k = bisect_right(self.starts, i) - 1
        return Span(k + 1, i - self.starts[k] + 1)

    # -- groups ---------------------------------------------------------------------------

    def skip_space(self, i: int) -> int:
        n = len(self.s)
        while i < n and self.s[i] in " \t\n":
            if self.s[i] == "\n" and _BLANK_LINE.match(self.s, i):
                break
            i += 1
        return i

    def optional(self, i: int) -> tuple[str | None, int]:
        """An optional `[...]` argument at `i` (after spaces): its text and the index after."""
        j = self.skip_space(i)
        if j < len(self.s) and self.s[j] == "[":
            # Bounded: a stray `[` must not send every later command to the end of the file.
            end = self.s.find("]", j, j + _MAX_OPTIONAL)
            if end != -1:
                return self.s[j + 1 : end], end + 1
        return None, i

    def group_end(self, i: int, comments: bool = True) -> int:
        """The index of the `}` closing the group opened at `i` (len(s) if unclosed).

        A URL argument is read verbatim (`%` is part of it, as `\\url` and `\\href` read it).
        """
        depth = 0
        n = len(self.s)
        while i < n:
            c = self.s[i]
            if c == "\\":
                link = _LINK_ARG.match(self.s, i)
                if link and comments:
                    i = self.group_end(link.end() - 1, comments=False) + 1
                    continue
                i += 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    return i
            elif c == "%" and depth and comments:
                nl = self.s.find("\n", i)
                i = n if nl == -1 else nl
                continue
            i += 1
        return n

    def raw_group(self, i: int) -> tuple[str, int, int]:
        """A `{...}` argument read verbatim: (text, index of its first char, index after)."""
        j = self.skip_space(i)
        if j >= len(self.s) or self.s[j] != "{":
            return "", j, i
        end = self.group_end(j, comments=False)
        return self.s[j + 1 : end], j + 1, end + 1

    def parsed_group(self, i: int, out: Pieces, depth: int) -> int:
        """Render the `{...}` argument at `i` into `out`; the index after it."""
        j = self.skip_space(i)
        if j >= len(self.s) or self.s[j] != "{":
            return i
        end = self.group_end(j)
        if depth > _MAX_DEPTH:
            out.add(self.s[j + 1 : end], self.at(j + 1))
        else:
            self.run(j + 1, end, out, depth + 1)
        return end + 1

    # -- the scan -------------------------------------------------------------------------

    def paragraph(self, out: Pieces, top: bool) -> Pieces:
        """Close the paragraph `out` (at the top level only) and start the next one."""
        if not top:
            out.add("\n", None)
            return out
        if out.visible():
            self.doc.paragraphs.append(out)
        return Pieces()

    def run(self, i: int, end: int, out: Pieces, depth: int) -> Pieces:
        """Render `s[i:end]` into `out` (a new Pieces at each paragraph break at depth 0)."""
        top = depth == 0
        s = self.s
        while i < end:
            m = _SPECIAL.search(s, i, end)
            stop = m.start() if m else end
            if stop > i:
                if self.body or not top:
                    out.add(s[i:stop], self.at(i))
                i = stop
            if m is None:
                break
            token = m.group()
            if token == "%":
                nl = s.find("\n", i, end)
                # The comment's newline goes with it, and the next line's indentation.
                i = end if nl == -1 else nl + 1
                while i < end and s[i] in " \t":
                    i += 1
                continue
            if token == "\n":
                blank = _BLANK_LINE.match(s, i)
                if blank and blank.end() <= end + 1:
                    out = self.paragraph(out, top)
                    i = blank.end() - 1 if blank.group().endswith("\n") else blank.end()
                    i += 1 if i < end and s[i] == "\n" else 0
                else:
                    out.add(" ", None)
                    i += 1
                    while i < end and s[i] in " \t":
                        i += 1
                continue
            if token in ("{", "}"):
                i += 1
                continue
            if token in _TYPESET:
                if self.body or not top:
                    out.add(_TYPESET[token], self.at(i))
                i += len(token)
                continue
            i, out = self.command(i, end, out, depth)
        return out

    def command(self, i: int, end: int, out: Pieces, depth: int) -> tuple[int, Pieces]:
        s = self.s
        m = _COMMAND.match(s, i, end)
        if m is None:
            return i + 1, out
        top = depth == 0
        name = m.group(1)
        j = m.end()
        where = self.at(i)
        shown = self.body or not top
        if name is None:
            char = m.group(2)
            if char in _ACCENTS:
                return self.accent(j, char, out, shown)
            if shown:
                out.add(_CHARS.get(char, char), where)
            return j, out
        if name in _ACCENTS and s.startswith("{", j):
            return self.accent(j, name, out, shown)
        if name == "begin":
            env, _, after = self.raw_group(j)
            env = env.strip()
            if env == "document":
                self.body = True
                return after, self.paragraph(out, top)
            if env in _VERBATIM:
                close = s.find("\\end{" + env + "}", after)
                return (len(s) if close == -1 else close + len(env) + 6), self.paragraph(out, top)
            if env == "thebibliography":
                return self.bibliography(after), self.paragraph(out, top)
            _, after = self.optional(after)
            return after, self.paragraph(out, top)
        if name == "end":
            _, _, after = self.raw_group(j)
            return after, self.paragraph(out, top)
        if name == "verb":
            if j < len(s):
                close = s.find(s[j], j + 1)
                close = len(s) if close == -1 else close
                out.add(s[j + 1 : close], self.at(j + 1), masked=True)
                return close + 1, out
            return j, out
        if name == "item":
            _, j = self.optional(j)
            return j, self.paragraph(out, top)
        if name in ("footnote", "footnotetext"):
            return self.footnote_at(name, j, out, where, depth), out
        if name == "footnotemark":
            number, j = self.optional(j)
            self.footnote = int(number) if number and number.isdigit() else self.footnote + 1
            self.last_mark = self.footnote
            out.mark([("fn", self.footnote)], where)
            return j, out
        if _CITE.match(name):
            return self.cite(name, j, out, where), out
        if name == "url":
            text, first, after = self.raw_group(j)
            url = URL_ESCAPE.sub(r"\1", "".join(text.split()))
            if shown and url:
                out.link("", where, url, self.at(first))
            return after, out
        if name == "href":
            text, first, after = self.raw_group(j)
            url = URL_ESCAPE.sub(r"\1", "".join(text.split()))
            label = Pieces()
            after = self.parsed_group(after, label, depth)
            shown_label = label.build(lambda r: 0).text
            if shown:
                out.link(shown_label, where, url, self.at(first))
            return after, out
        if name in ("title", "date"):
            target = Pieces()
            after = self.parsed_group(self.optional(j)[1], target, depth + 1)
            if name == "title":
                self.doc.title = target
            else:
                self.doc.date = target
            return after, out
        if name in ("bibliography", "addbibresource"):
            _, after = self.optional(j)
            text, _, after = self.raw_group(after)
            self.doc.bibfiles.extend(p.strip() for p in text.split(",") if p.strip())
            return after, out
        if name in _HEADINGS and top:
            out = self.paragraph(out, top)
            _, after = self.optional(j)
            # A heading is no claim, but a footnote in it is still a note.
            heading = Pieces()
            after = self.parsed_group(after, heading, depth)
            if self.doc.heading is None and name != "caption" and heading.visible():
                self.doc.heading = heading
            return after, out
        if name in _DROP_ARGS:
            after = j
            for _ in range(_DROP_ARGS[name]):
                _, after = self.optional(after)
                _, _, after = self.raw_group(after)
            return after, out
        # TeX swallows the spaces after a control word (`{\\em the}` is "the").
        while j < end and s[j] in " \t":
            j += 1
        return j, out

    def accent(self, j: int, char: str, out: Pieces, shown: bool) -> tuple[int, Pieces]:
        s = self.s
        braced = j < len(s) and s[j] == "{"
        k = j + 1 if braced else j
        if k >= len(s):
            return k, out
        letter = s[k]
        after = k + 1
        if braced:
            close = s.find("}", k)
            after = len(s) if close == -1 else close + 1
        if shown:
            out.add(unicodedata.normalize("NFC", letter + _ACCENTS[char]), self.at(k))
        return after, out

    def footnote_at(self, name: str, j: int, out: Pieces, where: Span, depth: int) -> int:
        number, j = self.optional(j)
        if name == "footnote":
            if number and number.isdigit():
                n = int(number)
            else:
                self.footnote += 1
                n = self.footnote
        else:
            n = int(number) if number and number.isdigit() else (self.last_mark or self.footnote)
        note = Pieces()
        after = self.parsed_group(j, note, depth)
        self.doc.footnotes.setdefault(n, note)
        if name == "footnote":
            # A footnote citing the bibliography: its sentence cites those entries too.
            inner = [r for t, _, _ in note.items if not isinstance(t, str) for r in t.refs]
            out.mark([("fn", n), *inner], where)
        return after

    def cite(self, name: str, j: int, out: Pieces, where: Span) -> int:
        keys: list[str] = []
        after = j
        while True:
            _, after = self.optional(after)
            _, after = self.optional(after)
            text, _, nxt = self.raw_group(after)
            if nxt == after:
                break
            keys.extend(k.strip() for k in text.split(",") if k.strip())
            after = nxt
            if not name.endswith("cites"):
                break
        if name == "nocite":
            self.doc.nocite.update(dict.fromkeys(keys))
            return after
        self.doc.cited.update(dict.fromkeys(keys))
        if self.body:
            out.mark([("cite", k) for k in keys], where)
        return after

    def bibliography(self, i: int) -> int:
        """Read `\\bibitem[label]{key} text` entries up to `\\end{thebibliography}`."""
        s = self.s
        close = s.find("\\end{thebibliography}", i)
        stop = len(s) if close == -1 else close
        _, _, i = self.raw_group(i)  # the widest label
        items = [m.start() for m in re.finditer(r"\\bibitem\b", s[i:stop])]
        for k, start in enumerate(items):
            a = i + start + len("\\bibitem")
            b = i + items[k + 1] if k + 1 < len(items) else stop
            _, a = self.optional(a)
            key, _, a = self.raw_group(a)
            entry = Pieces()
            self.run(a, b, entry, 1)
            self.doc.bibitems.setdefault(key.strip(), entry)
        return stop + len("\\end{thebibliography}") if close != -1 else stop


def plain(tex: str) -> str:
    """A bibliography field's LaTeX as text (`Caf\\'e {Fran\\c{c}ais}` -> `Café Français`)."""
    scanner = Scanner(tex)
    return scanner.run(0, len(tex), Pieces(), 1).build(lambda r: 0).text
