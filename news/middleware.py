"""``LegacyRedirectMiddleware``: addresses of the previous site's articles lead to their pages here.

The other middlewares live with what they serve: the page cache (``news/pagecache/``), visit
counting (``news/visits.py``), the audit log (``news/audit.py``), two-factor authentication
(``news/staff/``) and response headers (``news/operations/headers.py``, ``news/admin/csp.py``).
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect

from .models import Article


class LegacyRedirectMiddleware:
    """Sends a request for an article's address on the previous site to its page here (301).

    Like ``django.contrib.redirects``, it looks only at requests that would otherwise be a
    404, so it costs nothing on the pages that exist. Only public articles are redirected to.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        path = request.get_full_path()
        if "\x00" in request.path:
            # No address of the old site holds a NUL, and PostgreSQL refuses one in a query.
            return response
        candidates = {path, request.path}
        article = Article.objects.published().filter(legacy_url__in=candidates).order_by("-publish_at").first()
        if article is None:
            return response
        available = article.available_languages()
        if not available:
            return response
        language = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in available else available[0]
        return HttpResponsePermanentRedirect(article.get_absolute_url(language))
