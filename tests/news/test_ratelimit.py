"""Search is limited per address (counted in the shared cache): a 429 in the reader's language."""

from unittest import mock

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings):
    settings.PORTAL_SEARCH_RATE_LIMIT = 3
    # The window is the clock's minute: a test that crossed into the next one (a slow machine)
    # would start counting again. Tests that move the clock patch it themselves.
    with mock.patch("news.ratelimit.time.time", return_value=1_800_000_030.0):
        yield 3


def search(client, words, language="en", **extra):
    return client.get(f"/{language}/search/", {"q": words}, **extra)


def test_over_the_limit_gets_a_429_with_retry_after(client, site, limit):
    make_article(site)
    for number in range(limit):
        assert search(client, f"English {number}").status_code == 200
    response = search(client, "English again")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Too many searches" in page and "try again in" in page
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_429_page_is_in_chinese_on_chinese_pages(client, site, limit):
    for number in range(limit + 1):
        response = search(client, f"吉林 {number}", language="zh-hans")
    assert response.status_code == 429
    page = response.content.decode()
    assert 'lang="zh-Hans"' in page and "搜索过于频繁" in page


def test_other_addresses_are_not_affected(client, site, limit):
    for number in range(limit + 1):
        search(client, f"English {number}")
    assert search(client, "English", REMOTE_ADDR="192.0.2.50").status_code == 200


def test_the_limit_ends_with_the_minute(client, site, limit):
    with mock.patch("news.ratelimit.time.time", return_value=1_800_000_000.0):
        for number in range(limit + 1):
            response = search(client, f"English {number}")
        assert response.status_code == 429
    with mock.patch("news.ratelimit.time.time", return_value=1_800_000_060.0):
        assert search(client, "English later").status_code == 200


def test_searches_answered_from_the_page_cache_do_not_count(client, site, limit):
    for _repeat in range(limit * 3):
        response = search(client, "English")
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
    assert search(client, "English other").status_code == 200


def test_a_429_is_never_stored_in_the_page_cache(client, site, limit):
    for number in range(limit):
        search(client, f"English {number}")
    assert search(client, "English x").status_code == 429
    assert search(client, "English x", REMOTE_ADDR="192.0.2.51").status_code == 200


@pytest.mark.parametrize("failure", [{"return_value": None}, {"side_effect": ValueError("Key not found")}])
def test_searches_go_on_when_the_cache_cannot_count(client, site, limit, failure):
    # django-redis with IGNORE_EXCEPTIONS answers None while Redis is down; a vanished key raises.
    with mock.patch("news.ratelimit.cache.incr", **failure):
        for number in range(limit + 2):
            assert search(client, f"English {number}").status_code == 200


class TestPageCacheMisses:
    """Distinct query strings from one address: each a render and a new entry, so they are limited."""

    def test_misses_over_the_limit_get_a_429_and_hits_stay_free(self, client, site, settings):
        settings.PORTAL_MISS_RATE_LIMIT = 3
        settings.PORTAL_SEARCH_RATE_LIMIT = 0
        assert client.get("/en/").status_code == 200  # a miss, now cached
        for number in range(2):
            assert client.get(f"/en/?n={number}").status_code == 200
        response = client.get("/en/?n=again")
        assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 60
        assert "no-store" in response["Cache-Control"]
        page = response.content.decode()
        assert "Too many requests" in page and "prepared afresh" in page
        for _ in range(5):
            assert client.get("/en/").status_code == 200  # a hit costs nothing and is never refused
        other = client.get("/en/?n=again", REMOTE_ADDR="10.9.9.9")
        assert other.status_code == 200  # another address has its own count

    def test_the_429_is_in_chinese_on_chinese_pages(self, client, site, settings):
        settings.PORTAL_MISS_RATE_LIMIT = 1
        client.get("/zh-hans/?n=1")
        response = client.get("/zh-hans/?n=2")
        assert response.status_code == 429
        assert 'lang="zh-Hans"' in response.content.decode()
        assert "请求过于频繁" in response.content.decode()

    def test_the_admin_is_not_limited(self, client, site, settings):
        settings.PORTAL_MISS_RATE_LIMIT = 1
        for _ in range(3):
            assert client.get("/admin/login/").status_code == 200
