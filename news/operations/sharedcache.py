"""The shared cache's backends: a helper, never a dependency (DESIGN.md, "Staying up").

``RedisCache`` is django-redis's backend behind a per-process **circuit breaker**: the first
call that fails (refused, timed out after ``SOCKET_TIMEOUT``, or any Redis error) opens it,
and for ``PORTAL_CACHE_RETRY_SECONDS`` (5 s) every call answers at once as a miss would (a
read gives its default, a write ``False``) without touching the network. The first call after
that tries Redis again: one success closes the breaker, one failure opens it again. A hung
Redis thus costs each process one socket timeout (0.5 s) every 5 s, not one per call (a page
makes 10–16).

``FileBasedCache`` is Django's file cache whose failures (a full disk, a folder that cannot be
written) are misses and failed writes, never errors; its ``add`` and ``incr`` hold an
exclusive ``flock`` on a lock file in the cache's folder, so that counters shared by the
workers of one machine (the rate limits) are exact: Django's own ``incr`` is a ``get`` then
a ``set``, which loses increments between processes.

Both return ``True`` from a ``set`` that was stored and ``False`` from one that was not, which
the content version relies on (``news/pagecache/version.py``), and ``available()`` says whether
the cache answered lately (the operators' status and the editors' warning).
"""

import fcntl
import logging
import os
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache as DjangoFileBasedCache
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger("portal.cache")


class CircuitBreaker:
    """Open for ``seconds`` after a failure; the first call after that is a trial."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.open_until = 0.0
        self.lock = threading.Lock()

    def allows(self):
        return time.monotonic() >= self.open_until

    def failed(self):
        with self.lock:
            self.open_until = time.monotonic() + self.seconds

    def succeeded(self):
        if self.open_until:
            with self.lock:
                self.open_until = 0.0


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


# Method name → what it answers when the cache cannot: what a miss or a refused write would.
FALLBACKS = {
    "get": _default,
    "get_many": lambda args, kwargs: {},
    "has_key": lambda args, kwargs: False,
    "set": lambda args, kwargs: False,
    "add": lambda args, kwargs: False,
    "touch": lambda args, kwargs: False,
    "set_many": lambda args, kwargs: list(args[0]) if args else [],
    "delete": lambda args, kwargs: False,
    "delete_many": lambda args, kwargs: None,
    "incr": lambda args, kwargs: None,
    "decr": lambda args, kwargs: None,
    "clear": lambda args, kwargs: False,
    "delete_pattern": lambda args, kwargs: 0,
}


def _guarded(base, name):
    original = getattr(base, name)
    fallback = FALLBACKS[name]

    def method(self, *args, **kwargs):
        breaker = self.breaker
        if not breaker.allows():
            return fallback(args, kwargs)
        try:
            result = original(self, *args, **kwargs)
        except self.failures as error:
            breaker.failed()
            # One line, at most once a minute: the portal.cache logger's CacheOutageLogFilter.
            logger.warning("Exception ignored", exc_info=error)
            return fallback(args, kwargs)
        breaker.succeeded()
        if name == "set" and result is None:  # Django's file cache answers None when stored
            return True
        return result

    method.__name__ = name
    method.__doc__ = original.__doc__
    return method


class RedisCache(DjangoRedisCache):
    """django-redis behind a per-process circuit breaker (see the module).

    Set ``IGNORE_EXCEPTIONS`` off: the breaker, not django-redis, turns failures into misses.
    """

    failures = (ConnectionInterrupted, RedisError, OSError)

    def __init__(self, server, params):
        super().__init__(server, params)
        self.breaker = CircuitBreaker(settings.PORTAL_CACHE_RETRY_SECONDS)


for _name in FALLBACKS:
    setattr(RedisCache, _name, _guarded(DjangoRedisCache, _name))


class _NoBreaker:
    """A file cache never hangs: each failure is answered by itself, the next call tries again."""

    def allows(self):
        return True

    def failed(self):
        pass

    def succeeded(self):
        pass


class FileBasedCache(DjangoFileBasedCache):
    """Django's file cache whose failures are misses, with exact ``add`` and ``incr`` (see the module)."""

    failures = (OSError, EOFError)
    breaker = _NoBreaker()

    def __init__(self, dir, params):  # noqa: A002 - Django's name
        super().__init__(dir, params)
        self.lock_path = os.path.join(os.path.abspath(dir), ".counters.lock")

    @contextmanager
    def exclusive(self):
        """Hold the folder's lock: one ``add`` or ``incr`` at a time across the machine's processes."""
        os.makedirs(os.path.dirname(self.lock_path), exist_ok=True)
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    _unlocked_incr = _guarded(DjangoFileBasedCache, "incr")

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            with self.exclusive():
                return not self.has_key(key, version) and self.set(key, value, timeout, version)
        except OSError:
            return False

    def incr(self, key, delta=1, version=None):
        try:
            with self.exclusive():
                return self._unlocked_incr(key, delta, version)
        except OSError:
            return None


for _name in set(FALLBACKS) - {"add", "incr", "delete_pattern"}:
    setattr(FileBasedCache, _name, _guarded(DjangoFileBasedCache, _name))


def available():
    """False while the default cache's breaker is open (it failed in the last few seconds)."""
    breaker = getattr(cache, "breaker", None)
    return breaker is None or breaker.allows()
