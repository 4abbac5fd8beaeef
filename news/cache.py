"""Whole-page caching of reader pages, and the content version that invalidates it.

**Where the cache answers.** ``PageCacheMiddleware`` sits right after WhiteNoise, before
sessions, locale, CSRF and authentication: a hit costs one ``get_many`` on the shared cache
and no session, no database query and no template (DESIGN.md, "Speed"). Under gunicorn most
hits are answered earlier still, in front of Django (the WSGI fast path, at the end).

**What is cached.** GET answers (HEAD is served from them) to readers who carry no session,
CSRF or messages cookie and no ``Authorization`` header, outside the admin, static and media
addresses; only ``200`` answers without ``Set-Cookie``, not streamed, and whose
``Cache-Control`` does not say ``private``, ``no-store`` or ``no-cache`` (previews say so).
Each language has its own addresses (``/zh-hans/…``, ``/en/…``), so each its own entries.

**Invalidation.** Every entry records the *content version* it was rendered under. Saving or
deleting any content model writes a new version into the shared cache (signals below), so the
next request on every instance and worker finds its entry out of date and renders afresh: no
key hunting. An entry is also valid only until the next scheduled publish or unpublish time
(``Article.objects.next_schedule_change``), found with one indexed query per content version.

**Live fragments.** The footer's total visits moves with every visit; the cached HTML keeps its
place, and the current figure is put in when the page is served (``LIVE_FRAGMENTS``). The ETag
is computed without the figure (it is weak), so a changed count alone does not defeat a 304.

**Visits.** ``VisitCounterMiddleware`` sits *outside* this middleware, so it sees cached and
fresh answers alike, with the headers the view set (an ``X-Article-Id`` stored with the entry
reaches it on a hit).

**The WSGI fast path.** Most of a hit's cost through Django is Django itself: the request and
response objects, the signals and the outer middlewares. ``PageCacheApplication`` wraps the
WSGI handler (portal/wsgi.py) and answers hits before any of that: the same key, the same
``get_many``, the same entry, served with the headers the outer middlewares (security headers,
CSP, …) add. Those it learns from a hit Django served, once per process and scheme: until
then, and for anything it is not sure of (no valid entry, ``If-Match`` or
``If-Unmodified-Since``, any error), it hands the request to Django unchanged. What the outer
layer does on a hit is done here too: a 304 for ``If-None-Match`` or ``If-Modified-Since``
(Django's ``get_conditional_response``, GET only, as ``ConditionalGetMiddleware``), the visit
counted as ``VisitCounterMiddleware`` would, ``X-Article-Id`` removed, and the pending visits
flushed when due after the answer is sent (``request_finished`` does that for Django's answers).

**Shared parts.** ``remembered`` keeps a value that many pages share and that is costly to work
out (a column's archive months and article count) under the same rules as a page: per content
version, never past the next scheduled change.
"""

import hashlib
import logging
import math
import re
import secrets
import time
from collections import namedtuple
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpRequest, HttpResponse, parse_cookie
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.http import http_date, parse_http_date_safe

logger = logging.getLogger(__name__)

VERSION_KEY = "content:version"
SCHEDULE_KEY = "content:schedule"
# Part of every entry's key: change it whenever Entry changes, so that during a rolling
# upgrade old and new code never read each other's entries.
ENTRY_PREFIX = "page2:"

# Models whose rows are not shown as content: saving them must not empty the page cache.
NOT_CONTENT_MODELS = {"news.dailyvisits", "news.articledailyreads", "news.searchdocument"}

# Query parameters that links from social networks and newsletters add and no view reads:
# a burst of visitors from WeChat (``?from=timeline``) must hit the same entry.
IGNORED_QUERY_PARAMETERS = re.compile(
    r"^(utm_\w+|from|isappinstalled|share_token|spm|fbclid|gclid|msclkid|yclid|mc_cid|mc_eid|scene|clicktime|wxshare_count)$"
)
# Headers not kept with an entry: set again on every answer, or never cached at all.
UNSTORED_HEADERS = {"content-length", "date", "cache-control", "etag", "last-modified", "expires", "set-cookie"}
BYPASS_COOKIES = ("messages",)  # plus the session and CSRF cookies, read from settings

Entry = namedtuple("Entry", "version valid_until last_modified etag language headers parts")


# --- The content version --------------------------------------------------------------


def new_version():
    # A fresh random token rather than an increment: writes from several processes never
    # collide into the same value, and no backend needs an atomic incr.
    return f"{time.time_ns():x}.{secrets.token_hex(4)}"


def bump_content_version(**kwargs):
    """Make every cached page out of date, on every instance. Safe to call at any time."""
    cache.set(VERSION_KEY, new_version(), None)


def content_version():
    """The current content version, created when missing; None when the cache is unreachable."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, new_version(), None)
        version = cache.get(VERSION_KEY)
    return version


def _content_changed(sender, action="post", **kwargs):
    if sender._meta.app_label != "news" or sender._meta.label_lower in NOT_CONTENT_MODELS:
        return
    if not action.startswith("post"):  # m2m_changed also fires before it changes anything
        return
    # Now, for this process and for tests that run inside a transaction, and again once the
    # transaction commits: a request that read the first new version but rendered the old
    # rows would otherwise keep a stale entry under the new version.
    bump_content_version()
    if not transaction.get_autocommit():
        transaction.on_commit(bump_content_version)


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"news.cache.{id(signal)}")
    # New code may render pages differently: an upgrade's `migrate` empties the page cache.
    post_migrate.connect(bump_content_version, sender=apps.get_app_config("news"), dispatch_uid="news.cache.migrate")


def next_schedule_change(version, after):
    """The next time (epoch seconds) a scheduled publish or unpublish changes what is public.

    Remembered in the shared cache for the content version; a new version or the time
    passing asks the database again (one query on indexed columns).
    """
    known = cache.get(SCHEDULE_KEY)
    if known and known[0] == version and known[1] <= after and (known[2] is None or after < known[2]):
        return known[2]
    from .models import Article

    moment = datetime.fromtimestamp(after, tz=UTC)
    change = Article.objects.next_schedule_change(moment)
    change = change.timestamp() if change else None
    cache.set(SCHEDULE_KEY, (version, after, change), settings.PAGE_CACHE_SECONDS)
    return change


def remembered(name, compute):
    """``compute()``, a value about public content that is the same for every reader, kept in
    the shared cache for the content version and never past the next scheduled change, as a
    page is. For parts shared by many pages that are costly to work out (a column's archive
    months read every article of the column): the first page to need them after an edit pays.
    """
    version = content_version()
    if version is None:
        return compute()
    key = f"remembered:{name}:{version}"
    now = _now()
    found = cache.get(key)
    if found is not None and now < found[0]:
        return found[1]
    value = compute()
    valid_until = now + (settings.PAGE_CACHE_SECONDS or 300)
    change = next_schedule_change(version, now)
    if change is not None:
        valid_until = min(valid_until, change)
    if valid_until > now:
        cache.set(key, (valid_until, value), math.ceil(valid_until - now))
    return value


# --- Live fragments ---------------------------------------------------------------------


# The figure, formatted per language, is worked out at most once a second per process: a
# cache hit then reads no more than the entry and the content version.
TOTAL_MEMO_SECONDS = 1
_total_memo = {}


def _total_visits(request, entry):
    from . import visits

    now = time.monotonic()
    remembered = _total_memo.get(entry.language)
    if remembered and remembered[0] > now:
        return remembered[1]
    total = visits.site_total()
    if total is None:
        return None
    with translation.override(entry.language):
        text = intcomma(total)
    _total_memo[entry.language] = (now + TOTAL_MEMO_SECONDS, text)
    return text


def _read_count(request, entry):
    """An article page's read count: the stored sum (kept in the shared cache) plus pending reads.

    Remembered for ``TOTAL_MEMO_SECONDS`` per article and language, as the total is: a hit on
    a busy article then reads nothing but its entry and the content version.
    """
    from . import visits
    from .middleware import ARTICLE_HEADER

    header = entry.headers.get(ARTICLE_HEADER.lower())
    if not header:
        return None
    now = time.monotonic()
    remembered = _reads_memo.get((header[1], entry.language))
    if remembered and remembered[0] > now:
        return remembered[1]
    reads = visits.article_reads(int(header[1]))
    if reads is None:
        return None
    with translation.override(entry.language):
        text = intcomma(reads)
    if len(_reads_memo) >= READS_MEMO_SIZE:
        _reads_memo.clear()
    _reads_memo[header[1], entry.language] = (now + TOTAL_MEMO_SECONDS, text)
    return text


READS_MEMO_SIZE = 10_000
_reads_memo = {}


# ``<span class="NAME">…</span>`` in a cached page is filled in at serve time by LIVE_FRAGMENTS[NAME],
# called with the request and the entry; it returns the text, or None to keep the cached text.
LIVE_FRAGMENTS = {"total-visits": _total_visits, "read-count": _read_count}


def _live_pattern():
    names = "|".join(re.escape(name) for name in LIVE_FRAGMENTS)
    return re.compile(rf'(<span class="(?:{names})">)([^<]*)(</span>)'.encode())


def split_live(body):
    """The body as alternating bytes and (name, cached text) pairs."""
    parts, position = [], 0
    for match in _live_pattern().finditer(body):
        name = match.group(1)[len(b'<span class="') : -len(b'">')].decode()
        parts.append(body[position : match.end(1)])
        parts.append((name, match.group(2)))
        position = match.start(3)
    parts.append(body[position:])
    return tuple(parts)


def render_live(request, entry):
    if len(entry.parts) == 1:
        return entry.parts[0]
    chunks = []
    for part in entry.parts:
        if isinstance(part, bytes):
            chunks.append(part)
            continue
        name, cached = part
        value = LIVE_FRAGMENTS[name](request, entry) if name in LIVE_FRAGMENTS else None
        chunks.append(cached if value is None else escape(value).encode())
    return b"".join(chunks)


def _etag(parts):
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part[0].encode())
    return f'W/"{digest.hexdigest()}"'


# --- The middleware ---------------------------------------------------------------------


def _now():
    return timezone.now().timestamp()


class PageCacheMiddleware:
    """Answer anonymous reader pages from the shared cache; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.private_prefixes = ("/" + settings.ADMIN_URL,)
        self.excluded_prefixes = (
            "/" + settings.ADMIN_URL,
            settings.STATIC_URL,
            settings.MEDIA_URL,
            "/i18n/",
        )
        self.bypass_cookies = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, *BYPASS_COOKIES)

    def __call__(self, request):
        key = self.cache_key(request)
        if key is None:
            return self.mark_private(request, self.get_response(request))
        started = _now()
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or content_version()
        entry = found.get(key)
        if isinstance(entry, Entry) and entry.version == version and started < entry.valid_until:
            return self.serve(request, entry, started)
        response = self.get_response(request)
        if version is not None and self.storable(request, response):
            self.store(request, response, key, version, started)
        return response

    def cache_key(self, request):
        """The entry's key, or None when this request must not use the page cache."""
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        if request.path.startswith(self.excluded_prefixes) or "HTTP_AUTHORIZATION" in request.META:
            return None
        cookies = request.COOKIES
        if cookies and any(name in cookies for name in self.bypass_cookies):
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None  # Django answers 400 further in
        query = request.META.get("QUERY_STRING", "")
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            query = urlencode([(k, v) for k, v in pairs if not IGNORED_QUERY_PARAMETERS.match(k)])
        address = f"{request.scheme}://{host}{request.path}?{query}"
        return ENTRY_PREFIX + hashlib.blake2b(address.encode(), digest_size=20).hexdigest()

    def storable(self, request, response):
        if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
            return False
        directives = {d.strip().split("=")[0].lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
        return not directives & {"private", "no-store", "no-cache"}

    def store(self, request, response, key, version, started):
        now = _now()
        valid_until = started + settings.PAGE_CACHE_SECONDS
        change = next_schedule_change(version, started)
        if change is not None:
            valid_until = min(valid_until, change)
        if valid_until <= now:
            return
        parts = split_live(response.content)
        entry = Entry(
            version=version,
            valid_until=valid_until,
            last_modified=http_date(math.floor(now)),
            etag=_etag(parts),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            # As Django keeps them (lower-case name → (name, value)), checked and encoded once.
            headers={k: v for k, v in response.headers._store.items() if k not in UNSTORED_HEADERS},
            parts=parts,
        )
        cache.set(key, entry, math.ceil(valid_until - now))
        for name, value in self.validators(entry, now):
            response[name] = value
        response["X-Page-Cache"] = "miss"

    def serve(self, request, entry, now):
        body = render_live(request, entry)
        response = HttpResponse(body)
        # Setting a dozen headers one by one re-checks and re-encodes each of them, a large
        # share of a hit's cost; they were checked when the page was rendered, and the ones
        # added here are plain ASCII. So they go straight into Django's header store.
        store = response.headers._store
        store.update(entry.headers)
        for name, value in self.validators(entry, now):
            store[name.lower()] = (name, value)
        store["content-length"] = ("Content-Length", str(len(body)))
        store["x-page-cache"] = ("X-Page-Cache", "hit")
        response.page_cache_entry = entry  # for PageCacheApplication to learn the outer headers
        return response

    def validators(self, entry, now):
        """ETag, Last-Modified, and how long a CDN or nginx in front may keep the page.

        Browsers revalidate every time (a cheap 304); shared caches keep the page for
        ``PAGE_CACHE_SHARED_SECONDS``, never past the next scheduled change.
        """
        shared = max(0, min(settings.PAGE_CACHE_SHARED_SECONDS, int(entry.valid_until - now)))
        return (
            ("ETag", entry.etag),
            ("Last-Modified", entry.last_modified),
            ("Cache-Control", f"max-age=0, s-maxage={shared}"),
        )

    def mark_private(self, request, response):
        """The admin is never kept by a cache; pages for signed-in users only by their browser."""
        if request.path.startswith(self.private_prefixes):
            patch_cache_control(response, private=True, no_store=True)
        elif "Cache-Control" not in response and any(name in request.COOKIES for name in self.bypass_cookies):
            patch_cache_control(response, private=True)
        return response


# --- The WSGI fast path -----------------------------------------------------------------

# Headers of a hit that the page cache itself sets; the others, less the entry's, come from
# the middlewares outside it. ``Vary`` is kept on a 304 as Django's ``_not_modified`` keeps it.
OWN_HEADERS = {"etag", "last-modified", "cache-control", "content-length", "x-page-cache"}
NOT_MODIFIED_HEADERS = {"vary", "content-location", "expires"}


class EnvironRequest(HttpRequest):
    """Just enough of a request, read from the WSGI environ as ``WSGIRequest`` reads it, for
    the cache key (path, scheme, host, cookies), the conditional headers and visit counting;
    no body, no query dictionaries, no session."""

    def __init__(self, environ):
        self.META = environ
        self.method = environ["REQUEST_METHOD"].upper()
        path_info = get_path_info(environ) or "/"
        self.path = "{}/{}".format(get_script_name(environ).rstrip("/"), path_info.replace("/", "", 1))

    def _get_scheme(self):
        return self.META.get("wsgi.url_scheme", "http")

    @cached_property
    def COOKIES(self):  # noqa: N802 - Django's name
        return parse_cookie(self.META.get("HTTP_COOKIE", ""))


class _Body(list):
    """The answer's body; closed by the server once it is sent, like Django's responses."""

    def close(self):
        from . import visits

        visits.flush()


class PageCacheApplication:
    """Answer page-cache hits in front of Django's WSGI handler; see the module docstring."""

    def __init__(self, application):
        self.application = application
        self.rules = PageCacheMiddleware(None)  # the key, the validators and the bypass rules
        self.outer_headers = {}  # scheme → [(name, value)] the outer middlewares add to a hit

    def __call__(self, environ, start_response):
        try:
            answer = self.answer(environ)
        except Exception:  # never worse than Django: it answers, and reports a real fault itself
            logger.exception("The page cache's fast path failed; Django answers instead.")
            answer = None
        if answer is None:
            response = self.application(environ, start_response)
            entry = getattr(response, "page_cache_entry", None)
            if entry is not None and response.status_code == 200:
                self.learn(environ, entry, response)
            return response
        status, headers, body = answer
        start_response(status, headers)
        return _Body([body])

    def learn(self, environ, entry, response):
        own = OWN_HEADERS | set(entry.headers)
        self.outer_headers[EnvironRequest(environ).scheme] = [
            (name, value) for key, (name, value) in response.headers._store.items() if key not in own
        ]

    def answer(self, environ):
        """(status, headers, body) for a valid entry, or None to let Django answer."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        if "HTTP_IF_MATCH" in environ or "HTTP_IF_UNMODIFIED_SINCE" in environ:
            return None  # a 412 is rare: Django decides
        request = EnvironRequest(environ)
        outer = self.outer_headers.get(request.scheme)
        key = self.rules.cache_key(request) if outer is not None else None
        if key is None:
            return None
        now = _now()
        found = cache.get_many([VERSION_KEY, key])
        version, entry = found.get(VERSION_KEY), found.get(key)
        if not (isinstance(entry, Entry) and version is not None and entry.version == version):
            return None
        if now >= entry.valid_until:
            return None
        from . import visits
        from .middleware import ARTICLE_HEADER, counts_as_visit

        article = entry.headers.get(ARTICLE_HEADER.lower())
        content_type = entry.headers.get("content-type", ("", ""))[1]
        if counts_as_visit(request, 200, content_type):
            visits.record_visit(request, article_id=int(article[1]) if article else None)
        validators = list(self.rules.validators(entry, now))
        last_modified = parse_http_date_safe(entry.last_modified)
        if request.method == "GET" and get_conditional_response(request, entry.etag, last_modified) is not None:
            kept = [value for key, value in entry.headers.items() if key in NOT_MODIFIED_HEADERS]
            return "304 Not Modified", [*validators, *kept, *outer], b""
        body = render_live(request, entry)
        headers = [value for key, value in entry.headers.items() if key != ARTICLE_HEADER.lower()]
        headers += [*validators, ("Content-Length", str(len(body))), ("X-Page-Cache", "hit"), *outer]
        return "200 OK", headers, b"" if request.method == "HEAD" else body
