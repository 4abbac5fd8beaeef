"""Visit and read counting without a database write on each page view.

Each process keeps the visits it saw in memory and adds them to the database, as
``UPDATE … SET count = count + n``, at most every ``PORTAL_VISIT_FLUSH_SECONDS`` and when it
exits. The flush runs after the response has been sent (``request_finished``), so no
reader waits for it. Increments from any number of processes and machines add up
correctly because each flush adds its own share.

What a crash can lose: the visits one process saw since its last flush, at most
``PORTAL_VISIT_FLUSH_SECONDS`` worth (60 s by default). A normal stop or restart loses nothing.

An article page's view counts both as a site visit and as a read of that article; the
article view marks its response with an ``X-Article-Id`` header, which the middleware
reads and removes (a header survives a whole-page cache, a view attribute would not).

``VisitCounterMiddleware`` counts what Django answers; the page cache's fast path
(news/pagecache/wsgi.py) counts its hits with the same rule, ``counts_as_visit``. The flush after
each response and at exit are connected in ``news/signals.py``.

What is not counted: requests without a browser user agent or from known bots, and a
repeat of the same page from the same address within ``PORTAL_VISIT_DEDUP_SECONDS``.

**Deduplication costs O(1) per request and nothing outside the process.** Each process keeps
the (address, page) pairs it counted in two generations of a set, each spanning
``PORTAL_VISIT_DEDUP_SECONDS``: a pair in either is a repeat; when the current generation is
that old, or holds ``PORTAL_VISIT_DEDUP_ENTRIES`` pairs, it becomes the previous one and the
oldest is dropped. Memory is bounded (two sets of at most that many 16-byte digests: 9.1 MB
at the default 50,000, measured with tracemalloc). Nothing is written to the shared cache on a reader's request:
the file cache's writes cost more as it fills (it lists its folder on each), and a new reader
per request would fill it. What it may miscount, on purpose:

- a repeat that reaches another worker or instance counts again: at most once per process
  per window (``make run`` has 2 workers), so reads are overcounted by at most that factor for
  readers who reload within the window;
- a repeat after the window, or after more than ``PORTAL_VISIT_DEDUP_ENTRIES`` other pairs
  pushed it out, counts again (a window is 1–2 × ``PORTAL_VISIT_DEDUP_SECONDS``);
- readers who share one address (an office behind one NAT) count once per page and window
  between them. The user agent is not part of the pair: a client that rotates it would
  otherwise count as a new reader on every request.
"""

import functools
import hashlib
import itertools
import logging
import re
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from .models import Article, ArticleDailyReads, DailyVisits
from .operations.headers import client_ip

logger = logging.getLogger(__name__)

ARTICLE_HEADER = "X-Article-Id"

BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|"
    r"headless|lighthouse|curl|wget|httpie|python|java/|go-http|okhttp|libwww|scrapy|"
    r"feed|rss|validator|checker|pingdom|uptime|wrk|apachebench|^$",
    re.IGNORECASE,
)


TOTAL_CACHE_KEY = "visits:total"


TOTAL_CACHE_SECONDS = 60


_lock = threading.Lock()


_pending = Counter()  # (day, article id or None for a site visit) → views not yet written


_last_flush = time.monotonic()


# User agents already judged, with the answer: the regular expression takes 50–200 µs on a
# browser's user agent (about 30 alternatives searched at every position), more than the rest of a
# page-cache hit, and readers send a handful of different ones. functools.lru_cache keeps the
# BOT_MEMO_SIZE used last (thread-safe; the size is read once, at import); reset() empties it.
BOT_MEMO_SIZE = 4096


@functools.lru_cache(maxsize=BOT_MEMO_SIZE)
def _is_bot_user_agent(user_agent):
    return bool(BOT_USER_AGENT.search(user_agent))


def is_bot(request):
    """Whether the request comes from a known bot, or sends no user agent (``BOT_USER_AGENT``)."""
    return _is_bot_user_agent(request.META.get("HTTP_USER_AGENT", ""))


def _fingerprint(request):
    raw = f"{client_ip(request)}|{request.path}"
    return hashlib.blake2b(raw.encode(), digest_size=16).digest()


class RecentVisitors:
    """The (address, page) pairs counted lately in this process: two generations of a set."""

    def __init__(self):
        self.current, self.previous = set(), set()
        self.started = time.monotonic()

    def first_time(self, fingerprint, window, limit):
        """True, and remember it, when ``fingerprint`` was not seen in the last window or two."""
        now = time.monotonic()
        if now - self.started >= window or len(self.current) >= limit:
            # Two windows without a request: nothing in either is recent any more.
            self.previous = set() if now - self.started >= 2 * window else self.current
            self.current, self.started = set(), now
        if fingerprint in self.current or fingerprint in self.previous:
            return False
        self.current.add(fingerprint)
        return True


_recent = RecentVisitors()


def record_visit(request, article_id=None):
    """Count this page view (and a read of ``article_id``) unless it is a bot or a recent repeat.

    Returns True if counted.
    """
    if is_bot(request):
        return False
    fingerprint = _fingerprint(request)
    with _lock:
        if not _recent.first_time(
            fingerprint, settings.PORTAL_VISIT_DEDUP_SECONDS, settings.PORTAL_VISIT_DEDUP_ENTRIES
        ):
            return False
        day = timezone.localdate()  # only for a visit counted: the day in the current time zone
        _pending[day, None] += 1
        if article_id is not None:
            _pending[day, article_id] += 1
    return True


# What a flush of this process is writing: counted with the pending visits until the shared cache
# and this process have forgotten the stored figures from before it, so that a page answered
# while it writes does not show the total without them.
_flushing = Counter()


def _unwritten():
    """(day, article id or None) and count of what is pending or being written (``_lock`` held)."""
    return itertools.chain(_pending.items(), _flushing.items())


def pending_total():
    """Site visits this process has counted and not yet written (or is writing)."""
    with _lock:
        return sum(count for (_day, article_id), count in _unwritten() if article_id is None)


def pending_reads(article_id):
    """Reads of article ``article_id`` this process has counted and not yet written (or is writing)."""
    with _lock:
        return sum(count for (_day, pending_id), count in _unwritten() if pending_id == article_id)


def _written(batch):
    """``batch`` is no longer being written (call with ``_lock`` held)."""
    _flushing.subtract(batch)
    for key in [key for key, count in _flushing.items() if count <= 0]:
        del _flushing[key]


def flush(force=False):
    """Write this process's pending visits to the database; keep them if that fails."""
    global _last_flush
    with _lock:
        due = force or time.monotonic() - _last_flush >= settings.PORTAL_VISIT_FLUSH_SECONDS
        if not due or not _pending:
            return 0
        batch = dict(_pending)
        _pending.clear()
        _flushing.update(batch)
        _last_flush = time.monotonic()
    try:
        _write(batch)
    except DatabaseError:
        logger.warning("Could not write %d counts; keeping them for the next flush.", sum(batch.values()))
        with _lock:
            _pending.update(batch)
            _written(batch)
        return 0
    global _flushes
    keys = [TOTAL_CACHE_KEY, *(_reads_key(pk) for _day, pk in batch if pk is not None)]
    try:
        cache.delete_many(keys)
    finally:
        # After the shared cache forgets them: a figure read from it before then is not remembered.
        with _lock:
            _flushes += 1
            for key in keys:
                _stored.pop(key, None)
            _written(batch)
    return sum(count for (_day, article_id), count in batch.items() if article_id is None)


def _write(batch):
    existing_articles = set(
        Article.objects.filter(pk__in={pk for _day, pk in batch if pk is not None}).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for (day, article_id), count in batch.items():
            if article_id is None:
                _add(DailyVisits.objects, {"day": day}, count)
            elif article_id in existing_articles:  # an article deleted meanwhile loses its reads
                _add(ArticleDailyReads.objects, {"day": day, "article_id": article_id}, count)


def _add(manager, key, count):
    """``count += n`` on the row for ``key``, creating it if needed, safe against a concurrent creator."""
    if manager.filter(**key).update(count=F("count") + count):
        return
    try:
        with transaction.atomic():
            manager.create(**key, count=count)
    except IntegrityError:
        manager.filter(**key).update(count=F("count") + count)


# The stored figures (site total, an article's reads) each process has read from the shared
# cache, with when to read them again: every page shows the total, and an uncached page read it
# from the shared cache on every request (two reads of ~25 µs on an article page with the file
# cache, two round trips with Redis). A figure is then at most STORED_MEMO_SECONDS older than the
# shared cache's (on a page-cache hit up to a second more: news/pagecache/live.py remembers the
# formatted figure too, so that a hit neither formats it nor sums the pending visits); this
# process's own flush forgets them (and a figure read while it ran), and counts what it writes as
# pending until then (``_flushing``), so its visits do not vanish from what it shows, during the
# flush or after it.
STORED_MEMO_SECONDS = 1


STORED_MEMO_SIZE = 10_000


_stored = {}  # shared cache key → (time.monotonic() it is good until, the stored figure)


# This process's flushes so far. A figure read from the shared cache while another thread flushes
# may be the one from before the flush: it is remembered only if no flush ended meanwhile.
_flushes = 0


def _stored_figure(key, count):
    """The figure kept in the shared cache under ``key`` (``count()`` when missing: a stored sum,
    kept for ``TOTAL_CACHE_SECONDS``), remembered in this process for ``STORED_MEMO_SECONDS``.
    Raises what ``count`` raises (a ``DatabaseError``)."""
    now = time.monotonic()
    remembered = _stored.get(key)
    if remembered is not None and remembered[0] > now:
        return remembered[1]
    flushes = _flushes
    stored = cache.get(key)
    if stored is None:
        stored = count()
        cache.set(key, stored, TOTAL_CACHE_SECONDS)
    with _lock:
        if _flushes == flushes:
            if len(_stored) >= STORED_MEMO_SIZE:
                _stored.clear()
            _stored[key] = (now + STORED_MEMO_SECONDS, stored)
    return stored


def site_total():
    """All visits so far: the stored total (cached for a minute, and a second in this process)
    plus this process's pending ones; None when the database cannot be read."""

    def count():
        return DailyVisits.objects.aggregate(total=Sum("count"))["total"] or 0

    try:
        stored = _stored_figure(TOTAL_CACHE_KEY, count)
    except DatabaseError:
        return None
    return stored + pending_total()


def _reads_key(article_id):
    return f"visits:reads:{article_id}"


def article_reads(article_id):
    """An article's reads so far: stored (kept a minute in the shared cache, and a second in this
    process) plus this process's pending ones; None when the database cannot be read.

    Cached pages fill this in on every hit (news/pagecache/live.py), so it must not cost a query each time.
    """

    def count():
        return ArticleDailyReads.objects.filter(article_id=article_id).aggregate(total=Sum("count"))["total"] or 0

    try:
        stored = _stored_figure(_reads_key(article_id), count)
    except DatabaseError:
        return None
    return stored + pending_reads(article_id)


def flush_at_exit():
    """Write what is pending when the process stops (registered with ``atexit`` in news/signals.py)."""
    try:
        flush(force=True)
    except Exception:  # noqa: BLE001 - the interpreter is going away; nothing else to do.
        logger.exception("Could not write pending visits at exit.")


def reset():
    """Forget the visits this process has counted and not written, the user agents judged and the
    stored figures read (tests call it between cases)."""
    global _last_flush, _recent
    with _lock:
        _pending.clear()
        _flushing.clear()
        _last_flush = time.monotonic()
        _recent = RecentVisitors()
    forget_stored_figures()
    _is_bot_user_agent.cache_clear()


def forget_stored_figures():
    """Forget the stored figures this process remembers (``_stored_figure``): the next page reads
    them from the shared cache (tests call it when they empty that cache)."""
    _stored.clear()


def counts_as_visit(request, status_code, content_type):
    """Whether an answer is a page view of the public site: a successful GET of an HTML page
    outside the admin, static and media addresses (``is_page_view``)."""
    return request.method == "GET" and status_code == 200 and is_page_view(request.path, content_type)


def is_page_view(path, content_type):
    """Whether a successful GET of ``path`` answered with ``content_type`` is a page view: an
    HTML page outside the admin, static and media addresses. The page cache's fast path
    (news/pagecache/wsgi.py), which answers hits before ``VisitCounterMiddleware`` runs, works
    it out once per cached page."""
    return content_type.startswith("text/html") and not path.startswith(
        ("/" + settings.PORTAL_ADMIN_URL, settings.STATIC_URL, settings.MEDIA_URL)
    )


class VisitCounterMiddleware:
    """Counts successful page views of the public site, and article reads (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        article_id = response.get(ARTICLE_HEADER)
        if article_id:
            del response[ARTICLE_HEADER]
        if counts_as_visit(request, response.status_code, response.get("Content-Type", "")):
            record_visit(request, article_id=int(article_id) if article_id else None)
        return response
