"""The WSGI fast path: page-cache hits answered in front of Django's handler (portal/wsgi.py).

Most of a hit's cost through Django is Django itself: the request and response objects, the
signals and the outer middlewares. ``PageCacheApplication`` wraps the WSGI handler and answers
hits before any of that: the same key, the same ``get_many``, the same entry, served with the
headers the outer middlewares (security headers, CSP, …) add. Those it learns from a hit Django
served, once per process and scheme: until then, and for anything it is not sure of (no valid
entry, ``If-Match`` or ``If-Unmodified-Since``, any error), it hands the request to Django
unchanged. What the outer layer does on a hit is done here too: a 304 for ``If-None-Match`` or
``If-Modified-Since`` (Django's ``get_conditional_response``, GET only, as
``ConditionalGetMiddleware``), the visit counted as ``VisitCounterMiddleware`` would,
``X-Article-Id`` removed, and the pending visits flushed when due after the answer is sent
(``request_finished`` does that for Django's answers).

**What it skips.** None of the middlewares above ``PageCacheMiddleware`` run on a fast-path hit:
their headers are replayed as learnt from the first hit. That is right only for middlewares that
add the same headers to every answer; ``news/pagecache/checks.py`` fails ``manage.py check`` when
any other middleware stands there. This is the one handler bypass in the project, and the only
place that builds a request without ``HttpRequest.__init__`` (docs/upgrading.md).

**What a hit costs** (issue 18: hits near whitenoise serving a file). Each worker keeps a copy of
the last ``LOCAL_ENTRIES`` entries it served, with what it worked out from them (headers, the
parsed ``Last-Modified``, the article id), and of the cache keys of the last addresses: a hit on a
page the worker served before reads only the content version from the shared cache (one
``get``; without Redis, one ``stat`` of the file that holds it), not the 15–20 KB entry, and
builds no request object unless the answer needs one (a browser's visit to count, a conditional
request), nor its body again while the live figures it shows have not changed. The copy is used only while its
version is the one the shared cache holds now and its ``valid_until`` has not passed, the same
test the shared entry passes, so an edit shows on the next request on every worker as before;
when the cache cannot be read, Django answers, as before. ``bench/instructions.sh`` measures a
hit in instructions.
"""

import logging
import threading

from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.core.signals import setting_changed
from django.http import HttpRequest, parse_cookie
from django.utils.cache import get_conditional_response
from django.utils.functional import cached_property
from django.utils.http import parse_http_date_safe

from .. import visits
from ..visits import ARTICLE_HEADER, is_page_view
from . import version
from .live import live_values, render_live
from .middleware import Entry, PageCacheMiddleware

logger = logging.getLogger(__name__)

# Headers of a hit that the page cache itself sets; the others, less the entry's, come from
# the middlewares outside it. ``Vary`` is kept on a 304 as Django's ``_not_modified`` keeps it.
OWN_HEADERS = {"etag", "last-modified", "cache-control", "content-length", "x-page-cache"}


NOT_MODIFIED_HEADERS = {"vary", "content-location", "expires"}


# Entries each worker keeps a copy of (15–20 KB each: about 4 MB at most), and addresses whose
# cache key it remembers; past that, the copy kept longest is dropped first.
LOCAL_ENTRIES = 200


LOCAL_KEYS = 2000


# The parts of the environ a cache key and the request's scheme are made of, besides the cookies
# and credentials that make a request bypass the page cache (``PageCacheMiddleware.cache_key``;
# behind a proxy, ``SECURE_PROXY_SSL_HEADER`` names the header that gives the scheme).
KEY_ENVIRON = (
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "SCRIPT_URL",  # with REDIRECT_URL, what Django's get_script_name() reads behind Apache
    "REDIRECT_URL",
    "PATH_INFO",
    "QUERY_STRING",
)


class EnvironRequest(HttpRequest):
    """Just enough of a request, read from the WSGI environ as ``WSGIRequest`` reads it, for
    the cache key (path, scheme, host, cookies), the conditional headers and visit counting;
    no body, no query dictionaries, no session."""

    def __init__(self, environ, path=None):
        """``path``: the request's path when already worked out from this environ."""
        self.META = environ
        self.method = environ["REQUEST_METHOD"].upper()
        if path is None:
            path_info = get_path_info(environ) or "/"
            path = "{}/{}".format(get_script_name(environ).rstrip("/"), path_info.replace("/", "", 1))
        self.path = path

    def _get_scheme(self):
        return self.META.get("wsgi.url_scheme", "http")

    @cached_property
    def COOKIES(self):  # noqa: N802 - Django's name
        return parse_cookie(self.META.get("HTTP_COOKIE", ""))


class _Body(list):
    """The answer's body; closed by the server once it is sent, like Django's responses."""

    def close(self):
        visits.flush()


class Copy:
    """A worker's copy of an entry, with what every hit on it needs worked out once: the headers,
    whether a GET of it is a page view (``visits.is_page_view``) and of which article, and the
    body last served with the live figures it was served with."""

    __slots__ = ("entry", "headers", "not_modified", "article_id", "page_view", "last_modified", "served")

    def __init__(self, entry, path):
        self.entry = entry
        article = entry.headers.get(ARTICLE_HEADER.lower())
        self.article_id = int(article[1]) if article else None
        self.page_view = is_page_view(path, entry.headers.get("content-type", ("", ""))[1])
        self.served = (None, None)  # (live figures, body)
        self.headers = [value for key, value in entry.headers.items() if key != ARTICLE_HEADER.lower()]
        self.headers += [("ETag", entry.etag), ("Last-Modified", entry.last_modified)]
        self.not_modified = [value for key, value in entry.headers.items() if key in NOT_MODIFIED_HEADERS]
        self.not_modified += [("ETag", entry.etag), ("Last-Modified", entry.last_modified)]
        self.last_modified = parse_http_date_safe(entry.last_modified)


_remembering = threading.Lock()  # a threaded server's requests may remember at once


def _remember(store, key, value, limit):
    with _remembering:
        if len(store) >= limit:
            store.pop(next(iter(store), None), None)  # the one kept longest (a stale copy's pop is unlocked)
        store[key] = value


class PageCacheApplication:
    """Answer page-cache hits in front of Django's WSGI handler; see the module docstring."""

    def __init__(self, application):
        self.application = application
        self.rules = PageCacheMiddleware(None)  # the key, the validators and the bypass rules
        self.outer_headers = {}  # scheme → [(name, value)] the outer middlewares add to a hit
        self.copies = {}  # cache key → Copy of the entry this worker served last under it
        self.keys = {}  # the key_environ values of an address → (its cache key, the scheme, the path)
        self.key_environ = self.environ_of_keys()
        self.local = threading.local()  # this thread's default cache (``shared_cache``)
        setting_changed.connect(self.forget, weak=True)

    @staticmethod
    def environ_of_keys():
        """``KEY_ENVIRON`` and the header ``SECURE_PROXY_SSL_HEADER`` names, whatever it is: the
        scheme, part of the key, comes from it (an ``X-Forwarded-Ssl: on`` not remembered would
        let a plain http request be answered from the key of https)."""
        header = (getattr(settings, "SECURE_PROXY_SSL_HEADER", None) or (None,))[0]
        return KEY_ENVIRON if header is None or header in KEY_ENVIRON else (*KEY_ENVIRON, header)

    def forget(self, **kwargs):
        """Drop the copies, the keys and the outer headers learnt (a setting changed: the rules and
        the headers the outer middlewares add may have); the next hit of each scheme that Django
        serves teaches the headers again."""
        self.outer_headers = {}
        self.rules = PageCacheMiddleware(None)
        self.key_environ = self.environ_of_keys()
        self.local = threading.local()
        self.copies.clear()
        self.keys.clear()

    def shared_cache(self):
        """``caches["default"]``, this thread's instance, looked up once per thread: through the
        ``cache`` proxy each hit paid for the look-up as much as for the read of the version."""
        found = getattr(self.local, "cache", None)
        if found is None:
            found = self.local.cache = caches["default"]
        return found

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
            (name, value) for name, value in response.headers.items() if name.lower() not in own
        ]

    def cache_key(self, environ):
        """(``PageCacheMiddleware.cache_key``, ``request.scheme``, ``request.path``) of this
        request, or None when it must not use the page cache; remembered per address for
        requests without cookies or credentials."""
        if environ.get("HTTP_COOKIE") or "HTTP_AUTHORIZATION" in environ:
            request = EnvironRequest(environ)
            key = self.rules.cache_key(request)
            return None if key is None else (key, request.scheme, request.path)
        address = tuple([environ.get(name) for name in self.key_environ])
        found = self.keys.get(address)
        if found is None:
            request = EnvironRequest(environ)
            key = self.rules.cache_key(request)
            if key is None:
                return None
            found = (key, request.scheme, request.path)
            _remember(self.keys, address, found, LOCAL_KEYS)
        return found

    def answer(self, environ):
        """(status, headers, body) for a valid entry, or None to let Django answer."""
        method = environ.get("REQUEST_METHOD")
        if method != "GET" and method != "HEAD":
            return None
        if "HTTP_IF_MATCH" in environ or "HTTP_IF_UNMODIFIED_SINCE" in environ:
            return None  # a 412 is rare: Django decides
        found = self.cache_key(environ)
        if found is None:
            return None
        key, scheme, path = found
        outer = self.outer_headers.get(scheme)
        if outer is None or version.reconcile_due():
            return None  # Django's middleware compares the content version with the database's
        at = version.now()
        copy = self.copies.get(key)
        cache = self.shared_cache()
        if copy is None:
            found = cache.get_many([version.VERSION_KEY, key])
            current, entry = found.get(version.VERSION_KEY), found.get(key)
        else:
            # The version alone: this worker holds the entry it stands for.
            current, entry = cache.get(version.VERSION_KEY), copy.entry
        if not (isinstance(entry, Entry) and current is not None and entry.version == current):
            if copy is not None:
                self.copies.pop(key, None)  # another thread may have dropped it since the get
            return None
        if at >= entry.valid_until:
            return None
        if copy is None:
            copy = Copy(entry, path)
            _remember(self.copies, key, copy, LOCAL_ENTRIES)
        request = None
        # Without a user agent it is not a visit; a visit is counted as VisitCounterMiddleware's
        # counts_as_visit() would: a GET of a page view, answered 200.
        if method == "GET" and copy.page_view and environ.get("HTTP_USER_AGENT"):
            request = EnvironRequest(environ, path)
            visits.record_visit(request, article_id=copy.article_id)
        shared = self.rules.shared_seconds(entry, at)
        if method == "GET" and ("HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ):
            request = request or EnvironRequest(environ, path)
            if get_conditional_response(request, entry.etag, copy.last_modified) is not None:
                return "304 Not Modified", [*copy.not_modified, shared, *outer], b""
        values, served = live_values(request, entry), copy.served
        if served[0] == values:
            body = served[1]
        else:
            body = render_live(request, entry, values)
            copy.served = (values, body)
        headers = [*copy.headers, shared, ("Content-Length", str(len(body))), ("X-Page-Cache", "hit"), *outer]
        return "200 OK", headers, b"" if method == "HEAD" else body
