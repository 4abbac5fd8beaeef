"""The shared cache's backends: a helper, never a dependency (DESIGN.md, "Staying up").

``RedisCache`` is django-redis's backend behind a per-process **circuit breaker**: the first
call that fails (refused, timed out after ``SOCKET_TIMEOUT``, or any Redis error) opens it,
and from then on every call answers at once as a miss would (a read gives its default, a write
``False``) without touching the network. A thread of the process sends Redis a PING every
``PORTAL_CACHE_RETRY_SECONDS`` (5 s) and closes the breaker at the first answer. A hung Redis
thus costs each process one socket timeout (0.5 s) in all, on the request that found it, not
one per call (a page makes 10–16) nor one per retry: no reader's request is the trial.

``DiskCache`` is the embedded default (no Redis): diskcache's ``DjangoCache``, SQLite files in
the data folder that every worker of the machine shares. Django's file cache, used before, lists
its whole folder on every write to cull it (23 ms at 15,500 entries) and then evicts at random,
rate-limit counters and the content version included; here a write is an indexed SQLite
``INSERT``, its cost the same at 1,000 entries as at 100,000 (``bench/cache_writes.py``; the
numbers are in the README, "Operations"). Eviction is deliberate: entries live in two stores,

- ``pages/``: whole pages and ``remembered`` values, which anything can recompute. Past
  ``MAX_MB`` each write evicts the entries stored longest ago (an index on the time stored).
- ``state/``: everything else (the content version, rate-limit counters, visit totals, editing
  presence). Never evicted for room, only when it expires, so page churn cannot reset a counter
  or the content version.

``incr`` and ``add`` are single SQLite transactions (``BEGIN IMMEDIATE``): counters are exact
across processes. Any failure (a full disk, a folder that cannot be written, a database file
that cannot be read, a write lock not had within ``LOCK_TIMEOUT``) is a miss or a failed write,
never an error; the folder is opened on first use, so a full disk at start is a miss too.

Both return ``True`` from a ``set`` that was stored and ``False`` from one that was not, which
the content version relies on (``news/pagecache/version.py``), and ``available()`` says whether
the cache answered lately (the operators' status and the editors' warning).
"""

import contextlib
import fcntl
import hashlib
import logging
import math
import os
import pickle
import sqlite3
import struct
import threading
import time
import weakref
from pathlib import Path

import diskcache
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger("portal.cache")


class CircuitBreaker:
    """Closed until a call fails; then open: every call answers as a miss, at once.

    With a ``probe`` (a function that raises unless the service answers), a thread of the
    process calls it every ``seconds`` while the breaker is open and closes the breaker at the
    first success: no reader's request is ever the trial, so a service that stays hung costs
    the process one timeout in all, on the call that found it. Without one, the breaker stays
    open ``seconds`` and the first call after that is the trial.
    """

    # When (time.monotonic()) any breaker last closed after an outage: read on every page-cache
    # hit (``last_recovery``), where finding the default cache's own breaker cost more than the rest.
    last_closed = float("-inf")

    def __init__(self, seconds, probe=None):
        self.seconds = seconds
        self.probe = probe
        self.open_until = 0.0
        self.closed_at = float("-inf")  # when it last closed after an outage (time.monotonic())
        self.lock = threading.Lock()
        self.prober = None
        _BREAKERS.add(self)

    def allows(self):
        return time.monotonic() >= self.open_until

    def failed(self):
        with self.lock:
            if self.probe is None:
                self.open_until = time.monotonic() + self.seconds
                return
            self.open_until = math.inf
            if self.prober is None or not self.prober.is_alive():
                self.prober = threading.Thread(target=self._probe_until_back, name="cache-probe", daemon=True)
                self.prober.start()

    def succeeded(self):
        if self.open_until:
            with self.lock:
                self.open_until = 0.0
                self.closed_at = CircuitBreaker.last_closed = time.monotonic()

    def _probe_until_back(self):
        while True:
            time.sleep(self.seconds)
            try:
                self.probe()
            except Exception:  # noqa: BLE001, S112 - any failure: the service is still away
                continue
            self.succeeded()
            return

    def reset(self):
        """Closed, with no probe running (a forked child inherits the state but not the thread)."""
        self.open_until, self.prober = 0.0, None
        self.lock = threading.Lock()


_BREAKERS = weakref.WeakSet()
os.register_at_fork(after_in_child=lambda: [breaker.reset() for breaker in list(_BREAKERS)])


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
        self.breaker = CircuitBreaker(settings.PORTAL_CACHE_RETRY_SECONDS, probe=self.ping)

    def ping(self):
        """Raise unless Redis answers a PING within the socket timeout (the breaker's probe)."""
        self.client.get_client(write=True).ping()


for _name in FALLBACKS:
    setattr(RedisCache, _name, _guarded(DjangoRedisCache, _name))


class _NoBreaker:
    """An embedded cache never hangs: each failure is answered by itself, the next call tries again."""

    def allows(self):
        return True

    def failed(self):
        pass

    def succeeded(self):
        pass


class KeyFiles:
    """Keys kept each in a file of its own, for a value read on every request and seldom written
    (the content version): while its file has not changed, a read is one ``os.stat``.

    A file ends with its record, ``(expiry time or None, value)`` pickled (``DELETED``, expired
    long ago, once deleted), the pickle's length as 8 bytes and the byte 1. Every write makes a
    new file and renames it over the old one, under an exclusive ``flock`` on ``.lock``, one byte
    larger than the file it replaces at least (the bytes before the record are a hole, which
    takes no room on disk). So a file's size only grows, and (device, inode, size, modification
    time) names one write: each process keeps the last record it read of each file under that
    identity and reads the file again only when ``stat`` shows another. A write that cannot be
    made (a full disk) lengthens the file by one zero byte instead (a hole: it needs no room), so
    that the key reads as missing until a write succeeds, rather than as the value it was to
    replace.

    Errors are ``OSError`` (``TimeoutError`` when the lock is not had within ``lock_timeout``
    seconds) and, from a read, ``EOFError`` or ``pickle.UnpicklingError`` for a damaged file:
    ``DiskCache`` answers them as a miss or a failed write. A write takes a damaged file for a
    missing key, and replaces it.
    """

    LOCK_POLL_SECONDS = 0.001

    DELETED = (0.0, None)

    END = 1  # the last byte of a whole record

    def __init__(self, folder, lock_timeout):
        self.folder = Path(folder)
        self.lock_timeout = lock_timeout
        self.seen = {}  # path → (identity, record or None)
        self.paths = {}  # key → path

    def path(self, key):
        """The file of ``key`` (a key made by the backend: prefix, version and name), as a string:
        worked out once per key (a ``Path`` costs more than the ``stat``)."""
        path = self.paths.get(key)
        if path is None:
            name = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
            path = self.paths[key] = os.path.join(self.folder, name)
        return path

    @staticmethod
    def identity(found):
        return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)

    def read(self, path):
        """The record kept at ``path`` (expiry, value), or None when there is none."""
        try:
            found = os.stat(path)
        except FileNotFoundError:
            self.seen.pop(path, None)
            return None
        seen = self.seen.get(path)
        if seen is not None and seen[0] == self.identity(found):
            return seen[1]
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            found = os.fstat(descriptor)  # the file opened, which may be newer than the one stat() saw
            size, record = found.st_size, None
            tail = os.pread(descriptor, 9, max(size - 9, 0))
            if len(tail) == 9 and tail[8] == self.END:
                length = struct.unpack(">Q", tail[:8])[0]
                if length > size - 9:
                    raise EOFError(f"{path} is damaged")
                record = self.decode(os.pread(descriptor, length, size - 9 - length), path)
        finally:
            os.close(descriptor)
        self.seen[path] = (self.identity(found), record)
        return record

    @staticmethod
    def decode(blob, path):
        """The record pickled in ``blob``; ``pickle.UnpicklingError`` for anything else: a damaged
        pickle raises many kinds of error (``ValueError`` for an unknown protocol, ``TypeError``,
        ``KeyError``…), which the backend's guard would not take for a miss."""
        try:
            # Written by this backend, in a folder private to the portal's user (see the module).
            record = pickle.loads(blob)  # noqa: S301
            expiry, _value = record
            if not (expiry is None or isinstance(expiry, int | float)):
                raise TypeError(type(expiry).__name__)
        except Exception as error:
            raise pickle.UnpicklingError(f"{path} is damaged") from error
        return record

    @staticmethod
    def current(record):
        """Whether ``record`` holds a value that has not expired."""
        return record is not None and (record[0] is None or record[0] > time.time())

    def get(self, key, default=None):
        record = self.read(self.path(key))
        return record[1] if self.current(record) else default

    def locked(self):
        """The exclusive lock every write holds, as a context manager; ``TimeoutError`` when
        another process holds it past ``lock_timeout``. A new open file each time: a lock taken
        on an inherited descriptor would be shared with the parent process."""
        return _FileLock(self.folder / ".lock", self.lock_timeout, self.LOCK_POLL_SECONDS)

    def write(self, path, record):
        """Replace ``path`` with ``record`` (under the lock); when that fails, spoil it (the key
        reads as missing) and raise."""
        try:
            size = os.stat(path).st_size
        except FileNotFoundError:
            size = None
        blob = pickle.dumps(record, pickle.HIGHEST_PROTOCOL)
        blob += struct.pack(">QB", len(blob), self.END)
        folder, name = os.path.split(path)
        temporary = os.path.join(folder, f".{name}.{os.getpid()}.{threading.get_ident()}")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                if os.pwrite(descriptor, blob, max((size or 0) + 1 - len(blob), 0)) != len(blob):
                    raise OSError("short write")
            finally:
                os.close(descriptor)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            if size is not None:
                self.spoil(path, size)
            raise
        finally:
            self.seen.pop(path, None)

    @staticmethod
    def spoil(path, size):
        """Make ``path`` read as missing without the room a write needs: one zero byte more (a
        hole) ends it, and its size still grows. Removed when even that fails."""
        try:
            os.truncate(path, size + 1)
        except OSError:
            logger.warning("%s could not be lengthened; removed instead.", path)
            with contextlib.suppress(OSError):
                os.unlink(path)

    def update(self, key, change):
        """Under the lock: ``change(record or None)`` gives ``(new record or None to leave the
        file as it is, result)``; returns the result."""
        self.folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.folder.mkdir(mode=0o700, exist_ok=True)
        path = self.path(key)
        with self.locked():
            try:
                record = self.read(path)
            except (EOFError, pickle.UnpicklingError):
                record = None  # a damaged file: the key is missing, and this write mends it
            new, result = change(record if self.current(record) else None)
            if new is not None:
                self.write(path, new)
        return result

    def clear(self):
        """Every key deleted (a tombstone written over each file, so that sizes keep growing)."""
        if not self.folder.is_dir():
            return
        with self.locked():
            for path in self.folder.iterdir():
                if not path.name.startswith("."):
                    self.write(str(path), self.DELETED)


class _FileLock:
    def __init__(self, path, timeout, poll):
        self.path, self.timeout, self.poll = path, timeout, poll

    def __enter__(self):
        self.descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(self.descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self.descriptor)
                    raise TimeoutError(f"{self.path} held by another process") from None
                time.sleep(self.poll)

    def __exit__(self, *exc_info):
        os.close(self.descriptor)  # releases the lock


class DiskCache(BaseCache):
    """The embedded default: diskcache's ``DjangoCache`` (SQLite) in two stores (see the module).

    ``LOCATION`` is a folder; it holds ``pages/`` and ``state/``, each a diskcache
    ``FanoutCache`` (one SQLite file per shard, WAL mode). ``OPTIONS``:

    - ``EVICTABLE_KEY_PREFIXES``: keys that go to ``pages/`` (``("page", "remembered:")``);
      every other key goes to ``state/``.
    - ``MAX_MB``: the size of ``pages/`` beyond which each write evicts the entries stored
      longest ago (diskcache's ``least-recently-stored``, an indexed ``ORDER BY store_time``),
      10 at most per write; ``state/`` is never evicted by size, only by expiry. Default 256.
    - ``SHARDS``: SQLite files in ``pages/`` (4); ``state/`` has one, so a counter's ``incr``
      is one transaction in one file.
    - ``LOCK_TIMEOUT``: seconds a write waits for another process's write to finish before it
      gives up as a failed write (0.25); SQLite write transactions here last well under 1 ms.
    - ``FILE_KEYS``: keys kept each in a file of its own in ``files/`` (``KeyFiles``), read with
      one ``stat`` while unchanged: for a value read on every request (the content version, read
      by every page-cache hit), where a SQLite read costs more than the rest of the hit. ``()``
      by default.
    """

    failures = (OSError, EOFError, sqlite3.Error, diskcache.Timeout, pickle.UnpicklingError)
    breaker = _NoBreaker()

    def __init__(self, location, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS", {}))
        self.location = Path(location)
        self.evictable = tuple(options.get("EVICTABLE_KEY_PREFIXES", ("page", "remembered:")))
        self.max_bytes = int(float(options.get("MAX_MB", 256)) * 2**20)
        self.shards = int(options.get("SHARDS", 4))
        self.lock_timeout = float(options.get("LOCK_TIMEOUT", 0.25))
        self.file_keys = frozenset(options.get("FILE_KEYS", ()))
        self.files = KeyFiles(self.location / "files", self.lock_timeout)
        # Passed on so that both stores make keys exactly as this backend would.
        keyed = ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
        self.store_params = {name: value for name, value in params.items() if name in keyed}
        self._stores = {}
        self._opening = threading.Lock()

    def open_store(self, name):
        """The store ``pages`` or ``state``, opened on first use: opening writes (a new folder,
        the schema), which a full disk refuses, and a refusal must be a miss, not a worker that
        cannot start. Each store is opened apart, so that a damaged file costs only its own."""
        store = self._stores.get(name)
        if store is None:
            with self._opening:
                store = self._stores.get(name)
                if store is None:
                    evictable = name == "pages"
                    self.location.mkdir(mode=0o700, parents=True, exist_ok=True)
                    options = {
                        # Values stay in SQLite (a page is 12–20 KB): no file per entry.
                        "disk_min_file_size": 2**22,
                        "cull_limit": 10,
                        "eviction_policy": "least-recently-stored" if evictable else "none",
                    }
                    if evictable:
                        options["size_limit"] = self.max_bytes
                    store = self._stores[name] = diskcache.DjangoCache(
                        str(self.location / name),
                        {
                            **self.store_params,
                            "DATABASE_TIMEOUT": self.lock_timeout,
                            "SHARDS": self.shards if evictable else 1,
                            "OPTIONS": options,
                        },
                    )
        return store

    def open_stores(self):
        """Open both stores now (a worker does at start, news/operations/warmup.py), so that a
        disk that fills later still finds them open: SQLite reads and writes an open store's
        files in place, where opening one on a full disk fails and leaves that worker without a
        cache until it restarts. Never raises; returns the names that could not be opened."""
        failed = []
        for name in ("pages", "state"):
            try:
                self.open_store(name)
            except Exception:  # noqa: BLE001 - a full disk or damaged file: opened on first use instead
                logger.warning("The %s store of the embedded cache could not be opened at start.", name, exc_info=True)
                failed.append(name)
        return failed

    def volume(self, name="pages"):
        """Bytes that the store ``name`` takes on disk (what ``MAX_MB`` is compared with)."""
        # DjangoCache keeps its FanoutCache in ``_cache`` and has no volume() of its own.
        return self.open_store(name)._cache.volume()

    def store(self, key):
        """The store that holds ``key``: ``pages/`` for evictable keys, else ``state/``."""
        return self.open_store("pages" if key.startswith(self.evictable) else "state")

    # retry=False everywhere: diskcache's own retry loops until the lock is free, unbounded;
    # LOCK_TIMEOUT bounds the wait instead, and a write that times out is a failed write.
    def get(self, key, default=None, version=None):
        if key in self.file_keys:
            # Not validated on every read: written only once validated (set, add).
            return self.files.get(self.make_key(key, version), default)
        return self.store(key).get(key, default, version, retry=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if key in self.file_keys:
            record = (self.get_backend_timeout(timeout), value)
            return self.files.update(self.make_and_validate_key(key, version), lambda old: (record, True))
        return self.store(key).set(key, value, timeout, version, retry=False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if key in self.file_keys:
            record = (self.get_backend_timeout(timeout), value)
            return self.files.update(
                self.make_and_validate_key(key, version), lambda old: (None, False) if old else (record, True)
            )
        return self.store(key).add(key, value, timeout, version, retry=False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        if key in self.file_keys:
            expiry = self.get_backend_timeout(timeout)
            return self.files.update(
                self.make_and_validate_key(key, version), lambda old: ((expiry, old[1]), True) if old else (None, False)
            )
        return self.store(key).touch(key, timeout, version, retry=False)

    def incr(self, key, delta=1, version=None):
        """Atomic across processes (one ``BEGIN IMMEDIATE`` transaction, or the lock of a file
        key); ``ValueError`` when the key is missing or expired, as Django's backends; ``None``
        when the write failed."""
        if key in self.file_keys:

            def add_delta(old):
                if old is None:
                    raise ValueError(f"Key '{key}' not found")
                return (old[0], old[1] + delta), old[1] + delta

            return self.files.update(self.make_and_validate_key(key, version), add_delta)
        return self.store(key).incr(key, delta, version, retry=False)

    def has_key(self, key, version=None):
        if key in self.file_keys:
            missing = object()
            return self.get(key, missing, version) is not missing
        return self.store(key).has_key(key, version)

    def delete(self, key, version=None):
        if key in self.file_keys:
            return self.files.update(
                self.make_and_validate_key(key, version),
                lambda old: (None, False) if old is None else (KeyFiles.DELETED, True),
            )
        return self.store(key).delete(key, version, retry=False)

    def clear(self):
        for name in ("pages", "state"):
            self.open_store(name).clear()
        self.files.clear()

    def close(self, **kwargs):
        """Nothing: Django calls this at the end of every request, and each process keeps its
        SQLite connections (one per thread and file; diskcache reopens them after a fork)."""


for _name in set(FALLBACKS) - {"delete_pattern"}:
    setattr(DiskCache, _name, _guarded(DiskCache, _name))


def last_recovery():
    """When (``time.monotonic()``) a shared cache's breaker last closed after an outage; -inf if never.

    Only the default cache stands behind a breaker (``RedisCache``; the embedded cache has none)."""
    return CircuitBreaker.last_closed


def available():
    """False while the default cache's breaker is open (it failed in the last few seconds)."""
    breaker = getattr(cache, "breaker", None)
    return breaker is None or breaker.allows()
