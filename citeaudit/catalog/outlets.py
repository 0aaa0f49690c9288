"""Who published a source: its outlet.

Counting distinct outlets is how citeaudit tells a claim backed by three newspapers from a claim
backed by three links to one website. The outlet is the registered domain (public suffix list,
offline: the list bundled with tldextract, never a download), except on platforms where the
domain says nothing about who is speaking: there the outlet is the account
(`twitter.com/DeirEzzore`, `t.me/jharnous`). Shorteners hide the outlet until the checker
follows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import parse_qs

from citeaudit.catalog.archives import archive_at
from citeaudit.catalog.hosts import host_path_query
from citeaudit.models import OutletKind
from citeaudit.parse.suffixes import registered_domain

SHORTENERS = frozenset(
    {
        "t.co", "bit.ly", "bitly.com", "goo.gl", "tinyurl.com", "ow.ly", "buff.ly", "dlvr.it",
        "is.gd", "lnkd.in", "fb.me", "trib.al", "shorturl.at", "cutt.ly", "rebrand.ly", "t.ly",
        "tiny.cc", "rb.gy", "s.id", "v.gd", "bl.ink", "short.io", "amzn.to", "wp.me",
    }
)  # fmt: skip

# Platform -> (canonical host, how many path segments name the account, reserved first segments)
_TWITTER_RESERVED = frozenset(
    {"i", "intent", "search", "hashtag", "home", "share", "explore", "settings", "web"}
)
_PLATFORM_HOSTS = {
    "twitter.com": "twitter.com",
    "x.com": "twitter.com",
    "t.me": "t.me",
    "telegram.me": "t.me",
    "facebook.com": "facebook.com",
    "fb.com": "facebook.com",
    "youtube.com": "youtube.com",
    "instagram.com": "instagram.com",
    "tiktok.com": "tiktok.com",
    "linkedin.com": "linkedin.com",
    "reddit.com": "reddit.com",
    "medium.com": "medium.com",
    "github.com": "github.com",
    "vk.com": "vk.com",
    "threads.net": "threads.net",
}


def _account(platform: str, segments: list[str], query: str) -> str | None:
    if not segments:
        return None
    first = segments[0]
    if platform == "twitter.com":
        return None if first.lower() in _TWITTER_RESERVED else first
    if platform == "t.me":
        if first == "s" and len(segments) > 1:
            return segments[1]
        return None if first in ("joinchat", "share", "addstickers") else first
    if platform == "facebook.com":
        if first == "profile.php":
            ident = parse_qs(query).get("id", [""])[0]
            return f"profile.php?id={ident}" if ident else None
        if first in ("groups", "pages") and len(segments) > 1:
            return f"{first}/{segments[1]}"
        return (
            None
            if first in ("watch", "story.php", "permalink.php", "photo.php", "sharer")
            else first
        )
    if platform == "youtube.com":
        if first.startswith("@"):
            return first
        if first in ("channel", "c", "user") and len(segments) > 1:
            return f"{first}/{segments[1]}"
        return None
    if platform in ("tiktok.com", "medium.com"):
        return first if first.startswith("@") or platform == "medium.com" else None
    if platform == "linkedin.com":
        if first in ("in", "company", "school") and len(segments) > 1:
            return f"{first}/{segments[1]}"
        return None
    if platform == "reddit.com":
        if first in ("r", "u", "user") and len(segments) > 1:
            return f"{first}/{segments[1]}"
        return None
    if platform == "instagram.com":
        return None if first in ("p", "reel", "explore", "stories", "tv") else first
    return first


@lru_cache(maxsize=4096)
def is_shortlink(host: str) -> bool:
    """Whether the host is a URL shortener whose target outlet is unknown until followed."""
    host = host.lower()
    return host in SHORTENERS or host.removeprefix("www.") in SHORTENERS


@lru_cache(maxsize=1024)
def outlet_of(url: str) -> str:
    """The outlet of a normalized URL.

    >>> outlet_of("https://twitter.com/DeirEzzore/status/1677278853734051846")
    'twitter.com/DeirEzzore'
    >>> outlet_of("https://x.com/DeirEzzore/status/1")
    'twitter.com/DeirEzzore'
    >>> outlet_of("https://t.me/jharnous/989")
    't.me/jharnous'
    >>> outlet_of("https://en.mehrnews.com/202996/x")
    'mehrnews.com'
    """
    parts = host_path_query(url)
    if parts is None:
        return ""
    host, path, query = parts
    if not host:
        return ""
    if is_shortlink(host):
        return host.removeprefix("www.")
    domain = registered_domain(host)
    platform = _PLATFORM_HOSTS.get(domain)
    if platform is None:
        return domain
    segments = [s for s in path.split("/") if s]
    account = _account(platform, segments, query)
    return f"{platform}/{account}" if account else platform


# Outlets owned or directed by a state (registered domains). Not exhaustive: `outlet_kinds` in
# the configuration adds or corrects entries. Sources: the outlets' own ownership statements and
# the state-affiliated media labels platforms apply.
STATE_MEDIA = frozenset(
    {
        # Russia
        "rt.com", "sputniknews.com", "sputnikarabic.ae", "sputniknews.cn", "sputnik.by",
        "ria.ru", "tass.ru", "tass.com", "rg.ru", "vesti.ru", "1tv.ru", "tvzvezda.ru",
        # Iran
        "irna.ir", "presstv.ir", "presstv.com", "tasnimnews.com", "farsnews.ir", "mehrnews.com",
        "irib.ir", "iribnews.ir", "hispantv.com", "alalam.ir", "kayhan.ir", "isna.ir",
        # Syria
        "sana.sy", "syriatimes.sy", "alikhbaria.sy",
        # China
        "xinhuanet.com", "news.cn", "cgtn.com", "globaltimes.cn", "chinadaily.com.cn",
        "people.com.cn", "cctv.com",
        # Turkey, North Korea, Belarus, Venezuela
        "aa.com.tr", "trtworld.com", "trt.net.tr", "kcna.kp", "belta.by", "telesurtv.net",
    }
)  # fmt: skip

# Governments and armed forces outside the .gov/.mil names the rule below catches.
GOVERNMENT = frozenset(
    {
        "kremlin.ru", "mil.ru", "mid.ru", "government.ru", "president.ir", "leader.ir",
        "khamenei.ir", "mfa.ir", "un.org", "nato.int", "europa.eu", "gov.uk",
    }
)  # fmt: skip


def outlet_kind(outlet: str, overrides: Mapping[str, str] | None = None) -> OutletKind | None:
    """State media, government, a social account, a web archive, or None (anything else).

    >>> [str(outlet_kind(o)) for o in ("sana.sy", "centcom.mil", "t.me/jharnous", "archive.ph")]
    ['state_media', 'government', 'social', 'archive']
    >>> outlet_kind("reuters.com") is None
    True
    >>> outlet_kind("reuters.com", {"reuters.com": "state_media"})
    <OutletKind.STATE_MEDIA: 'state_media'>
    """
    if overrides and outlet in overrides:
        value = overrides[outlet]
        return OutletKind(value) if value else None
    if "/" in outlet:  # platform accounts are written platform/account
        return OutletKind.SOCIAL
    if archive_at(outlet) is not None:
        return OutletKind.ARCHIVE
    if outlet in STATE_MEDIA:
        return OutletKind.STATE_MEDIA
    labels = outlet.split(".")
    if outlet in GOVERNMENT or labels[-1] in ("gov", "mil") or {"gov", "mil"} & set(labels[1:]):
        return OutletKind.GOVERNMENT
    return None
