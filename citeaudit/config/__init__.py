"""Project configuration: `[tool.citeaudit]` in pyproject.toml or citeaudit.toml; .citeauditignore.

Why files at all: a team that audits the same reports in CI wants the same exclusions, host limits
and accepted statuses on every machine without a long command line. Why walking up from the
document: reports live in a repository, and the repository's root holds the configuration.

Rules:

- Starting at the document's directory and walking up to the filesystem root, the first directory
  with a `citeaudit.toml` (keys at top level) or a `pyproject.toml` that has a `[tool.citeaudit]`
  table wins; in one directory `citeaudit.toml` beats `pyproject.toml`. Files are not merged.
- `.citeauditignore` is found the same way, independently: one URL pattern a line, `#` comments.
  Its patterns are added to `exclude`.
- Unknown keys and wrong types are errors (`ConfigError`, one line naming the file and the key),
  never silently ignored: a misspelt `per-host` would otherwise do nothing.
- Command-line values win over files (`merge`); `exclude` patterns from the command line are
  added to the file's, since excluding is cumulative.

Where: `model` (the typed Config), `values` and `tables` (reading one key's value),
`keys` (every key, `parse_config`, `merge`), `files` (finding files), `patterns` (URL patterns).
"""

from citeaudit.config.files import find_config, load_config, read_ignore_file
from citeaudit.config.keys import merge, parse_config
from citeaudit.config.model import Config
from citeaudit.config.patterns import url_rule

__all__ = [
    "Config",
    "find_config",
    "load_config",
    "merge",
    "parse_config",
    "read_ignore_file",
    "url_rule",
]
