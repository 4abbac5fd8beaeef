"""``PageCacheMiddleware``: answers anonymous reader pages from the shared cache (see the package)."""

import hashlib
import math
import re
from collections import namedtuple
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_cache_control
from django.utils.http import http_date

from . import version
from .live import etag, render_live, split_live

# Part of every entry's key: change it whenever Entry changes, so that during a rolling
# upgrade old and new code never read each other's entries.
ENTRY_PREFIX = "page3:"


# Query parameters that links from social networks and newsletters add and no view reads:
# a burst of visitors from WeChat (``?from=timeline``) must hit the same entry.
IGNORED_QUERY_PARAMETERS = re.compile(
    r"^(utm_\w+|from|isappinstalled|share_token|spm|fbclid|gclid|msclkid|yclid|mc_cid|mc_eid|scene|clicktime|wxshare_count)$"
)


# Headers not kept with an entry: set again on every answer, or never cached at all.
UNSTORED_HEADERS = {"content-length", "date", "cache-control", "etag", "last-modified", "expires", "set-cookie"}


BYPASS_COOKIES = ("messages",)  # plus the session and CSRF cookies, read from settings


Entry = namedtuple("Entry", "version valid_until last_modified etag language headers parts")


UNKNOWN = object()  # the next scheduled change, not known yet


class PageCacheMiddleware:
    """Answer anonymous reader pages from the shared cache; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.private_prefixes = ("/" + settings.PORTAL_ADMIN_URL,)
        self.excluded_prefixes = (
            "/" + settings.PORTAL_ADMIN_URL,
            settings.STATIC_URL,
            settings.MEDIA_URL,
            "/i18n/",
        )
        self.bypass_cookies = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, *BYPASS_COOKIES)

    def __call__(self, request):
        key = self.cache_key(request)
        if key is None:
            return self.mark_private(request, self.get_response(request))
        started = version.now()
        found = cache.get_many([version.VERSION_KEY, key])
        current = found.get(version.VERSION_KEY) or version.content_version()
        if version.reconcile_due():
            current = version.reconcile(current)
        entry = found.get(key)
        if isinstance(entry, Entry) and entry.version == current and started < entry.valid_until:
            return self.serve(request, entry, started)
        request.page_cache_miss = True  # limited per address (news/ratelimit.py)
        # Asked before the view, for the request's start: values the view keeps with ``remembered()``
        # ask for a later moment of the same version, which the stored answer serves (asked after
        # the view, for an earlier moment than theirs, it was looked up twice).
        change = self.next_change(current, started)
        response = self.get_response(request)
        if current is not None and self.storable(request, response):
            self.store(request, response, key, current, started, change)
        return response

    def cache_key(self, request):
        """The entry's key, or None when this request must not use the page cache."""
        if settings.PORTAL_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
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

    @staticmethod
    def next_change(current, started):
        """``version.next_schedule_change(current, started)``, or ``UNKNOWN`` when there is no
        version or the database is away (the view then answers as it can: an outage page, the
        health status), to be asked again if the answer is stored."""
        if current is None:
            return UNKNOWN
        try:
            return version.next_schedule_change(current, started)
        except DatabaseError:
            return UNKNOWN

    def store(self, request, response, key, current, started, change):
        """Keep ``response`` under ``key`` for ``current`` until ``change`` (the next scheduled
        change after ``started``, epoch seconds, None or ``UNKNOWN``) or the page cache's time,
        the sooner."""
        stored_at = version.now()
        valid_until = started + settings.PORTAL_PAGE_CACHE_SECONDS
        if change is UNKNOWN:
            change = version.next_schedule_change(current, started)
        if change is not None:
            valid_until = min(valid_until, change)
        if valid_until <= stored_at:
            return
        parts = split_live(response.content)
        entry = Entry(
            version=current,
            valid_until=valid_until,
            last_modified=http_date(math.floor(stored_at)),
            etag=etag(parts),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            # Lower-case name → (name, value), as Django's own header store keeps them.
            headers={k.lower(): (k, v) for k, v in response.headers.items() if k.lower() not in UNSTORED_HEADERS},
            parts=parts,
        )
        cache.set(key, entry, math.ceil(valid_until - stored_at))
        for name, value in self.validators(entry, stored_at):
            response[name] = value
        response["X-Page-Cache"] = "miss"

    def serve(self, request, entry, at):
        body = render_live(request, entry)
        headers = dict(entry.headers.values())
        headers.update(self.validators(entry, at))
        headers["Content-Length"] = str(len(body))
        headers["X-Page-Cache"] = "hit"
        response = HttpResponse(body, headers=headers)
        response.page_cache_entry = entry  # for PageCacheApplication to learn the outer headers
        return response

    def validators(self, entry, now):
        """ETag, Last-Modified, and how long a CDN or nginx in front may keep the page.

        Browsers revalidate every time (a cheap 304); shared caches keep the page for
        ``PAGE_CACHE_SHARED_SECONDS``, never past the next scheduled change.
        """
        return (("ETag", entry.etag), ("Last-Modified", entry.last_modified), self.shared_seconds(entry, now))

    def shared_seconds(self, entry, now):
        """The ``Cache-Control`` header of ``validators``, as a (name, value) pair."""
        shared = max(0, min(settings.PORTAL_PAGE_CACHE_SHARED_SECONDS, int(entry.valid_until - now)))
        return ("Cache-Control", f"max-age=0, s-maxage={shared}")

    def mark_private(self, request, response):
        """The admin is never kept by a cache; pages for signed-in users only by their browser."""
        if request.path.startswith(self.private_prefixes):
            patch_cache_control(response, private=True, no_store=True)
        elif "Cache-Control" not in response and any(name in request.COOKIES for name in self.bypass_cookies):
            patch_cache_control(response, private=True)
        return response
