from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from news import visits
from news.models import DailyVisits, SiteSettings, Tag
from news.pagecache import live
from news.pagecache import version as content_versions
from news.views import reader
from tests.factories import make_article

pytestmark = pytest.mark.django_db

BROWSER = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"}


def state(response):
    return response.get("X-Page-Cache")


def text(response):
    return response.content.decode()


class TestHits:
    @pytest.mark.parametrize("path", ["/en/", "/zh-hans/", "/en/column/investment-dynamics/", "/en/page/about/"])
    def test_second_request_comes_from_the_cache_without_any_query(self, client, site, path, django_assert_num_queries):
        make_article(site, title_en="Cached news", title_zh_hans="缓存新闻")
        first = client.get(path)
        assert state(first) == "miss"
        with django_assert_num_queries(0):
            second = client.get(path)
        assert state(second) == "hit"
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]
        assert second["Content-Language"] == first["Content-Language"]
        assert int(second["Content-Length"]) == len(second.content)

    def test_article_page_and_its_headers_are_kept(self, client, site):
        article = make_article(site, languages=("zh-hans",))
        url = f"/en/news/{article.pk}/"
        first = client.get(url)
        second = client.get(url)
        assert state(second) == "hit"
        # A header the view set comes back with the cached page (so will X-Article-Id).
        assert second["X-Robots-Tag"] == first["X-Robots-Tag"] == "noindex"
        assert second["X-Frame-Options"] == "DENY"  # set inside the cache, kept with it
        assert second["X-Content-Type-Options"] == "nosniff"  # set outside, on every answer

    def test_languages_have_their_own_entries(self, client, site):
        make_article(site, title_en="English news", title_zh_hans="中文新闻")
        client.get("/en/")
        zh = client.get("/zh-hans/")
        assert state(zh) == "miss" and "中文新闻" in text(zh) and "English news" not in text(zh)
        assert state(client.get("/en/")) == "hit"

    def test_pages_of_a_list_have_their_own_entries_and_tracking_parameters_are_ignored(self, client, site):
        for _ in range(21):
            make_article(site)
        first = client.get("/en/column/investment-dynamics/")
        assert state(client.get("/en/column/investment-dynamics/?page=2")) == "miss"
        shared = client.get("/en/column/investment-dynamics/?utm_source=wechat&from=timeline")
        assert state(shared) == "hit" and shared.content == first.content
        assert state(client.get("/en/column/investment-dynamics/?page=2&from=timeline")) == "hit"

    def test_head_is_answered_from_the_cache(self, client, site):
        client.get("/en/")
        assert state(client.head("/en/")) == "hit"


class TestNeverCached:
    def test_signed_in_staff_neither_read_nor_fill_the_cache(self, client, site, admin_user):
        make_article(site, title_en="Public news")
        client.get("/en/")  # an anonymous reader fills the cache
        client.force_login(admin_user)
        response = client.get("/en/")
        assert state(response) is None
        assert "private" in response["Cache-Control"]
        client.logout()
        client.cookies.clear()
        assert state(client.get("/en/")) == "hit"

    def test_a_csrf_cookie_bypasses_the_cache(self, client, site):
        client.get("/en/")
        client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
        response = client.get("/en/")
        assert state(response) is None
        assert response["Cache-Control"] == "private"

    def test_post_is_never_cached(self, client, site):
        response = client.post("/en/")
        assert state(response) is None

    def test_private_answers_such_as_previews_are_not_stored(self, client, site, monkeypatch):
        render = reader.PageDetailView.render_to_response

        def private(self, context, **kwargs):
            response = render(self, context, **kwargs)
            response["Cache-Control"] = "private, no-store"
            return response

        monkeypatch.setattr(reader.PageDetailView, "render_to_response", private)
        client.get("/en/page/about/")
        response = client.get("/en/page/about/")
        assert state(response) is None
        assert response["Cache-Control"] == "private, no-store"

    def test_admin_answers_are_private_and_never_stored(self, client, admin_user):
        client.force_login(admin_user)
        response = client.get(f"/{settings.PORTAL_ADMIN_URL}")
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives
        assert state(response) is None

    def test_errors_and_redirects_are_not_stored(self, client, site):
        for url in ("/en/column/nope/", "/", "/en/page/about"):
            client.get(url)
            assert state(client.get(url)) is None

    def test_an_unreachable_cache_means_fresh_pages(self, client, site, monkeypatch):
        monkeypatch.setattr(cache, "get_many", lambda keys: {})
        monkeypatch.setattr(cache, "get", lambda key, default=None, **kwargs: default)
        monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
        make_article(site, title_en="Still served")
        response = client.get("/en/")
        assert response.status_code == 200 and "Still served" in text(response)
        assert state(response) is None


class TestInvalidation:
    def test_publishing_editing_and_deleting_show_at_once(self, client, site):
        article = make_article(site, title_en="First title")
        client.get("/en/")
        assert state(client.get("/en/")) == "hit"
        article.title_en = "Edited title"
        article.save()
        response = client.get("/en/")
        assert state(response) == "miss" and "Edited title" in text(response)
        draft = make_article(site, title_en="Fresh news", status="draft")
        client.get("/en/")
        draft.status = "published"
        draft.save()
        assert "Fresh news" in text(client.get("/en/"))
        draft.delete()
        assert "Fresh news" not in text(client.get("/en/"))

    def test_unpublishing_shows_at_once(self, client, site):
        article = make_article(site, title_en="Withdrawn soon")
        url = article.get_absolute_url("en")
        assert client.get(url).status_code == 200
        assert state(client.get(url)) == "hit"
        article.status = "archived"
        article.save()
        assert client.get(url).status_code == 404

    def test_site_settings_and_tags_are_content(self, client, site, site_settings):
        client.get("/en/")
        site_settings.site_name_en = "Renamed portal"
        site_settings.save()
        assert "Renamed portal" in text(client.get("/en/"))
        article = make_article(site)
        client.get("/en/")
        version = cache.get(content_versions.VERSION_KEY)
        article.tags.add(Tag.objects.create(slug="energy", name_zh_hans="能源", name_en="Energy"))
        assert cache.get(content_versions.VERSION_KEY) != version

    def test_visit_counts_are_not_content(self, client, site):
        client.get("/en/")
        version = cache.get(content_versions.VERSION_KEY)
        DailyVisits.objects.create(day=timezone.localdate(), count=3)
        assert cache.get(content_versions.VERSION_KEY) == version
        assert state(client.get("/en/")) == "hit"

    def test_a_committed_transaction_bumps_the_version_again(self, django_capture_on_commit_callbacks, site):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            SiteSettings.objects.update_or_create(pk=1, defaults={"site_name_zh_hans": "新名称"})
        assert content_versions.bump_content_version in callbacks

    def test_an_upgrade_migration_empties_the_cache(self, site):
        from django.core.management import call_command

        version = content_versions.content_version()
        call_command("migrate", verbosity=0)
        assert cache.get(content_versions.VERSION_KEY) != version


class TestSchedule:
    @pytest.fixture
    def clock(self, monkeypatch):
        """Moves timezone.now() forward, for the views and the cache alike."""
        real_now = timezone.now
        offset = {"by": timedelta(0)}
        monkeypatch.setattr(timezone, "now", lambda: real_now() + offset["by"])
        return offset

    def test_a_scheduled_article_appears_when_its_time_comes(self, client, site, clock):
        make_article(site, title_en="Scheduled news", publish_at=timezone.now() + timedelta(minutes=5))
        make_article(site, title_en="Later news", publish_at=timezone.now() + timedelta(days=2))
        assert "Scheduled news" not in text(client.get("/en/"))
        clock["by"] = timedelta(minutes=4)
        assert state(client.get("/en/")) == "hit"
        clock["by"] = timedelta(minutes=5, seconds=1)
        response = client.get("/en/")
        assert state(response) == "miss" and "Scheduled news" in text(response)
        assert "Later news" not in text(response)

    def test_an_article_leaves_when_its_unpublish_time_comes(self, client, site, clock):
        article = make_article(site, title_en="Leaving news", unpublish_at=timezone.now() + timedelta(minutes=5))
        assert "Leaving news" in text(client.get("/en/"))
        assert client.get(article.get_absolute_url("en")).status_code == 200
        clock["by"] = timedelta(minutes=5, seconds=1)
        assert "Leaving news" not in text(client.get("/en/"))
        assert client.get(article.get_absolute_url("en")).status_code == 404

    def test_entries_and_shared_caches_end_at_the_next_change(self, client, site):
        make_article(site, publish_at=timezone.now() + timedelta(seconds=30))
        response = client.get("/en/")
        s_maxage = int(response["Cache-Control"].split("s-maxage=")[1])
        assert 0 < s_maxage <= 30

    def test_next_schedule_change(self, site):
        from news.models import Article

        now = timezone.now()
        assert Article.objects.next_schedule_change(now) is None
        make_article(site, publish_at=now + timedelta(days=3))
        make_article(site, publish_at=now - timedelta(days=1), unpublish_at=now + timedelta(days=2))
        make_article(site, publish_at=now + timedelta(hours=1), status="draft")
        assert Article.objects.next_schedule_change(now) == now + timedelta(days=2)


class TestConditionalRequests:
    @pytest.mark.parametrize("warm", [False, True])
    def test_etag_and_last_modified_answer_304(self, client, site, warm):
        first = client.get("/en/")
        if warm:
            assert state(client.get("/en/")) == "hit"
        assert first["ETag"].startswith('W/"') and first["Last-Modified"]
        assert client.get("/en/", headers={"if-none-match": first["ETag"]}).status_code == 304
        assert client.get("/en/", headers={"if-modified-since": first["Last-Modified"]}).status_code == 304
        assert client.get("/en/", headers={"if-none-match": 'W/"other"'}).status_code == 200

    def test_public_pages_may_be_kept_briefly_by_a_cdn(self, client, site):
        response = client.get("/en/")
        assert response["Cache-Control"] == f"max-age=0, s-maxage={settings.PORTAL_PAGE_CACHE_SHARED_SECONDS}"
        assert client.get("/en/")["Cache-Control"] == response["Cache-Control"]

    def test_an_edit_changes_the_etag(self, client, site):
        article = make_article(site, title_en="Before")
        etag = client.get("/en/")["ETag"]
        article.title_en = "After"
        article.save()
        response = client.get("/en/", headers={"if-none-match": etag})
        assert response.status_code == 200 and "After" in text(response)


class TestVisitsFromTheCache:
    @pytest.fixture(autouse=True)
    def _no_memo(self, monkeypatch):
        monkeypatch.setattr(live, "TOTAL_MEMO_SECONDS", 0)

    def test_visits_are_counted_and_the_total_moves_on_cached_pages(self, client, site):
        DailyVisits.objects.create(day="2026-01-01", count=1234)
        first = client.get("/en/", headers=BROWSER)
        assert '<span class="total-visits">1,234</span>' in text(first)
        second = client.get("/en/", headers=BROWSER, REMOTE_ADDR="10.0.0.2")
        assert state(second) == "hit"
        assert '<span class="total-visits">1,235</span>' in text(second)
        assert second["ETag"] == first["ETag"]  # the count alone does not change the page's identity
        third = client.get("/en/", headers=BROWSER, REMOTE_ADDR="10.0.0.3")
        assert '<span class="total-visits">1,236</span>' in text(third)
        assert visits.pending_total() == 3

    def test_the_total_is_formatted_in_the_pages_language(self, client, site):
        DailyVisits.objects.create(day="2026-01-01", count=1234567)
        client.get("/zh-hans/")
        cached = text(client.get("/zh-hans/"))
        fresh_total = text(client.get("/zh-hans/", headers={"cookie": f"{settings.CSRF_COOKIE_NAME}=x"}))
        pick = 'class="total-visits">'
        assert cached.split(pick)[1].split("<")[0] == fresh_total.split(pick)[1].split("<")[0]

    def test_the_visit_counter_sits_outside_the_page_cache(self):
        order = settings.MIDDLEWARE
        assert order.index("news.visits.VisitCounterMiddleware") < order.index(
            "news.pagecache.middleware.PageCacheMiddleware"
        )
        assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < order.index(
            "news.pagecache.middleware.PageCacheMiddleware"
        )
        assert order.index("news.pagecache.middleware.PageCacheMiddleware") < min(
            order.index(name)
            for name in (
                "django.contrib.sessions.middleware.SessionMiddleware",
                "django.middleware.locale.LocaleMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
                "django.contrib.auth.middleware.AuthenticationMiddleware",
            )
        )


def test_the_total_on_cached_pages_is_worked_out_at_most_once_a_second(client, site):
    DailyVisits.objects.create(day="2026-01-01", count=1000)
    client.get("/en/")
    assert '<span class="total-visits">1,000</span>' in text(client.get("/en/"))
    DailyVisits.objects.filter(day="2026-01-01").update(count=2000)
    cache.delete(visits.TOTAL_CACHE_KEY)
    assert '<span class="total-visits">1,000</span>' in text(client.get("/en/"))
    live.reset()  # a second later: the figures each process remembers are forgotten
    visits.forget_stored_figures()
    assert '<span class="total-visits">2,000</span>' in text(client.get("/en/"))


def test_split_live_keeps_every_byte():
    body = b'<p>a</p><span class="total-visits">1,234</span><p>b</p><span class="total-visits">9</span>'
    parts = live.split_live(body)
    assert parts[1] == ("total-visits", b"1,234")
    restored = b"".join(p if isinstance(p, bytes) else p[1] for p in parts)
    assert restored == body


def test_the_page_cache_can_be_turned_off(client, site, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client.get("/en/")
    assert state(client.get("/en/")) is None


class TestRemembered:
    """Parts shared by many pages, kept per content version (news/pagecache/version.py, ``remembered``)."""

    def test_a_columns_archive_months_are_worked_out_once_per_content_version(self, client, site):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        make_article(site, publish_at=timezone.now().replace(year=2024, month=3, day=10))
        fresh = {"cookie": f"{settings.CSRF_COOKIE_NAME}=x"}  # past the page cache: the view runs
        with CaptureQueriesContext(connection) as first:
            assert "2024" in text(client.get("/en/column/investment-dynamics/", headers=fresh))
        with CaptureQueriesContext(connection) as second:
            page = text(client.get("/en/column/investment-dynamics/?from=feed", headers=fresh))

        # datetimes()'s DISTINCT on PostgreSQL; on SQLite a grouping by UTC month with its first
        # and last times (ArticleQuerySet.archive_months).
        def months_query(sql):
            return sql.startswith("SELECT DISTINCT") or 'MIN("news_article"."publish_at")' in sql

        months = [q["sql"] for q in first if months_query(q["sql"])]
        assert len(months) == 1 and "publish_at" in months[0]
        assert "2024" in page and not any(months_query(q["sql"]) for q in second)
        make_article(site, publish_at=timezone.now().replace(year=2023, month=7, day=10))
        assert "2023" in text(client.get("/en/column/investment-dynamics/", headers=fresh))

    def test_a_remembered_value_ends_at_the_next_scheduled_change(self, site, monkeypatch):
        make_article(site, publish_at=timezone.now() + timedelta(minutes=5))
        computed = []

        def compute():
            computed.append(1)
            return len(computed)

        assert content_versions.remembered("x", compute) == 1
        assert content_versions.remembered("x", compute) == 1
        later = (timezone.now() + timedelta(minutes=6)).timestamp()
        monkeypatch.setattr(content_versions, "now", lambda: later)
        assert content_versions.remembered("x", compute) == 2
        content_versions.bump_content_version()
        assert content_versions.remembered("x", compute) == 3

    def test_a_remembered_value_is_kept_no_longer_than_asked(self, site, monkeypatch):
        computed = []

        def compute():
            computed.append(1)
            return len(computed)

        assert content_versions.remembered("y", compute, seconds=60) == 1
        soon = (timezone.now() + timedelta(seconds=59)).timestamp()
        monkeypatch.setattr(content_versions, "now", lambda: soon)
        assert content_versions.remembered("y", compute, seconds=60) == 1
        later = (timezone.now() + timedelta(seconds=61)).timestamp()
        monkeypatch.setattr(content_versions, "now", lambda: later)
        assert content_versions.remembered("y", compute, seconds=60) == 2

    def test_with_the_page_cache_off_the_next_scheduled_change_is_looked_up_once_per_version(
        self, site, settings, django_assert_num_queries
    ):
        # What remembered values end at: kept as long as they are, for the content version.
        settings.PORTAL_PAGE_CACHE_SECONDS = 0
        soon = timezone.now() + timedelta(minutes=5)
        make_article(site, publish_at=soon)
        version = content_versions.content_version()
        with django_assert_num_queries(1):
            assert content_versions.next_schedule_change(version, content_versions.now()) == soon.timestamp()
        with django_assert_num_queries(0):
            assert content_versions.next_schedule_change(version, content_versions.now()) == soon.timestamp()
        content_versions.bump_content_version()
        version = content_versions.content_version()
        with django_assert_num_queries(1):
            content_versions.next_schedule_change(version, content_versions.now())

    def test_a_page_cache_miss_looks_up_the_next_scheduled_change_once(self, client, site):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        make_article(site, publish_at=timezone.now() + timedelta(days=1))
        content_versions.bump_content_version()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/en/column/investment-dynamics/")  # the count and months are remembered
        assert state(response) == "miss"
        assert sum('"next_unpublish"' in q["sql"] for q in queries) == 1
        assert state(client.get("/en/column/investment-dynamics/")) == "hit"

    def test_a_columns_article_count_is_worked_out_once_per_content_version(self, client, site):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for _ in range(25):
            make_article(site)
        fresh = {"cookie": f"{settings.CSRF_COOKIE_NAME}=x"}
        with CaptureQueriesContext(connection) as first:
            assert client.get("/en/column/investment-dynamics/", headers=fresh).status_code == 200
        with CaptureQueriesContext(connection) as second:
            assert client.get("/en/column/investment-dynamics/?page=2", headers=fresh).status_code == 200
        assert sum("COUNT(*)" in q["sql"] for q in first) == 1
        assert not any("COUNT(*)" in q["sql"] for q in second)
        assert client.get("/en/column/investment-dynamics/?page=3", headers=fresh).status_code == 404
        for _ in range(20):
            make_article(site)
        assert client.get("/en/column/investment-dynamics/?page=3", headers=fresh).status_code == 200


class TestKeyAndBytes:
    """A cached page's bytes depend only on its key: nothing the key ignores may reach the page."""

    @pytest.mark.parametrize(
        ("path", "reads"),
        [
            ("/en/column/investment-dynamics/", "?page=2"),
            ("/en/search/?q=paged", "?q=paged&page=2"),
            ("/en/tag/paged/", "?page=2"),
        ],
    )
    def test_an_ignored_parameter_never_reaches_the_stored_page(self, client, site, path, reads):
        tag = Tag.objects.create(name_en="Paged", name_zh_hans="分页", slug="paged")
        for number in range(21):
            make_article(site, title_en=f"Paged story {number}", body_en="<p>paged</p>").tags.add(tag)
        junk = "x" * 1400
        separator = "&" if "?" in path else "?"
        poisoning = client.get(f"{path}{separator}spm={junk}&utm_source=evil")
        assert poisoning.status_code == 200 and junk not in text(poisoning) and "evil" not in text(poisoning)
        clean = client.get(path)
        assert state(clean) == "hit" and clean.content == poisoning.content
        assert f'href="{reads}" rel="next"' in text(clean).replace("&amp;", "&")

    def test_a_script_name_header_makes_no_fake_page(self, client, site):
        # gunicorn turns a "SCRIPT_NAME: /evil" header into this for a peer it trusts.
        response = client.get("/en/", SCRIPT_NAME="/evil")
        assert "/evil/" not in text(response)
        assert "/evil/" not in text(client.get("/en/"))


class TestReconciliation:
    """A new content version that could not be written to the cache is written again from the database."""

    def test_a_lost_version_write_is_put_back_and_the_stale_page_dropped(self, client, site, settings):
        from news.models import ContentVersion

        article = make_article(site, title_en="Public for now")
        client.get("/en/")
        assert state(client.get("/en/")) == "hit"
        stale = cache.get(content_versions.VERSION_KEY)
        # The unpublish whose cache write was lost: the database has a new version, the cache the old one.
        type(article).objects.filter(pk=article.pk).update(status="draft")
        ContentVersion.objects.filter(pk=1).update(version="after-the-unpublish")
        assert cache.get(content_versions.VERSION_KEY) == stale
        assert "Public for now" in text(client.get("/en/"))  # not yet checked: the cache's version rules
        settings.PORTAL_CACHE_RECONCILE_SECONDS = 0
        page = client.get("/en/")
        assert state(page) == "miss" and "Public for now" not in text(page)
        assert cache.get(content_versions.VERSION_KEY) == "after-the-unpublish"

    def test_a_cache_that_refuses_the_version_serves_no_page_of_before_the_change(
        self, client, site, settings, monkeypatch
    ):
        """Reads answered, writes refused (a full disk, a read-only folder, a Redis out of memory):
        the stale version stays readable, so every request checks until the cache takes the new one."""
        from news.models import ContentVersion

        article = make_article(site, title_en="Public for now")
        client.get("/en/")
        assert state(client.get("/en/")) == "hit"
        type(article).objects.filter(pk=article.pk).update(status="draft")
        ContentVersion.objects.filter(pk=1).update(version="after-the-unpublish")
        with monkeypatch.context() as refusing:
            refusing.setattr(cache, "set", lambda *args, **kwargs: False)
            settings.PORTAL_CACHE_RECONCILE_SECONDS = 0
            assert "Public for now" not in text(client.get("/en/"))
            settings.PORTAL_CACHE_RECONCILE_SECONDS = 3600  # not due again by the clock
            for _ in range(3):
                page = client.get("/en/")
                assert state(page) != "hit" and "Public for now" not in text(page)
        page = client.get("/en/")  # the cache takes writes again: checked, written, cached afresh
        assert "Public for now" not in text(page) and cache.get(content_versions.VERSION_KEY) == "after-the-unpublish"
        assert state(client.get("/en/")) == "hit"

    def test_the_check_costs_one_query_per_interval(self, client, site, settings, django_assert_num_queries):
        client.get("/en/")
        client.get("/en/")
        settings.PORTAL_CACHE_RECONCILE_SECONDS = 0
        with django_assert_num_queries(1):  # the database's version; the page is a hit
            assert state(client.get("/en/")) == "hit"
        settings.PORTAL_CACHE_RECONCILE_SECONDS = 3600
        with django_assert_num_queries(0):
            assert state(client.get("/en/")) == "hit"

    def test_a_save_writes_the_version_to_both(self, site):
        from news.models import ContentVersion

        make_article(site)
        assert ContentVersion.objects.get().version == cache.get(content_versions.VERSION_KEY)
