"""Soft-404 phrases, bot walls, home redirects and the random-path comparison (pure)."""

from __future__ import annotations

import pytest

from citeaudit.check.softnotfound import (
    PageShape,
    blocked_reason,
    decode,
    extract_title,
    is_home_redirect,
    like_probe,
    not_found_reason,
)


@pytest.mark.parametrize(
    "title",
    [
        "Page Not Found – The Times",  # English
        "الصفحة غير موجودة",  # Arabic
        "صفحه مورد نظر یافت نشد",  # Persian
        "Страница не найдена",  # Russian
        "Сторінку не знайдено",  # Ukrainian
        "Page introuvable | Le Monde",  # French
        "Página no encontrada",  # Spanish
        "Seite nicht gefunden",  # German
        "Sayfa bulunamadı",  # Turkish
        "页面不存在",  # Chinese
        "404 | Example",
        "خطای ۴۰۴",  # Persian digits
    ],
)
def test_not_found_titles_in_every_language(title: str) -> None:
    assert not_found_reason(title, "") is not None


@pytest.mark.parametrize(
    "title",
    ["Flight 404 lands safely", "OK page 404", "Syria: the war in 2023", "Найдена новая нефть"],
)
def test_ordinary_titles_are_not_soft_404(title: str) -> None:
    assert not_found_reason(title, "A real article about things. " * 300) is None


def test_body_phrase_only_counts_on_short_pages() -> None:
    assert not_found_reason("News", "Sorry, the page you requested could not be found.")
    long_page = "Report text. " * 500 + " page could not be found "
    assert not_found_reason("News", long_page) is None


@pytest.mark.parametrize(
    ("url", "status", "headers", "title", "final", "expect"),
    [
        ("https://www.linkedin.com/in/a", 999, {}, None, None, "999"),
        ("https://x.com/a/status/1", 403, {}, None, None, "x.com"),
        ("https://twitter.com/a", 400, {}, None, None, "twitter.com"),
        ("https://instagram.com/p/1", 429, {}, None, None, "instagram.com"),
        ("https://a.org/p", 403, {"cf-mitigated": "challenge"}, None, None, "Cloudflare"),
        ("https://a.org/p", 200, {}, "Attention Required! | Cloudflare", None, "CAPTCHA"),
        ("https://a.org/p", 200, {}, "Are you a robot?", None, "CAPTCHA"),
        ("https://a.org/p", 200, {}, "Page", "https://a.org/login?next=/p", "login"),
        ("https://www.facebook.com/story.php", 200, {}, "Log in or sign up", None, "login"),
    ],
)
def test_bot_walls_are_blocked(url, status, headers, title, final, expect) -> None:  # noqa: ANN001
    reason = blocked_reason(url, status, headers, title, "", final)
    assert reason is not None and expect in reason


def test_ordinary_pages_are_not_walls() -> None:
    assert blocked_reason("https://a.org/story", 200, {}, "Budget 2024", "text") is None
    assert blocked_reason("https://a.org/login", 200, {}, "Log in", "") is None  # cited as such
    assert blocked_reason("https://twitter.com/a", 404, {}, None, "") is None


@pytest.mark.parametrize(
    ("url", "final", "home"),
    [
        ("https://a.org/2023/story", "https://a.org/", True),
        ("https://www.a.org/news/1", "https://a.org/en/", True),
        ("https://a.org/news/1", "https://a.org/index.php", True),
        ("https://a.org/", "https://a.org/en/", False),
        ("https://a.org/story", "https://a.org/story/", False),
        ("https://a.org/story", "https://b.org/", False),
    ],
)
def test_home_redirect(url: str, final: str, home: bool) -> None:
    assert is_home_redirect(url, final) is home


def test_like_probe_needs_same_status_title_and_size() -> None:
    probe = PageShape(200, "Welcome | Site 2024", 20_000)
    assert like_probe(PageShape(200, "Welcome | Site 2025", 20_300), probe)
    assert not like_probe(PageShape(200, "Welcome | Site", 40_000), probe)
    assert not like_probe(PageShape(404, "Welcome | Site 2024", 20_000), probe)
    assert not like_probe(PageShape(200, "x", 10), PageShape(404, "x", 10))  # honest 404 host
    assert PageShape.from_dict(probe.to_dict()) == probe


def test_decode_and_title() -> None:
    body = '<meta charset="windows-1251"><title>Новости</title>'.encode("cp1251")
    assert extract_title(decode(body)) == "Новости"
    assert extract_title("<p>no title</p>") is None
