"""Pages that answer 200 but are not the page cited, and pages that refuse robots.

A server that shows "Page not found" with status 200, or that sends every dead deep link to its
home page, hides link rot from a status-code checker. This module recognises such pages from
what a capped GET returned: "not found" phrases in the languages reports cite, a page that looks
like the host's answer for a random path that cannot exist, and a deep link redirected home.

It also recognises the opposite trap: bot walls, CAPTCHAs and login pages. Those say nothing
about whether the cited page exists, so they are `blocked` (unverified), never dead.

Everything here is pure: bytes and strings in, a reason (or None) out. No I/O.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlsplit

from citeaudit.catalog.hosts import host_path_query, listed_domain

# Title phrases are strong evidence; body phrases only count on short pages, where a footer
# link to "page not found" help or a search widget cannot be mistaken for the page itself.
NOT_FOUND_PHRASES: tuple[str, ...] = (
    # English
    "page not found", "404 not found", "error 404", "404 error",
    "page cannot be found", "page could not be found", "page can't be found",
    "page doesn't exist", "page does not exist", "page no longer exists",
    "this page isn't available", "nothing was found", "content not found",
    "article not found", "story not found", "the page you requested could not be found",
    "the requested page could not be found", "the page you are looking for",
    "the page you requested does not exist", "the requested url was not found",
    # Arabic
    "الصفحة غير موجودة", "الصفحة المطلوبة غير موجودة", "لم يتم العثور على الصفحة",
    "الصفحة التي تبحث عنها غير موجودة", "خطأ 404",
    # Persian
    "صفحه مورد نظر یافت نشد", "صفحه یافت نشد", "صفحه پیدا نشد", "صفحه مورد نظر وجود ندارد",
    "خطای 404",
    # Russian
    "страница не найдена", "страница не существует", "ошибка 404",
    "запрашиваемая страница не найдена",
    # Ukrainian
    "сторінку не знайдено", "сторінка не знайдена", "сторінки не існує", "помилка 404",
    # French
    "page introuvable", "page non trouvée", "erreur 404", "cette page n'existe pas",
    "la page demandée n'existe pas", "la page que vous recherchez n'existe pas",
    # Spanish
    "página no encontrada", "pagina no encontrada", "no se encontró la página",
    "la página que buscas no existe", "la página no existe",
    # German
    "seite nicht gefunden", "seite wurde nicht gefunden", "fehler 404",
    "die seite existiert nicht", "diese seite existiert nicht",
    # Turkish
    "sayfa bulunamadı", "aradığınız sayfa bulunamadı", "404 hatası", "sayfa mevcut değil",
    # Chinese (simplified and traditional)
    "页面不存在", "找不到页面", "页面未找到", "您访问的页面不存在", "网页不存在",
    "頁面不存在", "找不到網頁", "找不到頁面", "404错误",
)  # fmt: skip

CHALLENGE_PHRASES: tuple[str, ...] = (
    "captcha", "verify you are human", "verify that you are human", "are you a robot",
    "are you a human", "just a moment...", "attention required! | cloudflare",
    "checking your browser", "unusual traffic from your computer", "access denied",
    "request unsuccessful. incapsula", "pardon our interruption", "please enable js and disable",
    "проверка, что вы не робот", "вы не робот", "请输入验证码", "安全验证", "人机验证",
)  # fmt: skip

LOGIN_TITLES: tuple[str, ...] = (
    "log in", "login", "sign in", "sign-in", "signin", "connexion", "anmelden", "войти",
    "вход", "iniciar sesión", "giriş yap", "登录", "登入", "تسجيل الدخول", "ورود",
)  # fmt: skip

# Platforms that refuse robots: what they send to a checker says nothing about the page.
BOT_WALL_HOSTS = frozenset(
    {"twitter.com", "x.com", "facebook.com", "instagram.com", "linkedin.com", "threads.net"}
)
_BOT_WALL_STATUSES = frozenset({400, 401, 403, 429, 999})
_LOGIN_PATH = re.compile(
    r"/(?:login|log-in|signin|sign-in|sign_in|accounts/login|authwall|auth/login|checkpoint"
    r"|i/flow/login|session/new|uas/login)(?:[/?.]|$)",
    re.IGNORECASE,
)
_HOME_PATHS = frozenset(
    {"", "/", "/index.html", "/index.htm", "/index.php", "/home", "/default.aspx"}
)
_LANG_ROOT = re.compile(r"/[a-z]{2}(?:[-_][a-z]{2})?/?", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]{0,200}>(.{0,2000}?)</title\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,2000}>")
_SCRIPT = re.compile(
    r"<(script|style|noscript)\b[^>]{0,2000}>.{0,200000}?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_SHORT_PAGE = 4000
"""Visible characters below which body phrases count (an error page is short)."""


def decode(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML body by its declared charset, else UTF-8 with replacement.

    >>> decode("café".encode("latin-1"), "text/html; charset=ISO-8859-1")
    'café'
    """
    charset = None
    for source in (content_type.encode("latin-1", "replace") if content_type else b"", body[:2048]):
        m = _CHARSET.search(source)
        if m:
            charset = m.group(1).decode("ascii")
            break
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _clean(text: str) -> str:
    return _SPACE.sub(" ", html.unescape(text)).strip()


def extract_title(page: str) -> str | None:
    """The page's <title>, unescaped and with whitespace collapsed.

    >>> extract_title("<html><head><title>\\n A &amp; B </title></head>")
    'A & B'
    """
    m = _TITLE.search(page)
    if not m:
        return None
    title = _clean(m.group(1))
    return title or None


def visible_text(page: str) -> str:
    """Text of a page without scripts, styles and tags."""
    return _clean(_TAG.sub(" ", _SCRIPT.sub(" ", page)))


def _norm(text: str) -> str:
    return text.lower().translate(_DIGITS).replace("’", "'")


def _find(text: str, phrases: tuple[str, ...]) -> str | None:
    return _find_norm(_norm(text), phrases)


def _find_norm(low: str, phrases: tuple[str, ...]) -> str | None:
    # `low` is normalized already (`_norm`): a page's text is normalized once, not per list
    for phrase in phrases:
        if phrase in low:
            return phrase
    return None


# A title "segment" is one part of "Page not found | Site"; the phrase must be nearly all of one.
_TITLE_SPLIT = re.compile(r"\s+[|\-–—:·»«]+\s+|\s*[|·»«]\s*")
_TITLE_SLACK = 12
"""Characters a title segment may carry besides the phrase ("Oops! Page not found")."""
_404_SEGMENT = re.compile(
    r"\W*(?:error|erreur|fehler|ошибка|помилка|خطأ|خطای|hata)?\W*404(?!\d)\W*"
    r"(?:error|not found|page not found|hatası)?\W*"
)
_BARE_PAGE = 1200
"""Visible characters below which a body phrase counts: an error page is little but its message."""
_HEADLINE_WORDS = 5
"""A title segment with this many words besides the phrase is a headline, not an error page."""


_CJK = re.compile(r"[\u3040-\u9fff]")


def _words(segment: str) -> int:
    # Chinese and Japanese headlines have no spaces: two characters stand for about a word
    return len(segment.split()) + len(_CJK.findall(segment)) // 2


_TITLE_PHRASES = NOT_FOUND_PHRASES + ("not found", "nothing found", "no encontrado")


def _title_reason(parts: list[str]) -> str | None:
    # `parts`: the normalized title split into segments (`_TITLE_SPLIT`)
    segments = [s.strip(" !.?¡¿") for s in parts]
    for i, seg in enumerate(segments):
        if not seg:
            continue
        # "Seite nicht gefunden – Bürger kritisieren das neue Portal" is a headline quoting it
        if any(_words(o) >= _HEADLINE_WORDS for j, o in enumerate(segments) if j != i):
            continue
        if _404_SEGMENT.fullmatch(seg):
            return 'title says "404"'
        phrase = _find_norm(seg, _TITLE_PHRASES)  # a segment of a normalized title
        if phrase and len(seg) - len(phrase) <= _TITLE_SLACK:
            return f'title says "{phrase}"'
    return None


def _headline_like(parts: list[str]) -> bool:
    # "Missing hiker still not found after three days" is news that mentions the phrase
    return any(_words(s) >= _HEADLINE_WORDS for s in parts)


def not_found_reason(title: str | None, text: str) -> str | None:
    """Why a 2xx page reads as the site's "not found" page, or None.

    Mentioning the words is not enough: the title must be (nearly) the phrase or a 404
    shape, or the page must be almost nothing but the message under a non-headline title.

    >>> not_found_reason("Page not found | Example", "")
    'title says "page not found"'
    >>> not_found_reason("Новости", "Страница не найдена. Вернуться на главную.")
    'page says "страница не найдена"'
    >>> not_found_reason("Annual report 2023", "A long article. " * 400) is None
    True
    >>> not_found_reason("404 | Example", ""), not_found_reason("Flight 404 lands", "")
    ('title says "404"', None)
    >>> not_found_reason("Missing hiker still not found after storm | News", "") is None
    True
    """
    parts = _TITLE_SPLIT.split(_norm(title)) if title else []
    if parts:
        reason = _title_reason(parts)
        if reason:
            return reason
    if text and len(text) < _BARE_PAGE and not _headline_like(parts):
        phrase = _find(text, NOT_FOUND_PHRASES)
        if phrase:
            return f'page says "{phrase}"'
    return None


_LOGIN_SET = frozenset(LOGIN_TITLES)
_LOGIN_PREFIXES = tuple(word + " " for word in LOGIN_TITLES)
"""A title that is a login word, or starts with one and a space ("Log in | Site" too)."""


def blocked_reason(
    url: str,
    status: int,
    headers: dict[str, str],
    title: str | None,
    text: str,
    final_url: str | None = None,
) -> str | None:
    """Why an answer is a bot wall, CAPTCHA or login page rather than the cited page, or None.

    `headers` has lower-case names.

    >>> blocked_reason("https://www.linkedin.com/in/x", 999, {}, None, "")
    'linkedin.com refuses automated checks (status 999)'
    >>> blocked_reason("https://a.org/p", 403, {"cf-mitigated": "challenge"}, None, "")
    'Cloudflare bot challenge (cf-mitigated: challenge)'
    >>> blocked_reason("https://a.org/p", 200, {}, "Just a moment...", "") is not None
    True
    """
    final = final_url or url
    # one split of each URL (the same one when there was no redirect)
    final_parts = host_path_query(final)
    asked_parts = final_parts if url == final else host_path_query(url)
    final_host = final_parts[0] if final_parts else ""
    asked_host = asked_parts[0] if asked_parts else ""
    platform = listed_domain(final_host, BOT_WALL_HOSTS) or listed_domain(
        asked_host, BOT_WALL_HOSTS
    )
    if status == 999:
        return f"{platform or final_host} refuses automated checks (status 999)"
    if "cf-mitigated" in headers:
        return f"Cloudflare bot challenge (cf-mitigated: {headers['cf-mitigated']})"
    if platform and status in _BOT_WALL_STATUSES:
        return f"{platform} refuses automated checks (status {status})"
    if final_parts is None or asked_parts is None:
        final_path = asked_path = ""
    else:
        final_path, asked_path = final_parts[1], asked_parts[1]
    if _LOGIN_PATH.search(final_path) and not _LOGIN_PATH.search(asked_path):
        return f"redirected to a login page ({final})"
    low = _norm(title) if title else ""
    phrase = _find_norm(low, CHALLENGE_PHRASES)
    if phrase is None and text and len(text) < _SHORT_PAGE:
        phrase = _find(text, CHALLENGE_PHRASES)
    if phrase:
        return f'bot check or CAPTCHA page ("{phrase}")'
    login_title = low in _LOGIN_SET or low.startswith(_LOGIN_PREFIXES)
    if title and login_title and not _LOGIN_PATH.search(asked_path):
        return f'login page ("{title}")'
    if platform and status < 300 and title and _find_norm(low, LOGIN_TITLES):
        return f"{platform} shows a login wall"
    return None


def is_home_redirect(url: str, final_url: str) -> bool:
    """Whether a deep link ended on its site's home page (a soft 404 by redirection).

    >>> is_home_redirect("https://www.a.org/news/2023/story", "https://a.org/")
    True
    >>> is_home_redirect("https://a.org/", "https://a.org/en/")
    False
    >>> is_home_redirect("https://a.org/story", "https://a.org/story/")
    False
    """
    try:
        asked, final = urlsplit(url), urlsplit(final_url)
    except ValueError:
        return False
    asked_path = asked.path.rstrip("/")
    if asked.path in _HOME_PATHS or _LANG_ROOT.fullmatch(asked.path) or not asked_path:
        return False
    if (asked.hostname or "").removeprefix("www.") != (final.hostname or "").removeprefix("www."):
        return False
    return final.path in _HOME_PATHS or bool(_LANG_ROOT.fullmatch(final.path))


@dataclass(frozen=True, slots=True)
class PageShape:
    """What a host answered for one URL, reduced to what soft-404 comparison needs."""

    status: int
    title: str | None
    size: int
    final_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for the cache."""
        return {
            "status": self.status,
            "title": self.title,
            "size": self.size,
            "final_url": self.final_url,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageShape:
        """Inverse of `to_dict`."""
        return cls(int(data["status"]), data.get("title"), int(data["size"]), data.get("final_url"))


def _title_key(title: str | None) -> str:
    # ids and dates in titles differ between two error pages of one site
    return re.sub(r"\d+", "#", _norm(title or "")).strip()


def like_probe(page: PageShape, probe: PageShape) -> bool:
    """Whether a page looks like the host's answer for a path that cannot exist.

    >>> probe = PageShape(200, "Welcome to A", 10_000)
    >>> like_probe(PageShape(200, "Welcome to A", 10_150), probe)
    True
    >>> like_probe(PageShape(200, "Budget 2024 | A", 30_000), probe)
    False
    """
    if page.status != probe.status or not 200 <= probe.status < 300:
        return False
    a, b = _title_key(page.title), _title_key(probe.title)
    if (a or b) and SequenceMatcher(None, a, b).ratio() < 0.9:
        return False
    biggest = max(page.size, probe.size, 1)
    return abs(page.size - probe.size) <= max(0.05 * biggest, 256)
