"""Redis away: the site keeps serving from the database, slower, and says so in the log.

The portal's Redis setup (django-redis, ``IGNORE_EXCEPTIONS``, half-second socket timeouts,
portal/settings.py) is pointed at a port nobody listens on; then a real server's own Redis
(a private redis-server on a free port) is killed under it and started again.
"""

import logging
import re
import runpy
import shutil
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from news.operations.faults import CacheOutageLogFilter
from news.pagecache import version as content_versions
from tests import servers
from tests.factories import admin_form_data, make_article
from tests.servers import free_port

requests = pytest.importorskip("requests", reason="requests comes with moto[server], a development requirement")


def reset_outage_filters():
    """A fresh minute: the next failure is logged."""
    assert any(isinstance(f, CacheOutageLogFilter) for f in logging.getLogger("portal.cache").filters), (
        "the portal.cache logger has no outage filter"
    )
    CacheOutageLogFilter.reset()


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The project's Redis settings (portal/settings.py with REDIS_URL set), on a closed port."""
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    configured = runpy.run_path(str(settings.BASE_DIR / "portal" / "settings.py"))
    settings.CACHES = {"default": {**configured["CACHES"]["default"], "KEY_PREFIX": "portal-outage-test"}}
    for name in ("DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS", "DJANGO_REDIS_LOGGER"):
        setattr(settings, name, configured[name])
    reset_outage_filters()
    yield
    reset_outage_filters()


@pytest.mark.django_db
class TestWithRedisDown:
    def test_reader_pages_and_search_are_served_from_the_database(self, client, site, redis_down):
        article = make_article(site, title_en="Still served")
        with translation.override("en"):
            column = site.get_absolute_url()
        for path in ("/en/", column, article.get_absolute_url("en"), "/en/search/?q=served"):
            for _attempt in range(2):
                response = client.get(path)
                assert response.status_code == 200, path
                assert "Still served" in response.content.decode(), path
                assert "X-Page-Cache" not in response  # nothing stored, nothing stale

    def test_a_warning_is_logged_once_a_minute_not_a_traceback_per_call(self, client, site, redis_down, caplog):
        with caplog.at_level(logging.INFO):
            assert client.get("/en/").status_code == 200
            assert client.get("/zh-hans/").status_code == 200
        records = [r for r in caplog.records if r.name == "portal.cache"]
        assert len(records) == 1
        [record] = records
        assert record.levelno == logging.WARNING and record.exc_info is None
        assert (
            record.getMessage().startswith("Cache unavailable (ConnectionError")
            and "serving without it" in record.getMessage()
        )
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    def test_the_content_version_and_page_cache_cope(self, client, site, redis_down):
        assert content_versions.content_version() is None
        content_versions.bump_content_version()  # does not raise
        assert cache.get("anything") is None and cache.set("anything", 1) is False

    def test_an_admin_save_works_and_readers_see_it_at_once(self, client, senior_client, site, redis_down):
        article = make_article(site, title_en="Before the outage")
        assert "Before the outage" in client.get(article.get_absolute_url("en")).content.decode()
        response = senior_client.post(
            f"/admin/news/article/{article.pk}/change/", admin_form_data(article, title_en="Saved during the outage")
        )
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.title_en == "Saved during the outage"
        assert "Saved during the outage" in client.get(article.get_absolute_url("en")).content.decode()
        found = client.get("/en/search/?q=outage").content.decode()
        assert "Saved during the outage" in found

    def test_the_editor_is_warned_and_the_database_keeps_the_new_version(
        self, senior_client, site, redis_down, settings
    ):
        settings.PORTAL_CACHE_RETRY_SECONDS = settings.PORTAL_CACHE_RECONCILE_SECONDS = 5  # the defaults
        from news.models import ContentVersion

        article = make_article(site, title_en="Before the outage")
        before = ContentVersion.objects.get().version
        response = senior_client.post(
            f"/admin/news/article/{article.pk}/change/",
            admin_form_data(article, title_en="Saved during the outage"),
            follow=True,
        )
        page = response.content.decode()
        # The admin speaks the editor's language (Chinese by default).
        assert '<li class="warning">已保存，但无法连接共享缓存：缓存恢复后最多 10 秒内' in page
        assert page.count("无法连接共享缓存") == 1  # one warning, not one per save signal
        assert ContentVersion.objects.get().version != before
        assert content_versions.reconcile_due()  # this process puts it in the cache on its next request


# --- A running server whose Redis goes away ----------------------------------------------


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_a_running_server_keeps_serving_while_its_redis_is_away_and_uses_it_again(tmp_path):
    redis_server = servers.RedisServer(free_port(), tmp_path)
    redis_server.start()
    try:
        env = servers.environment(tmp_path, REDIS_URL=f"redis://127.0.0.1:{redis_server.port}/0")
        servers.prepare(env)  # SQLite in the data folder: only the cache is under test here
        log = tmp_path / "gunicorn.log"
        with servers.gunicorn(env, log) as base:
            pages = ["/en/", "/zh-hans/", "/en/search/?q=investment"]
            for path in pages:
                requests.get(base + path, timeout=30)
                assert requests.get(base + path, timeout=30).headers.get("X-Page-Cache") == "hit", path

            redis_server.kill()
            for path in [*pages, "/en/search/?q=jilin"]:
                for _worker in range(3):
                    response = requests.get(base + path, timeout=30)
                    assert response.status_code == 200, path
                    assert "X-Page-Cache" not in response.headers  # from the database
            assert requests.get(base + "/healthz/status", timeout=30).json()["cache"] == "error"
            assert requests.get(base + "/healthz", timeout=30).status_code == 200

            redis_server.start()
            time.sleep(5)  # PORTAL_CACHE_RETRY_SECONDS: each process leaves Redis alone that long
            # ... counted from its last failed call, which may come a little later on a loaded
            # machine: each page must be a hit again within a further 15 s.
            for path in pages:
                deadline = time.monotonic() + 15
                while requests.get(base + path, timeout=30).headers.get("X-Page-Cache") != "hit":
                    assert time.monotonic() < deadline, f"{path} never served from Redis again"
                    time.sleep(0.2)
            assert requests.get(base + "/healthz/status", timeout=30).status_code == 200
        output = log.read_text()
        assert "WARNING portal.cache Cache unavailable (ConnectionError" in output, output
        assert "Traceback" not in output
    finally:
        redis_server.kill()


def _timed_get(url):
    started = time.monotonic()
    response = requests.get(url, timeout=30)
    return response, time.monotonic() - started


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_a_hung_redis_costs_a_reader_at_most_one_short_timeout(tmp_path):
    """Redis listening but answering nothing (SIGSTOP): every page within 1 s, the site serving."""
    redis_server = servers.RedisServer(free_port(), tmp_path)
    redis_server.start()
    try:
        # A retry interval of 1 s, so that the breaker's retries fall inside the measurement.
        env = servers.environment(
            tmp_path, REDIS_URL=f"redis://127.0.0.1:{redis_server.port}/0", PORTAL_CACHE_RETRY_SECONDS="1"
        )
        servers.prepare(env)
        with servers.gunicorn(env, tmp_path / "gunicorn.log") as base:
            pages = ["/en/", "/zh-hans/", "/en/search/?q=investment", "/en/page/about/"]
            for path in pages:
                requests.get(base + path, timeout=30)
            redis_server.pause()
            timings = []
            started = time.monotonic()
            round_ = 0
            while time.monotonic() - started < 3.5 or round_ < 6:  # three retry intervals at least
                for path in [*pages, f"/en/search/?q=jilin+{round_}"]:
                    response, seconds = _timed_get(base + path)
                    assert response.status_code == 200, path
                    timings.append(seconds)
                round_ += 1
            # Each process pays one socket timeout (0.5 s) when it finds Redis hung, and no more:
            # the retries are PINGs from a thread (news/operations/sharedcache.py), not a reader's
            # request. Before: one timeout per cache call (10–16 a page, 5–8 s); then one per process
            # every retry interval plus the render, up to 1.5 s on a loaded machine, most of it the
            # lazy setting up of a worker's first request (news/operations/warmup.py).
            assert max(timings) < 1.0, timings
            assert len([t for t in timings if t >= 0.45]) <= 2, timings  # one timeout per worker
            assert sorted(timings)[len(timings) // 2] < 0.5, timings
            assert requests.get(base + "/healthz", timeout=30).status_code == 200
            redis_server.resume()
            deadline = time.monotonic() + 15
            while requests.get(base + "/en/", timeout=30).headers.get("X-Page-Cache") != "hit":
                assert time.monotonic() < deadline, "the page cache was not used again after Redis came back"
                time.sleep(0.2)
    finally:
        redis_server.kill()


def redis_version(redis_server):
    import redis

    client = redis.Redis(port=redis_server.port, socket_timeout=5)
    return [(key, client.get(key)) for key in client.keys("*content:version*")]


def database_version(env):
    found = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from news.models import ContentVersion as C; print(list(C.objects.values_list('version', flat=True)))",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return found.stdout.strip()[-200:]


def _shell(env, code):
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=settings.BASE_DIR, env=env, check=True, timeout=120
    )


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_an_article_unpublished_while_redis_refused_is_gone_within_the_bound_after_it_returns(tmp_path):
    """The README's bound: PORTAL_CACHE_RETRY_SECONDS + PORTAL_CACHE_RECONCILE_SECONDS (10 s)."""
    redis_server = servers.RedisServer(free_port(), tmp_path)
    redis_server.start()
    try:
        # No miss limit: the test asks for the (uncached) 404 ten times a second from one address,
        # past 120 a minute on a fast machine, and a 429 would hide the 404 it waits for.
        env = servers.environment(
            tmp_path, REDIS_URL=f"redis://127.0.0.1:{redis_server.port}/0", PORTAL_MISS_RATE_PER_MINUTE="0"
        )
        servers.prepare(env)
        with servers.gunicorn(env, tmp_path / "gunicorn.log") as base:
            home = requests.get(base + "/en/", timeout=30).text
            article = re.search(r'href="(/en/news/(\d+)/[^"]+)"', home)
            path, pk = article.group(1), int(article.group(2))
            column = re.search(r'href="(/en/column/[\w-]+/)"', requests.get(base + path, timeout=30).text).group(1)
            pages = ["/en/", column, path]
            for page in pages:  # in the page cache, in both workers
                for _ in range(4):
                    assert requests.get(base + page, timeout=30).status_code == 200
            assert requests.get(base + path, timeout=30).headers.get("X-Page-Cache") == "hit"

            redis_server.stop()  # refused; its keys (the old version, the old pages) kept on disk
            _shell(
                env, f"from news.models import Article; a = Article.objects.get(pk={pk}); a.status = 'draft'; a.save()"
            )
            for page in pages:  # meanwhile the site serves from the database: already gone
                response = requests.get(base + page, timeout=30)
                assert f"/news/{pk}/" not in response.text or response.status_code == 404, page

            redis_server.start()  # the same keys as before the unpublish
            back = time.monotonic()
            gone_since = None
            while time.monotonic() - back < 20:
                responses = [requests.get(base + page, timeout=30) for page in pages]
                gone = responses[2].status_code == 404 and all(f"/news/{pk}/" not in r.text for r in responses[:2])
                if not gone:
                    gone_since = None
                elif gone_since is None:
                    gone_since = time.monotonic() - back
                time.sleep(0.1)
            assert gone_since is not None, (
                "the unpublished article was still served 20 s after Redis came back: "
                f"{[(r.status_code, r.headers.get('X-Page-Cache')) for r in responses]}, "
                f"version in Redis {redis_version(redis_server)!r}, in the database {database_version(env)!r}"
            )
            assert gone_since <= 10.0, f"served {gone_since:.1f} s after Redis came back; the README says 10 s"
            assert requests.get(base + "/en/", timeout=30).headers.get("X-Page-Cache") == "hit"  # Redis in use again
    finally:
        redis_server.kill()


def test_the_outage_filter_rewrites_ignored_errors_only(caplog):
    """The portal's own lines on portal.cache keep their words; only the cache client's "Exception
    ignored" becomes the outage line (a failed content-version write once read "Cache unavailable
    (error: )")."""
    reset_outage_filters()
    logger = logging.getLogger("portal.cache")
    with caplog.at_level(logging.INFO, logger="portal.cache"):
        logger.warning("Could not write the content version to the database (%s).", "OperationalError")
        try:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")
        except ConnectionError:
            logger.exception("Exception ignored")
        logger.info("The content version in the cache was not the database's; written again.")
    assert [record.getMessage() for record in caplog.records] == [
        "Could not write the content version to the database (OperationalError).",
        "Cache unavailable (ConnectionError: Error 111 connecting to 127.0.0.1:6390. Connection refused.); "
        "serving without it.",
        "The content version in the cache was not the database's; written again.",
    ]
    reset_outage_filters()
