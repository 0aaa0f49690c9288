"""The catalog's closed vocabularies: what a parser noticed, how notes are cited, finding kinds."""

from __future__ import annotations

from enum import StrEnum


class Flag(StrEnum):
    """What the parser noticed or repaired about one source."""

    MARKDOWN_LINK = "markdown_link"
    LINK_TEXT_DIFFERS = "link_text_differs"
    DEFANGED = "defanged"
    GLUED = "glued"
    TRUNCATED = "truncated"
    JOINED_FRAGMENT = "joined_fragment"
    DUPLICATE_IN_NOTE = "duplicate_in_note"
    NON_ASCII = "non_ascii"
    SCHEME_ADDED = "scheme_added"
    SHORTLINK = "shortlink"
    INVALID = "invalid"
    RELATIVE = "relative"
    """A link relative to the document (`./other.md`, `/about`): a local file, or a page under
    `--base-url`; its `url` is the link as written."""
    DEFANGED_SCHEME = "defanged_scheme"
    """A disguised scheme: `hxxp`, `HXXPS`, `h**p`, `fxp`, `[http]`."""
    MANGLED_SEPARATOR = "mangled_separator"
    """A broken `://`: `http__`, `http:\\\\`, `http ://`, `http:///`, `[:]//`, `[://]`."""
    UNBALANCED_BRACKETS = "unbalanced_brackets"
    """A dot in mismatched or half brackets: `[.)`, `{.]`, `[dot)`, `example[.com`."""
    ESCAPED = "escaped"
    """Backslash-escaped dots or slashes: `example\\.com`, `https:\\/\\/`."""
    DEFANGED_AT = "defanged_at"
    """An at sign in brackets: `[@]`, `[at]`."""
    SPACED = "spaced"
    """Spaces around dots or slashes, or after `://`, inside one URL."""
    ZERO_WIDTH = "zero_width"
    """Zero-width characters (U+200B, U+2060, U+FEFF...) removed from inside the URL."""


class CitationStyle(StrEnum):
    """How a note is tied to the text that cites it."""

    ENDNOTES = "endnotes"
    """A notes section at the end, cited by markers (`[3]`, superscripts, Word endnotes)."""
    FOOTNOTES = "footnotes"
    """Notes at the foot of a page or written beside their marker (`[^3]:`, Word footnotes)."""
    INLINE = "inline"
    """A hyperlink in the running text: the sentence holding it is the claim."""
    BIBLIOGRAPHY = "bibliography"
    """A citation key resolved through a bibliography (`\\cite{key}` with a `.bib` file)."""


class FindingKind(StrEnum):
    """Kinds of document-level observations the catalog reports."""

    POSSIBLE_TYPO = "possible_typo"
    SAME_RESOURCE_VARIANT = "same_resource_variant"
    CITED_IN_MANY = "cited_in_many"
    NOTE_NEVER_CITED = "note_never_cited"
    MARKER_WITHOUT_NOTE = "marker_without_note"
    EMPTY_NOTE = "empty_note"
    TRUNCATED = "truncated"
    LINK_TEXT_DIFFERS = "link_text_differs"
    INVALID_UTF8 = "invalid_utf8"
    HTTPS_AVAILABLE = "https_available"
    """An `http://` link whose site answers on https (`--require-https`)."""
    INPUT_NOT_READ = "input_not_read"
    """A file the document includes (LaTeX `\\input`) that could not be read, so was skipped."""
    RELATIVE_LINKS_UNCHECKED = "relative_links_unchecked"
    """An HTML page's relative links (main content), not sources without `--base-url`: how many."""
