"""Which headings open a notes section, and which open a list that is not citation.

Every reader (text, Markdown, HTML, PDF, DOCX) meets the same headings, in the forms real
documents print them: "Endnotes", "**Notes:**", "## 7. References", "Notes & References",
"References[edit]" (Wikipedia), "Notas", "Anmerkungen", "Примечания". One vocabulary here keeps
the readers from drifting apart. "Further reading", "External links" and "See also" open lists
of links that the text does not cite: their entries are not sources unless a marker cites them.

It does not decide where a section ends or what a note looks like: that is each reader's job.

>>> is_notes_heading("## Notes & References")
True
>>> is_notes_heading("References[edit]")
True
>>> is_notes_heading("Примечания")
True
>>> is_notes_heading("Notes on methodology")
False
>>> is_uncited_heading("Further reading")
True
"""

from __future__ import annotations

import re

_NOTES_WORDS = (
    # English
    "end ?notes", "notes", "references", "sources", "footnotes", "citations", "bibliography",
    "works cited", "literature cited", "references cited", "reference list", "source notes",
    "notes (?:and|&) references", "notes (?:and|&) sources", "sources (?:and|&) notes",
    "references (?:and|&) notes", "notes (?:and|&) citations", "sources cited",
    # Spanish, Portuguese, Italian, Catalan
    "notas", "notas y referencias", "referencias", "fuentes", "bibliografía", "bibliografia",
    "notas e referências", "referências", "fontes", "note", "note e riferimenti", "riferimenti",
    # French
    "références", "notes et références", "sources et références",
    # German, Dutch, Scandinavian
    "anmerkungen", "fußnoten", "fussnoten", "einzelnachweise", "quellen", "literatur",
    "noten", "bronnen", "voetnoten", "referenties", "noter", "källor", "kilder", "fotnoter",
    # Slavic
    "примечания", "сноски", "источники", "литература", "przypisy", "bibliografia",
    "poznámky", "reference", "napomene", "izvori",
    # Turkish, Greek
    "kaynakça", "kaynaklar", "notlar", "dipnotlar", "σημειώσεις", "παραπομπές",
    # Arabic, Persian, Hebrew
    "ملاحظات", "الهوامش", "المراجع", "مراجع", "مصادر", "المصادر", "هوامش", "منابع", "پانویس",
    "یادداشت‌ها", "הערות", "מקורות", "הערות שוליים",
    # Chinese, Japanese, Korean
    "注释", "注釋", "参考文献", "參考文獻", "脚注", "註釋", "出典", "注",
    "각주", "참고 문헌", "출처",
)  # fmt: skip
_UNCITED_WORDS = (
    "further reading", "external links", "see also", "related reading", "additional reading",
    "suggested reading", "recommended reading", "related articles", "related links",
    "weiterführende literatur", "weblinks", "siehe auch", "liens externes", "voir aussi",
    "enlaces externos", "véase también", "ver também", "ссылки", "см. также",
)  # fmt: skip

# Decoration real documents put around a heading: Markdown hashes, emphasis, section numbers
# ("7.", "VII.", "A."), a trailing colon, Wikipedia's "[edit]" / "[modifier]" links.
_PREFIX = r"^\s{0,3}(?:#{1,6}\s*)?(?:\*\*|__|\*|_)?\s*(?:(?:\d{1,2}|[IVXLC]{1,5}|[A-Z])[.)]?\s+)?"
_SUFFIX = (
    r"\s*(?:\*\*|__|\*|_)?\s*[:：.]?\s*(?:\*\*|__)?\s*"
    r"(?:\[\s*(?:edit|edit source|modifier|bearbeiten|editar|modifica|править)\s*\])?\s*#*\s*$"
)


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    return re.compile(f"{_PREFIX}(?:{alternatives}){_SUFFIX}", re.IGNORECASE)


_NOTES = _pattern(_NOTES_WORDS)
_UNCITED = _pattern(_UNCITED_WORDS)
_MAX_HEADING = 80


def is_notes_heading(line: str) -> bool:
    """A line that is a heading opening a notes section, in any common form or language."""
    return len(line) <= _MAX_HEADING and _NOTES.match(line) is not None


def is_uncited_heading(line: str) -> bool:
    """A heading opening a list of links that are not citations ("Further reading", ...)."""
    return len(line) <= _MAX_HEADING and _UNCITED.match(line) is not None
