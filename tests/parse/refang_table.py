"""The defang vocabulary as a table: each form as written, the URL it stands for, its flags.

Written from the forms of citeaudit's issue 11 and from the rules ioc-fanger (`fang.json`) and
iocextract (`refang_url`) document; shared by tests/parse/test_refang.py and
benchmarks/bench_refang.py, which measures how much of it citeaudit and iocextract recover.
"""

from __future__ import annotations

# (as written, refanged URL, flags in order)
TABLE: list[tuple[str, str, tuple[str, ...]]] = [
    ("http://examples[.)com/a", "http://examples.com/a", ("defanged", "unbalanced_brackets")),
    ("http://examples(.]com/a", "http://examples.com/a", ("defanged", "unbalanced_brackets")),
    ("http://examples{.]com/a", "http://examples.com/a", ("defanged", "unbalanced_brackets")),
    ("http://examples[dot)com/a", "http://examples.com/a", ("defanged", "unbalanced_brackets")),
    ("http://examples(dot}com/a", "http://examples.com/a", ("defanged", "unbalanced_brackets")),
    ("hxxp://example[.com/test", "http://example.com/test", ("defanged", "unbalanced_brackets")),
    ("hxxp://example.]com/test", "http://example.com/test", ("defanged", "unbalanced_brackets")),
    ("hxxp://exampledot]com/test", "http://example.com/test", ("defanged", "unbalanced_brackets")),
    ("hxxp://example[dotcom/test", "http://example.com/test", ("defanged", "unbalanced_brackets")),
    ("http://example(dot)com/test", "http://example.com/test", ("defanged",)),
    ("http://example-dot-com/test", "http://example.com/test", ("defanged",)),
    ("http://example DOT com/test", "http://example.com/test", ("defanged",)),
    ("http://example dot com/test", "http://example.com/test", ("defanged",)),
    ("http://exampleDOTcom/test", "http://example.com/test", ("defanged",)),
    ("http://example[dot]com/test", "http://example.com/test", ("defanged",)),
    ("http://example{dot}com/test", "http://example.com/test", ("defanged",)),
    ("http__example.com/test", "http://example.com/test", ("defanged", "mangled_separator")),
    ("http:__example.com/test", "http://example.com/test", ("defanged", "mangled_separator")),
    ("http:\\\\example.com/test", "http://example.com/test", ("defanged", "mangled_separator")),
    ("http ://example.com/test", "http://example.com/test", ("defanged", "mangled_separator")),
    ("http: //example.com/test", "http://example.com/test", ("defanged", "mangled_separator")),
    ("http:///example.com/test", "http://example.com/test", ("defanged", "mangled_separator")),
    ("[http]://example.com/test", "http://example.com/test", ("defanged", "defanged_scheme")),
    ("hxxps[:]//example.com/test", "https://example.com/test", ("defanged",)),
    (
        "https:\\/\\/example.com\\/test",
        "https://example.com/test",
        ("defanged", "mangled_separator", "escaped"),
    ),
    ("hxxp://example.com/test", "http://example.com/test", ("defanged",)),
    ("HXXPS://example.com/test", "https://example.com/test", ("defanged", "defanged_scheme")),
    ("hXXp://example.com/test", "http://example.com/test", ("defanged",)),
    ("h**p://example.com/test", "http://example.com/test", ("defanged",)),
    ("fxp://example.com/test", "ftp://example.com/test", ("defanged", "defanged_scheme")),
    ("ftx://example.com/test", "ftp://example.com/test", ("defanged", "defanged_scheme")),
    ("hXxPs://example.com/test", "https://example.com/test", ("defanged", "defanged_scheme")),
    ("(hxxp)://example.com/test", "http://example.com/test", ("defanged", "defanged_scheme")),
    ("http://example\\.com/test", "http://example.com/test", ("defanged", "escaped")),
    ("example\\.com/test", "http://example.com/test", ("scheme_added", "defanged", "escaped")),
    (
        "test\\.example\\.com/test",
        "http://test.example.com/test",
        ("scheme_added", "defanged", "escaped"),
    ),
    (
        "https://example\\(.\\)com/test\\.html",
        "https://example.com/test.html",
        ("defanged", "escaped"),
    ),
    ("http://example<.>com/test", "http://example.com/test", ("defanged",)),
    ("http://example<DOT>com/test", "http://example.com/test", ("defanged",)),
    ("http://user[@]example.com/test", "http://user@example.com/test", ("defanged", "defanged_at")),
    (
        "http://user[at]example.com/test",
        "http://user@example.com/test",
        ("defanged", "defanged_at"),
    ),
    ("http:// example .com /test", "http://example.com/test", ("defanged", "spaced")),
    ("example [.] com/test", "http://example.com/test", ("scheme_added", "defanged", "spaced")),
    ("http://example [.] com/test", "http://example.com/test", ("defanged", "spaced")),
    (
        "test \\. example \\. com/test",
        "http://test.example.com/test",
        ("scheme_added", "defanged", "escaped", "spaced"),
    ),
    ("http://exam\u200bple.com/test", "http://example.com/test", ("defanged", "zero_width")),
    ("http://example.\u2060com/te\ufeffst", "http://example.com/test", ("defanged", "zero_width")),
    ("example[.]com/test", "http://example.com/test", ("scheme_added", "defanged")),
    ("example(.)com/test", "http://example.com/test", ("scheme_added", "defanged")),
    ("111[.]111[.]111[.]111/test", "http://111.111.111.111/test", ("scheme_added", "defanged")),
    ("www[.]example[.]com/test", "http://www.example.com/test", ("scheme_added", "defanged")),
    ("http://example[.]com[/]test", "http://example.com/test", ("defanged",)),
    ("http://example(.)com(/)test", "http://example.com/test", ("defanged",)),
    ("http://example.com/test[.]htm", "http://example.com/test.htm", ("defanged",)),
    ("http://example[[.]]com/test", "http://example.com/test", ("defanged",)),
    ("hxxp://example.com[/test", "http://example.com/test", ("defanged", "unbalanced_brackets")),
]

# Prose and near-misses that must never become a URL.
NOT_URLS: list[str] = [
    "the dot com era",
    "Use (dot) notation and [.] brackets in prose.",
    "The Department of Transportation (DOT) said so.",
    "user[@]example[.]com wrote",
    "an e.g. list and the U.S. army",
    "a hxxp joke without a colon",
    "http:// and https:// alone",
    "http://#x",
    "see example.com and www-example",
    "a[.]b is not a host",
    "1\\. Introduction",
]
