"""Per-address rate limits for pages that cost real work, counted in the shared cache: searches,
and every page the page cache could not answer (``MissRateLimitMiddleware``): distinct query
strings, each a render and a new cache entry, are the cheapest way to load the site.

A fixed one-minute window per address: the count lives under a key naming the address and
the minute, so every instance and worker shares it and it expires by itself. Only requests
that reach the view count: a search answered from the page cache costs nothing and is free.
When the cache cannot be reached the request is let through (the site keeps serving).
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .operations.headers import client_ip

WINDOW_SECONDS = 60


def over_limit(scope, request, limit, window_seconds=WINDOW_SECONDS):
    """Count this request; return the seconds until the window ends when over ``limit``, else 0.

    ``window_seconds``: the length of the fixed window (a minute unless told; an hour for enquiries).
    """
    now = time.time()
    window = int(now // window_seconds)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    try:
        cache.add(key, 0, window_seconds + 5)
        count = cache.incr(key)
    except ValueError:  # the key vanished (evicted, or the cache is unreachable): let it through
        return 0
    # django-redis with IGNORE_EXCEPTIONS answers None while Redis is down.
    if count is None or count <= limit:
        return 0
    return max(1, int((window + 1) * window_seconds - now + 0.999))


def rate_limited(scope, setting):
    """Decorate a view: over ``settings.<setting>`` requests a minute per address get a 429."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            limit = getattr(settings, setting)
            retry_after = over_limit(scope, request, limit) if limit > 0 else 0
            if retry_after:
                return too_many_requests(request, retry_after, limit, scope)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def too_many_requests(request, retry_after, limit, scope):
    """The 429 page, in the reader's language, with ``Retry-After``; never cached."""
    context = {"retry_after": retry_after, "limit": limit, "scope": scope}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, private=True, no_store=True)
    return response


class MissRateLimitMiddleware:
    """At most ``PORTAL_MISS_RATE_LIMIT`` page-cache misses a minute per address (0: no limit).

    Placed after ``LocaleMiddleware``, so the 429 is in the reader's language; only requests
    the page cache looked up and could not answer count (``request.page_cache_miss``, set by
    news/pagecache/middleware.py): hits, the admin and signed-in staff are not limited.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.PORTAL_MISS_RATE_LIMIT
        if limit > 0 and getattr(request, "page_cache_miss", False):
            retry_after = over_limit("miss", request, limit)
            if retry_after:
                return too_many_requests(request, retry_after, limit, "miss")
        return self.get_response(request)
