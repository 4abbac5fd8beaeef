"""Redis away: the site keeps serving from the database, slower, and says so in the log.

The portal's Redis setup (django-redis, ``IGNORE_EXCEPTIONS``, half-second socket timeouts,
portal/settings.py) is pointed at a port nobody listens on; then a real server's own Redis
(a private redis-server on a free port) is killed under it and started again.
"""

import logging
import runpy
import shutil
import subprocess
import time

import pytest
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
            record.getMessage().startswith("Cache unavailable (ConnectionInterrupted")
            and "serving without it" in record.getMessage()
        )
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    def test_the_content_version_and_page_cache_cope(self, client, site, redis_down):
        assert content_versions.content_version() is None
        content_versions.bump_content_version()  # does not raise
        assert cache.get("anything") is None and cache.set("anything", 1) is None

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


# --- A running server whose Redis goes away ----------------------------------------------


class RedisServer:
    def __init__(self, port, directory):
        self.port, self.directory, self.process = port, directory, None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_a_running_server_keeps_serving_while_its_redis_is_away_and_uses_it_again(tmp_path):
    redis_server = RedisServer(free_port(), tmp_path)
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
            assert requests.get(base + "/healthz", timeout=30).json()["cache"] == "error"

            redis_server.start()
            for path in pages:
                requests.get(base + path, timeout=30)
                assert requests.get(base + path, timeout=30).headers.get("X-Page-Cache") == "hit", path
            assert requests.get(base + "/healthz", timeout=30).status_code == 200
        output = log.read_text()
        assert "WARNING portal.cache Cache unavailable (ConnectionInterrupted" in output, output
        assert "Traceback" not in output
    finally:
        redis_server.kill()
