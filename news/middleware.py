"""``LegacyRedirectMiddleware``: addresses of the previous site's articles lead to their pages here.

The other middlewares live with what they serve: the page cache (``news/pagecache/``), visit
counting (``news/visits.py``), the audit log (``news/audit.py``), two-factor authentication
(``news/staff/``) and response headers (``news/operations/headers.py``, ``news/admin/csp.py``).
"""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponsePermanentRedirect

from .models import Article, normalize_legacy_url
from .models.articles import LEGACY_URL_SAFE


def requested_legacy_url(request):
    """The request's path and query in the spelling old addresses are stored in.

    ``get_full_path()`` would not do: WSGI hands the query string over as bytes read as
    Latin-1, which Django escapes again, so a raw ``?name=吉林`` became mojibake escapes.
    """
    query = request.META.get("QUERY_STRING", "")
    try:
        raw = query.encode("iso-8859-1")
    except UnicodeEncodeError:
        raw = query.encode()
    return normalize_legacy_url(request.path + (f"?{quote(raw, safe=LEGACY_URL_SAFE + '?%')}" if raw else ""))


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
        # No address of the old site holds a NUL, and PostgreSQL refuses one in a query.
        candidates = {requested_legacy_url(request), normalize_legacy_url(request.path)}
        candidates = {candidate for candidate in candidates if "\x00" not in candidate}
        if not candidates:
            return response
        article = Article.objects.published().filter(legacy_url__in=candidates).order_by("-publish_at").first()
        if article is None:
            return response
        available = article.available_languages()
        if not available:
            return response
        language = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in available else available[0]
        return HttpResponsePermanentRedirect(article.get_absolute_url(language))
