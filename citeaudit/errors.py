"""citeaudit's own failures: one base error per layer, always chained with `raise ... from`.

A dead link is not an error (it is a `LinkStatus`); these are for input the tool cannot read,
a cache it cannot open, a report it cannot write.
"""


class CiteauditError(Exception):
    """Base of every error citeaudit raises on purpose; the CLI turns it into one line, exit 2."""


class InputError(CiteauditError):
    """The document given cannot be read as a report (missing, binary, empty, no notes)."""


class ParseError(CiteauditError):
    """The document was read but its structure could not be parsed."""


class CheckError(CiteauditError):
    """The checker could not run (bad options, unusable client settings)."""


class CacheError(CiteauditError):
    """The cache cannot be used; callers warn once and run without it."""


class ReportError(CiteauditError):
    """A report could not be rendered or written."""


class ConfigError(CiteauditError):
    """A configuration file is invalid (unknown key, wrong type)."""
