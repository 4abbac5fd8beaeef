"""A system check (``manage.py check``, and every start) for the one rule the fast path hides.

A page-cache hit answered by ``PageCacheApplication`` (news/pagecache/wsgi.py) runs none of the
middlewares listed above ``PageCacheMiddleware``: it replays the headers they added to the first
hit Django served, and does itself what the two counted ones do (304s, visit counting). That is
right only for the middlewares below, which add the same headers to every answer or whose work
the fast path repeats. Any other middleware put there (a request id, metrics, a maintenance
switch, a geo-redirect) would run for nobody reading a cached page, and any header it sets would
be frozen at the first hit's value. This check fails start-up instead.
"""

from django.conf import settings
from django.core import checks

PAGE_CACHE_MIDDLEWARE = "news.pagecache.middleware.PageCacheMiddleware"

# What may stand above the page cache, and why the fast path may skip it.
OUTER_MIDDLEWARE = {
    "django.middleware.security.SecurityMiddleware": "the same security headers on every answer",
    "news.operations.headers.ContentSecurityPolicyMiddleware": (
        "the same policy on every reader page (no nonce outside the admin)"
    ),
    "news.operations.headers.SecurityHeadersMiddleware": "the same Cross-Origin-Resource-Policy on every answer",
    "news.admin.csp.AdminCSPMiddleware": "acts on admin pages only, which are never cached",
    "django.middleware.clickjacking.XFrameOptionsMiddleware": "the same X-Frame-Options on every answer",
    "whitenoise.middleware.WhiteNoiseMiddleware": "answers static files, which are never page-cached",
    "django.middleware.http.ConditionalGetMiddleware": "the fast path answers 304s itself, the same way",
    "news.visits.VisitCounterMiddleware": "the fast path counts visits itself, with counts_as_visit()",
}


@checks.register(checks.Tags.caches)
def check_middleware_above_page_cache(app_configs=None, **kwargs):
    """An error for each middleware above ``PageCacheMiddleware`` that the fast path may not skip."""
    middleware = list(settings.MIDDLEWARE)
    if PAGE_CACHE_MIDDLEWARE not in middleware:
        return []
    errors = []
    for path in middleware[: middleware.index(PAGE_CACHE_MIDDLEWARE)]:
        if path not in OUTER_MIDDLEWARE:
            errors.append(
                checks.Error(
                    f"{path} stands above {PAGE_CACHE_MIDDLEWARE} in MIDDLEWARE.",
                    hint=(
                        "Cached pages are answered in front of Django (news/pagecache/wsgi.py): no middleware above "
                        "the page cache runs for them, and the headers it set on the first hit are replayed on "
                        "every later one. Put it below PageCacheMiddleware, or, if it adds the same headers to "
                        "every answer, add it to news.pagecache.checks.OUTER_MIDDLEWARE with the reason."
                    ),
                    obj=path,
                    id="pagecache.E001",
                )
            )
    return errors
