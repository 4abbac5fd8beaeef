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
"""

import logging

from django.core.cache import cache
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.http import HttpRequest, parse_cookie
from django.utils.cache import get_conditional_response
from django.utils.functional import cached_property
from django.utils.http import parse_http_date_safe

from .. import visits
from ..visits import ARTICLE_HEADER, counts_as_visit
from . import version
from .live import render_live
from .middleware import Entry, PageCacheMiddleware

logger = logging.getLogger(__name__)

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
            (name, value) for name, value in response.headers.items() if name.lower() not in own
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
        if key is None or version.reconcile_due():
            return None  # Django's middleware compares the content version with the database's
        at = version.now()
        found = cache.get_many([version.VERSION_KEY, key])
        current, entry = found.get(version.VERSION_KEY), found.get(key)
        if not (isinstance(entry, Entry) and current is not None and entry.version == current):
            return None
        if at >= entry.valid_until:
            return None
        article = entry.headers.get(ARTICLE_HEADER.lower())
        content_type = entry.headers.get("content-type", ("", ""))[1]
        if counts_as_visit(request, 200, content_type):
            visits.record_visit(request, article_id=int(article[1]) if article else None)
        validators = list(self.rules.validators(entry, at))
        last_modified = parse_http_date_safe(entry.last_modified)
        if request.method == "GET" and get_conditional_response(request, entry.etag, last_modified) is not None:
            kept = [value for key, value in entry.headers.items() if key in NOT_MODIFIED_HEADERS]
            return "304 Not Modified", [*validators, *kept, *outer], b""
        body = render_live(request, entry)
        headers = [value for key, value in entry.headers.items() if key != ARTICLE_HEADER.lower()]
        headers += [*validators, ("Content-Length", str(len(body))), ("X-Page-Cache", "hit"), *outer]
        return "200 OK", headers, b"" if request.method == "HEAD" else body
