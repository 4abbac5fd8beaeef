"""The shared cache's backends (news/operations/sharedcache.py): a circuit breaker in front of a
hung or refusing Redis, a file cache whose failures are misses, and exact counters."""

import errno
import multiprocessing
import shutil
import time

import pytest

from news.operations import sharedcache
from tests import servers
from tests.servers import free_port

needs_redis_server = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


def redis_cache(port, settings):
    settings.PORTAL_CACHE_RETRY_SECONDS = 5
    return sharedcache.RedisCache(
        f"redis://127.0.0.1:{port}/0",
        {
            "KEY_PREFIX": "breaker-test",
            "OPTIONS": {"IGNORE_EXCEPTIONS": False, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        },
    )


@pytest.fixture
def private_redis(tmp_path):
    server = servers.RedisServer(free_port(), tmp_path)
    server.start()
    yield server
    server.kill()


def sixteen_calls(cache):
    """What a page asks of the cache, about: reads, a read of many, writes."""
    results = []
    for number in range(5):
        results.append(cache.get(f"k{number}", "default"))
        results.append(cache.get_many([f"k{number}", "v"]))
        results.append(cache.set(f"k{number}", number, 60))
    results.append(cache.add("counter", 0, 60))
    return results


@needs_redis_server
class TestCircuitBreaker:
    def test_a_hung_redis_costs_one_socket_timeout_then_nothing(self, private_redis, settings):
        cache = redis_cache(private_redis.port, settings)
        assert cache.set("k0", "stored", 60) is True and cache.get("k0") == "stored"
        private_redis.pause()
        try:
            started = time.monotonic()
            results = sixteen_calls(cache)
            elapsed = time.monotonic() - started
        finally:
            private_redis.resume()
        assert elapsed < 1.0, elapsed  # one 0.5 s timeout, then the breaker answers at once
        assert results[:3] == ["default", {}, False]
        assert cache.incr("counter") is None and cache.has_key("k0") is False

    def test_it_tries_again_after_the_retry_interval_and_closes(self, private_redis, settings, monkeypatch):
        cache = redis_cache(private_redis.port, settings)
        cache.set("k0", "stored", 60)
        private_redis.pause()
        try:
            assert cache.get("k0") is None
        finally:
            private_redis.resume()
        assert cache.get("k0") is None  # still open: not asked, although Redis answers again
        cache.breaker.open_until = time.monotonic()  # the retry interval has passed
        assert cache.get("k0") == "stored" and cache.breaker.allows()

    def test_a_refusing_redis_is_a_miss_without_an_error(self, settings):
        cache = redis_cache(free_port(), settings)
        started = time.monotonic()
        assert sixteen_calls(cache)[:3] == ["default", {}, False]
        assert time.monotonic() - started < 1.0
        assert not cache.breaker.allows()


class TestFileCache:
    def make(self, tmp_path):
        return sharedcache.FileBasedCache(str(tmp_path / "cache"), {"OPTIONS": {"MAX_ENTRIES": 1000}})

    def test_set_says_whether_it_stored(self, tmp_path):
        cache = self.make(tmp_path)
        assert cache.set("a", 1) is True and cache.get("a") == 1

    def test_a_full_disk_is_a_failed_write_and_reads_go_on(self, tmp_path, monkeypatch):
        cache = self.make(tmp_path)
        cache.set("kept", "page")

        def no_space(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(sharedcache.DjangoFileBasedCache, "_write_content", no_space)
        assert cache.set("new", "page") is False
        assert cache.add("other", 1) is False
        assert cache.get("kept") == "page" and cache.get("new") is None

    def test_an_unreadable_folder_is_a_miss(self, tmp_path, monkeypatch):
        cache = self.make(tmp_path)
        cache.set("a", 1)

        def unreadable(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr("builtins.open", unreadable)
        assert cache.get("a", "default") == "default" and cache.get_many(["a"]) == {}


def _count(location, times, barrier):
    cache = sharedcache.FileBasedCache(location, {"OPTIONS": {"MAX_ENTRIES": 1000}})
    barrier.wait()
    for _ in range(times):
        cache.add("hits", 0, 60)
        cache.incr("hits")


def test_counters_are_exact_across_processes(tmp_path):
    """Django's file cache loses increments between processes (get, then set): 47 of 30 got
    through the search limit; with the folder's lock every one counts."""
    location = str(tmp_path / "cache")
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(4)
    workers = [context.Process(target=_count, args=(location, 50, barrier)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert sharedcache.FileBasedCache(location, {}).get("hits") == 200
