"""The page cache's WSGI fast path (news/pagecache/wsgi.py, PageCacheApplication): hits answered in front
of Django's handler must behave as the hits Django serves through the middlewares."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.utils import timezone

from news import visits
from news.models import DailyVisits
from news.pagecache import live
from news.pagecache import version as content_versions
from news.pagecache.wsgi import PageCacheApplication
from tests.factories import make_article

pytestmark = pytest.mark.django_db

BROWSER = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"}


class Answer:
    def __init__(self, status, headers, content):
        self.status_code = int(status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.content = content

    def __getitem__(self, name):
        return self.headers[name.lower()]

    def get(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def text(self):
        return self.content.decode()


class WSGIClient:
    """Calls the WSGI application as gunicorn does, and records whether Django answered."""

    def __init__(self):
        self.app = PageCacheApplication(WSGIHandler())
        self.django = mock.Mock(wraps=self.app.application)
        self.app.application = self.django

    def request(self, method, path, headers=None, **extra):
        environ = getattr(RequestFactory(), method)(path, headers=headers, **extra).environ
        seen = {}

        def start_response(status, headers, exc_info=None):
            seen.update(status=status, headers=headers)

        # As Django's test client: the test's transaction must survive the request.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = self.app(environ, start_response)
            content = b"".join(body)
            body.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return Answer(seen["status"], seen["headers"], content)

    def get(self, path, **kwargs):
        return self.request("get", path, **kwargs)

    def head(self, path, **kwargs):
        return self.request("head", path, **kwargs)

    def warm(self, path, **kwargs):
        """Fill the entry, and let the application learn the outer headers from a Django hit."""
        assert self.get(path, **kwargs).get("X-Page-Cache") == "miss"
        answer = self.get(path, **kwargs)
        assert answer.get("X-Page-Cache") == "hit"
        return answer

    def fast(self, path, method="get", **kwargs):
        """A request that must be answered without Django."""
        calls = self.django.call_count
        answer = self.request(method, path, **kwargs)
        assert self.django.call_count == calls, "Django answered"
        return answer

    def slow(self, path, method="get", **kwargs):
        """A request that must be handed to Django."""
        calls = self.django.call_count
        answer = self.request(method, path, **kwargs)
        assert self.django.call_count == calls + 1, "the fast path answered"
        return answer


@pytest.fixture
def wsgi():
    return WSGIClient()


def test_gunicorn_serves_the_fast_path():
    from portal.wsgi import application

    assert isinstance(application, PageCacheApplication)


class TestHits:
    @pytest.mark.parametrize("path", ["/en/", "/zh-hans/", "/en/column/investment-dynamics/", "/en/page/about/"])
    def test_a_hit_is_the_same_answer_as_djangos_without_any_query(self, wsgi, site, path, django_assert_num_queries):
        make_article(site, title_en="Cached news", title_zh_hans="缓存新闻")
        through_django = wsgi.warm(path)
        with django_assert_num_queries(0):
            fast = wsgi.fast(path)
        assert fast.status_code == 200 and fast.content == through_django.content
        # Every header, the outer middlewares' included (CSP, nosniff, referrer and opener policies…).
        assert fast.headers == through_django.headers
        assert "default-src 'self'" in fast["Content-Security-Policy"]
        assert fast["X-Content-Type-Options"] == "nosniff" and fast["X-Frame-Options"] == "DENY"
        assert int(fast["Content-Length"]) == len(fast.content)

    def test_nothing_is_answered_before_the_outer_headers_are_known(self, wsgi, site):
        assert wsgi.slow("/en/").get("X-Page-Cache") == "miss"
        assert wsgi.slow("/en/").get("X-Page-Cache") == "hit"  # Django's hit teaches them
        wsgi.fast("/en/")
        # They are learnt per scheme: HSTS and the like differ between HTTP and HTTPS.
        wsgi.slow("/en/", secure=True)

    def test_a_setting_changed_is_learnt_again_before_a_hit_is_answered(self, wsgi, site, settings):
        assert wsgi.warm("/en/")["X-Frame-Options"] == "DENY"
        assert wsgi.fast("/en/")["X-Frame-Options"] == "DENY"
        settings.X_FRAME_OPTIONS = "SAMEORIGIN"  # what an outer middleware adds changes
        assert wsgi.slow("/en/")["X-Frame-Options"] == "SAMEORIGIN"
        assert wsgi.fast("/en/")["X-Frame-Options"] == "SAMEORIGIN"

    def test_languages_have_their_own_entries(self, wsgi, site):
        make_article(site, title_en="English news", title_zh_hans="中文新闻")
        wsgi.warm("/en/")
        zh = wsgi.slow("/zh-hans/")
        assert zh.get("X-Page-Cache") == "miss" and "中文新闻" in zh.text() and "English news" not in zh.text()
        assert "English news" in wsgi.fast("/en/").text()
        assert "中文新闻" in wsgi.fast("/zh-hans/").text() and "English news" not in wsgi.fast("/zh-hans/").text()

    def test_tracking_parameters_are_ignored_and_other_parameters_are_not(self, wsgi, site):
        for _ in range(21):
            make_article(site)
        first = wsgi.warm("/en/column/investment-dynamics/")
        shared = wsgi.fast("/en/column/investment-dynamics/?utm_source=wechat&from=timeline")
        assert shared.content == first.content
        assert wsgi.slow("/en/column/investment-dynamics/?page=2").get("X-Page-Cache") == "miss"
        assert wsgi.fast("/en/column/investment-dynamics/?from=timeline&page=2").content != first.content

    def test_head_has_the_headers_of_get_and_no_body(self, wsgi, site):
        get = wsgi.warm("/en/")
        head = wsgi.fast("/en/", method="head")
        assert head.status_code == 200 and head.content == b""
        assert head["Content-Length"] == str(len(get.content)) and head.get("X-Page-Cache") == "hit"

    def test_an_unknown_host_is_left_to_django(self, wsgi, site):
        wsgi.warm("/en/")
        assert wsgi.slow("/en/", headers={"host": "evil.example"}).status_code == 400


class TestBypass:
    @pytest.mark.parametrize(
        "headers",
        [
            {"cookie": f"{settings.SESSION_COOKIE_NAME}=abc"},
            {"cookie": f"{settings.CSRF_COOKIE_NAME}=abc"},
            {"cookie": "messages=abc"},
            {"authorization": "Basic Zm9vOmJhcg=="},
        ],
    )
    def test_sessions_csrf_messages_and_credentials_go_to_django(self, wsgi, site, headers):
        wsgi.warm("/en/")
        assert wsgi.slow("/en/", headers=headers).get("X-Page-Cache") is None
        wsgi.fast("/en/", headers={"cookie": "theme=dark"})  # other cookies do not matter

    def test_post_admin_and_static_addresses_go_to_django(self, wsgi, site):
        wsgi.warm("/en/")
        wsgi.slow("/en/", method="post")
        wsgi.slow("/" + settings.PORTAL_ADMIN_URL)
        wsgi.slow(settings.STATIC_URL + "css/site.css")

    def test_if_match_is_left_to_django(self, wsgi, site):
        wsgi.warm("/en/")
        assert wsgi.slow("/en/", headers={"if-match": '"other"'}).status_code == 412


class TestValidity:
    def test_an_edit_shows_at_once(self, wsgi, site):
        article = make_article(site, title_en="Before")
        wsgi.warm("/en/")
        article.title_en = "After"
        article.save()
        fresh = wsgi.slow("/en/")
        assert fresh.get("X-Page-Cache") == "miss" and "After" in fresh.text()
        assert "After" in wsgi.fast("/en/").text()

    def test_an_entry_ends_at_the_next_scheduled_change(self, wsgi, site, monkeypatch):
        make_article(site, title_en="Soon", publish_at=timezone.now() + timedelta(minutes=5))
        wsgi.warm("/en/")
        wsgi.fast("/en/")
        later = (timezone.now() + timedelta(minutes=6)).timestamp()
        monkeypatch.setattr(content_versions, "now", lambda: later)
        wsgi.slow("/en/")

    def test_an_unreachable_cache_means_django_answers(self, wsgi, site, monkeypatch):
        wsgi.warm("/en/")
        monkeypatch.setattr(cache, "get_many", lambda keys: {})  # django-redis ignoring a dead server
        assert wsgi.slow("/en/").status_code == 200

    def test_a_failing_cache_means_django_answers(self, wsgi, site, monkeypatch):
        wsgi.warm("/en/")
        real_get_many = cache.get_many
        calls = []

        def failing_once(keys):
            calls.append(keys)
            if len(calls) == 1:
                raise ConnectionError("Redis is down")
            return real_get_many(keys)

        monkeypatch.setattr(cache, "get_many", failing_once)
        assert wsgi.slow("/en/").status_code == 200


class TestConditionalRequests:
    def test_etag_and_last_modified_answer_304(self, wsgi, site):
        first = wsgi.warm("/en/")
        not_modified = wsgi.fast("/en/", headers={"if-none-match": first["ETag"]})
        assert not_modified.status_code == 304 and not_modified.content == b""
        assert not_modified["ETag"] == first["ETag"] and not_modified["Cache-Control"] == first["Cache-Control"]
        assert not_modified["Content-Security-Policy"] == first["Content-Security-Policy"]
        assert "content-length" not in not_modified.headers
        assert wsgi.fast("/en/", headers={"if-modified-since": first["Last-Modified"]}).status_code == 304
        assert wsgi.fast("/en/", headers={"if-none-match": 'W/"other"'}).status_code == 200

    def test_the_304_has_the_headers_djangos_has(self, wsgi, site):
        first = wsgi.warm("/en/")
        django = wsgi.slow("/en/", headers={"if-none-match": first["ETag"], "if-match": "*"})
        fast = wsgi.fast("/en/", headers={"if-none-match": first["ETag"]})
        assert django.status_code == fast.status_code == 304
        assert django.headers == fast.headers

    def test_head_is_never_304_as_in_django(self, wsgi, site):
        first = wsgi.warm("/en/")
        assert wsgi.fast("/en/", method="head", headers={"if-none-match": first["ETag"]}).status_code == 200


class TestVisits:
    @pytest.fixture(autouse=True)
    def _no_memo(self, monkeypatch):
        monkeypatch.setattr(live, "TOTAL_MEMO_SECONDS", 0)

    def test_visits_are_counted_and_the_total_moves(self, wsgi, site):
        DailyVisits.objects.create(day="2026-01-01", count=1234)
        wsgi.warm("/en/")  # without a browser's user agent: not counted
        second = wsgi.fast("/en/", headers=BROWSER, REMOTE_ADDR="10.0.0.2")
        assert '<span class="total-visits">1,235</span>' in second.text()
        third = wsgi.fast("/en/", headers=BROWSER, REMOTE_ADDR="10.0.0.3")
        assert '<span class="total-visits">1,236</span>' in third.text()
        wsgi.fast("/en/", headers=BROWSER, REMOTE_ADDR="10.0.0.3")  # a repeat
        wsgi.fast("/en/", method="head", headers=BROWSER, REMOTE_ADDR="10.0.0.4")  # not a view
        assert visits.pending_total() == 2

    def test_an_article_read_is_counted_and_its_header_removed(self, wsgi, site):
        article = make_article(site)
        url = f"/en/news/{article.pk}/"
        wsgi.warm(url)
        page = wsgi.fast(url, headers=BROWSER, REMOTE_ADDR="10.0.0.2")
        assert "x-article-id" not in page.headers
        assert '<span class="read-count">1</span>' in page.text()
        assert visits.pending_reads(article.pk) == 1 and visits.pending_total() == 1
        page = wsgi.fast(url, headers=BROWSER, REMOTE_ADDR="10.0.0.3")
        assert '<span class="read-count">2</span>' in page.text()

    def test_pending_visits_are_written_after_the_answer_when_due(self, wsgi, site, settings):
        DailyVisits.objects.create(day=timezone.localdate(), count=10)
        settings.PORTAL_VISIT_FLUSH_SECONDS = 0  # before: a changed setting is learnt again through Django
        wsgi.warm("/en/")
        wsgi.fast("/en/", headers=BROWSER, REMOTE_ADDR="10.0.0.2")
        assert visits.pending_total() == 0
        assert DailyVisits.objects.get(day=timezone.localdate()).count == 11


def test_the_read_count_on_cached_pages_is_worked_out_at_most_once_a_second(wsgi, site):
    article = make_article(site)
    url = f"/en/news/{article.pk}/"
    wsgi.warm(url)
    assert '<span class="read-count">0</span>' in wsgi.fast(url).text()
    visits._pending[timezone.localdate(), article.pk] += 5
    assert '<span class="read-count">0</span>' in wsgi.fast(url).text()
    live.reset()  # a second later
    assert '<span class="read-count">5</span>' in wsgi.fast(url).text()


class TestWorkerCopies:
    """Each worker keeps a copy of the entries it served (news/pagecache/wsgi.py, "What a hit
    costs"): used only while the shared cache holds the version it was stored under."""

    def test_a_page_served_before_reads_only_the_content_version(self, wsgi, site, monkeypatch):
        wsgi.warm("/en/")
        first = wsgi.fast("/en/")
        asked = []
        real_get_many, real_get = cache.get_many, cache.get
        monkeypatch.setattr(cache, "get_many", lambda keys: asked.append(list(keys)) or real_get_many(keys))
        monkeypatch.setattr(cache, "get", lambda key, *args: asked.append([key]) or real_get(key, *args))
        again = wsgi.fast("/en/")
        assert asked[0] == [content_versions.VERSION_KEY] and not any(
            key.startswith("page") for keys in asked for key in keys
        )
        assert again.content == first.content and again.headers == first.headers

    def test_an_edit_shows_at_once_after_the_worker_copied_the_page(self, wsgi, site):
        article = make_article(site, title_en="Before")
        wsgi.warm("/en/")
        assert "Before" in wsgi.fast("/en/").text()
        article.title_en = "After"
        article.save()
        fresh = wsgi.slow("/en/")
        assert fresh.get("X-Page-Cache") == "miss" and "After" in fresh.text()
        assert "After" in wsgi.fast("/en/").text() and "Before" not in wsgi.fast("/en/").text()

    def test_a_stale_copy_another_thread_dropped_first_is_no_fault(self, wsgi, site, caplog):
        article = make_article(site, title_en="Before")
        wsgi.warm("/en/")
        wsgi.fast("/en/")

        class DroppedMeanwhile(dict):
            def get(self, key, default=None):  # the other thread's del lands between get and del
                return self.pop(key, default)

        wsgi.app.copies = DroppedMeanwhile(wsgi.app.copies)
        article.title_en = "After"
        article.save()
        assert "After" in wsgi.slow("/en/").text()
        assert not [record for record in caplog.records if record.levelname == "ERROR"]

    def test_a_copy_is_not_served_when_the_cache_cannot_be_read(self, wsgi, site, monkeypatch):
        wsgi.warm("/en/")
        wsgi.fast("/en/")
        # django-redis ignoring a dead server: every read a miss.
        monkeypatch.setattr(cache, "get_many", lambda keys: {})
        monkeypatch.setattr(cache, "get", lambda key, default=None, version=None: default)
        assert wsgi.slow("/en/").status_code == 200

    def test_a_copy_ends_at_the_next_scheduled_change(self, wsgi, site, monkeypatch):
        make_article(site, title_en="Soon", publish_at=timezone.now() + timedelta(minutes=5))
        wsgi.warm("/en/")
        wsgi.fast("/en/")
        later = (timezone.now() + timedelta(minutes=6)).timestamp()
        monkeypatch.setattr(content_versions, "now", lambda: later)
        wsgi.slow("/en/")

    def test_copies_and_keys_are_bounded(self, wsgi, site, monkeypatch):
        from news.pagecache import wsgi as fast_path

        monkeypatch.setattr(fast_path, "LOCAL_ENTRIES", 2)
        monkeypatch.setattr(fast_path, "LOCAL_KEYS", 3)
        paths = ["/en/", "/zh-hans/", "/en/page/about/", "/en/column/investment-dynamics/"]
        for path in paths:
            wsgi.warm(path)
            wsgi.fast(path)
        assert len(wsgi.app.copies) == 2 and len(wsgi.app.keys) == 3
        assert wsgi.fast(paths[0]).status_code == 200  # dropped copies are read again

    def test_a_session_cookie_still_goes_to_django_on_an_address_served_before(self, wsgi, site):
        wsgi.warm("/en/")
        wsgi.fast("/en/")
        assert wsgi.slow("/en/", headers={"cookie": f"{settings.SESSION_COOKIE_NAME}=abc"}).get("X-Page-Cache") is None

    def test_a_changed_setting_is_followed(self, wsgi, site, settings):
        wsgi.warm("/en/")
        wsgi.fast("/en/")
        settings.PORTAL_PAGE_CACHE_SECONDS = 0
        assert wsgi.slow("/en/").get("X-Page-Cache") is None

    def test_behind_a_proxy_the_forwarded_scheme_picks_the_headers(self, wsgi, site, settings):
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        https = {"x-forwarded-proto": "https"}
        secure = wsgi.warm("/en/", headers=https)  # learnt for https, the scheme Django sees
        assert wsgi.fast("/en/", headers=https).headers == secure.headers
        wsgi.slow("/en/")  # plain http: its own key, its headers not learnt yet
        wsgi.fast("/en/", headers=https)

    def test_a_scheme_from_another_proxy_header_is_part_of_the_remembered_key(self, wsgi, site, settings):
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_SSL", "on")
        https = {"x-forwarded-ssl": "on"}
        wsgi.warm("/en/", headers=https)
        assert "https://testserver" in wsgi.fast("/en/", headers=https).text()  # canonical and og:url
        plain = wsgi.slow("/en/")  # not the key remembered for https
        assert "https://testserver" not in plain.text() and "http://testserver/en/" in plain.text()

    def test_browser_headers_are_served_the_same_page_and_counted(self, wsgi, site):
        through_django = wsgi.warm("/en/")
        browser = {**BROWSER, "accept-language": "zh-CN,zh;q=0.9,en;q=0.8"}
        fast = wsgi.fast("/en/", headers=browser, REMOTE_ADDR="10.0.0.9")
        assert fast.headers == through_django.headers and "Vary" not in through_django.headers
        assert visits.pending_total() == 1


class TestKeptBodies:
    """Review s11 of 8d19749 (coverage: passes on the current code): the body a copy keeps is the
    one of the live figures it was served with."""

    def test_the_body_kept_follows_the_live_figures_back_and_forth(self, wsgi, site, monkeypatch):
        monkeypatch.setattr(live, "TOTAL_MEMO_SECONDS", 0)
        wsgi.warm("/en/")
        for total in (1000, 2000, 1000):
            monkeypatch.setattr(visits, "site_total", lambda total=total: total)
            got, head = wsgi.fast("/en/"), wsgi.fast("/en/", method="head")
            assert f'<span class="total-visits">{total:,}</span>' in got.text()
            assert int(got["Content-Length"]) == len(got.content) == int(head["Content-Length"])
            assert head.content == b""
