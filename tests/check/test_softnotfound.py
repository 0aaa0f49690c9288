"""Soft-404 phrases, bot walls, home redirects and the random-path comparison (pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeaudit.check.softnotfound import (
    PageShape,
    blocked_reason,
    decode,
    extract_title,
    is_home_redirect,
    like_probe,
    not_found_reason,
    visible_text,
)
from citeaudit.models import LinkStatus

from .servers import Reply, TestServer, page, run


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


CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "softnotfound"
ERROR_PAGES = sorted((CORPUS / "error").glob("*.html"))
ARTICLES = sorted((CORPUS / "article").glob("*.html"))


def _decide(path: Path) -> str | None:
    page = decode(path.read_bytes())
    return not_found_reason(extract_title(page), visible_text(page))


def test_corpus_is_big_enough_to_mean_something() -> None:
    assert len(ERROR_PAGES) >= 25 and len(ARTICLES) >= 25


@pytest.mark.parametrize("path", ERROR_PAGES, ids=lambda p: p.stem)
def test_corpus_error_pages_are_not_found_pages(path: Path) -> None:
    assert _decide(path) is not None


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_corpus_articles_mentioning_not_found_are_alive(path: Path) -> None:
    assert _decide(path) is None


@pytest.mark.parametrize(
    "title",
    [
        "Missing hiker still not found after three days | Valley News",
        "Council website shows 'page not found' for planning records",
        "Seite nicht gefunden – Bürger kritisieren neues Online-Portal der Stadt",
    ],
)
def test_headlines_quoting_the_phrase_are_not_error_titles(title: str) -> None:
    assert not_found_reason(title, "") is None


def test_body_phrase_needs_a_page_that_is_little_else() -> None:
    quote = 'Residents saw a "page not found" message on the council site.'
    assert not_found_reason("Water main burst closes high street today", quote) is None
    assert not_found_reason("Valley News", quote) is not None


def test_live_article_with_still_not_found_headline_is_alive(server: TestServer) -> None:
    h = "valley.test"
    article = (CORPUS / "article" / "headline_still_not_found.html").read_bytes()
    server.route(h, "/2024/hiker", Reply(200, article))
    server.default(h, lambda s: Reply(404, page("Page not found | Valley News")))
    url = server.url(h, "/2024/hiker")
    v = run([url], resolve=server.resolve(h)).verdicts[url]
    assert v.status is LinkStatus.ALIVE, v.reason


def test_site_answering_200_with_its_error_page_is_soft_dead(server: TestServer) -> None:
    h = "lakeside.test"
    error = (CORPUS / "error" / "status200_generic_title.html").read_bytes()
    server.default(h, lambda s: Reply(200, error))
    server.route(h, "/news/live", Reply(200, page("Election results 2024", "text", 5000)))
    urls = [server.url(h, p) for p in ("/news/gone-story", "/news/live")]
    result = run(urls, resolve=server.resolve(h))
    assert result.verdicts[urls[0]].status is LinkStatus.SOFT_DEAD
    assert result.verdicts[urls[1]].status is LinkStatus.ALIVE
