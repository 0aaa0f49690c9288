"""Every configuration key: what a file may say, how a bad value is named, and the flags win."""

from __future__ import annotations

import pytest

from citeaudit.config import Config, load_config, merge
from citeaudit.errors import ConfigError

from .conftest import doc, write

FULL = """
exclude = ["*.internal.example", "re:^https?://localhost"]
per_host = {default = 3, "x.com" = 1}
timeout = 20
accept = {"x.com" = [403], "linkedin.com" = [999, 403]}
outlet_aliases = {"t.me/isw" = "understandingwar.org"}
outlet_kinds = {"alwatan.sy" = "state_media", "sana.sy" = ""}
fail_on = ["lost", "single_source"]
concurrency = 16
retries = 0
user_agent = "audit-bot/1"
archive = "memento"
cache = ".cache/citeaudit.sqlite"
"""


def test_every_key(repo):
    write(repo / "citeaudit.toml", FULL)
    config = load_config(doc(repo))
    assert config.exclude == ("*.internal.example", "re:^https?://localhost")
    assert config.per_host == 3
    # how hosts match these (subdomains, www.) is the checker's: see tests/test_audit.py
    assert config.host_limits == (("x.com", 1),)
    assert config.timeout == 20.0
    assert config.accept == (("linkedin.com", (403, 999)), ("x.com", (403,)))
    assert config.outlet_aliases == (("t.me/isw", "understandingwar.org"),)
    assert dict(config.outlet_kinds) == {"alwatan.sy": "state_media", "sana.sy": ""}
    assert config.fail_on == ("lost", "single-source")
    assert (config.concurrency, config.retries) == (16, 0)
    assert config.user_agent == "audit-bot/1"
    assert config.archive == "memento"
    assert config.cache == (repo / ".cache" / "citeaudit.sqlite").resolve()


def test_per_host_as_int(repo):
    write(repo / "citeaudit.toml", "per_host = 1\n")
    config = load_config(doc(repo))
    assert config.per_host == 1 and config.host_limits == ()


def test_unknown_key_names_key_file_and_suggestion(repo, monkeypatch):
    monkeypatch.chdir(repo)
    write(repo / "pyproject.toml", "[tool.citeaudit]\nper-host = 2\n")
    with pytest.raises(ConfigError) as info:
        load_config(doc(repo))
    assert str(info.value) == (
        "pyproject.toml: unknown key 'per-host' in [tool.citeaudit] (did you mean 'per_host'?)"
    )


def test_unknown_key_without_suggestion(repo, monkeypatch):
    monkeypatch.chdir(repo)
    write(repo / "citeaudit.toml", "colour = 'blue'\n")
    with pytest.raises(ConfigError, match=r"^citeaudit.toml: unknown key 'colour'$"):
        load_config(doc(repo))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('timeout = "fast"', "'timeout' must be a number, not str"),
        ("timeout = 0", "'timeout' must be positive"),
        ("per_host = true", "'per_host' must be an integer, not bool"),
        ("per_host = 0", "'per_host' must be at least 1"),
        ('per_host = {"x.com" = "one"}', "'per_host.x.com' must be an integer"),
        ("concurrency = 1.5", "'concurrency' must be an integer, not float"),
        ("exclude = [1]", "'exclude' must be a list of strings"),
        ('accept = {"x.com" = ["forbidden"]}', "'accept.x.com': 'forbidden' is not a status"),
        ('accept = {"x.com" = [42]}', "'accept.x.com' must be HTTP statuses"),
        ('accept = {"x.com" = [true]}', "'accept.x.com' must be HTTP statuses"),
        ('accept = "300..=200"', "'accept': '300..=200' is not a range of HTTP statuses"),
        ('accept = {"https://x.com" = [403]}', "'accept' key 'https://x.com' is not a host"),
        ("max_redirects = -1", "'max_redirects' must be at least 0"),
        ('header = ["Accept text/html"]', "'header' 'Accept text/html' must be 'Name: value'"),
        ('header = {"Bad Name" = "x"}', "'header' 'Bad Name': not a valid header"),
        ('include = ["re:("]', "include: invalid regular expression 're:('"),
        ('exclude_path = ["re:["]', "exclude_path: invalid regular expression 're:['"),
        ('outlet_aliases = {"a" = 1}', "'outlet_aliases.a' must be a string"),
        ('outlet_kinds = {"a.com" = "tabloid"}', "'outlet_kinds.a.com' must be one of"),
        ('fail_on = ["lots"]', "unknown fail_on value 'lots'"),
        ('archive = "ia"', "'archive' must be one of wayback, memento, none"),
        ('exclude = ["re:("]', "invalid regular expression 're:('"),
    ],
)
def test_wrong_types_are_errors(repo, text, message):
    write(repo / "citeaudit.toml", text + "\n")
    with pytest.raises(ConfigError, match="citeaudit.toml") as info:
        load_config(doc(repo))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_given_command_line_values_win(repo):
    write(repo / "citeaudit.toml", FULL)
    config = merge(
        load_config(doc(repo)),
        {
            "timeout": 2,
            "per_host": 6,
            "fail_on": ["never"],
            "archive": "none",
            "retries": None,  # not given: the file's value stays
            "concurrency": None,
            "exclude": ["https://skip.example/*"],
            "accept": {"facebook.com": [403]},
        },
    )
    assert config.timeout == 2.0
    assert config.per_host == 6
    assert config.host_limits == (("x.com", 1),)  # the file's per-host table still applies
    assert config.fail_on == ("never",)
    assert config.archive == "none"
    assert config.retries == 0 and config.concurrency == 16
    assert config.exclude[-1] == "https://skip.example/*"
    assert "*.internal.example" in config.exclude  # command-line excludes add up
    # accepted statuses add up too: the command line's are added to the file's
    assert dict(config.accept)["facebook.com"] == (403,) and dict(config.accept)["x.com"] == (403,)


def test_merge_validates_command_line_values():
    with pytest.raises(ConfigError, match="unknown fail_on value 'oops'"):
        merge(Config(), {"fail_on": ["oops"]})
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        merge(Config(), {"colour": "blue"})
    assert merge(Config(), {"fail_on": []}).fail_on == ("lost",)


def test_the_lychee_keys_read_from_a_file(repo):
    (repo / "site").mkdir()
    write(repo / "cookies.txt", "# Netscape HTTP Cookie File\n")
    write(
        repo / "citeaudit.toml",
        'include = ["*.gov"]\nexclude_path = ["drafts/"]\nmax_redirects = 3\n'
        'header = ["Accept: text/html", "X-Team: audit"]\naccept = ["200..=299", 403]\n'
        'remap = ["https://a.test/ https://b.test/"]\nbase_url = "site"\noffline = true\n'
        'include_fragments = true\nrequire_https = true\ngithub_token = "ghp_x"\n'
        'cookie_jar = "cookies.txt"\n',
    )
    config = load_config(doc(repo))
    assert config.include == ("*.gov",) and config.exclude_path == ("drafts/",)
    assert config.max_redirects == 3
    assert config.header == (("Accept", "text/html"), ("X-Team", "audit"))
    assert set(dict(config.accept)["*"]) == {*range(200, 300), 403}
    assert config.remap == ("https://a.test/ https://b.test/",)
    assert config.base_url == str((repo / "site").resolve())  # relative to the file
    assert config.offline and config.include_fragments and config.require_https
    assert config.cookie_jar == str(repo / "cookies.txt")
    assert config.github_token == "ghp_x" and "ghp_x" not in repr(config)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('base_url = "ftp://x.example/"', "'base_url' must be an http(s) address or a folder"),
        ('base_url = "no-such-folder"', "'base_url' 'no-such-folder': no such folder"),
        ('cookie_jar = "none.txt"', "'cookie_jar' 'none.txt': no such file"),
        ("offline = 1", "'offline' must be true or false"),
        ('remap = ["only-one"]', "'remap' 'only-one' must be 'PATTERN REPLACEMENT'"),
        ("github_token = 12345", "'github_token' must be a string"),
    ],
)
def test_bad_lychee_keys_are_errors_naming_the_key(repo, text, message):
    write(repo / "citeaudit.toml", text + "\n")
    with pytest.raises(ConfigError, match="citeaudit.toml") as info:
        load_config(doc(repo))
    assert message in str(info.value)
    assert "12345" not in str(info.value)  # a token, even a bad one, is never repeated


def test_store_names_a_postgresql_url_only(repo):
    write(repo / "citeaudit.toml", 'store = "postgresql://ann@db.example/evidence"\n')
    assert load_config(doc(repo)).store == "postgresql://ann@db.example/evidence"
    write(repo / "citeaudit.toml", 'store = "postgres:///evidence?host=/run/pg"\n')
    assert load_config(doc(repo)).store == "postgres:///evidence?host=/run/pg"
    for bad, says in (
        ('store = "sqlite:///x.db"', "citeaudit.toml: store 'sqlite:///x.db' is not a postgresql"),
        ("store = 5", "'store' must be a string"),
        ('store = "postgresql:///x"\ncache = "c.db"', "'cache' and 'store' name two stores"),
    ):
        write(repo / "citeaudit.toml", bad + "\n")
        with pytest.raises(ConfigError, match=says):
            load_config(doc(repo))
