from django.conf import settings
from django.http import HttpResponsePermanentRedirect

from . import visits
from .models import Article

ARTICLE_HEADER = "X-Article-Id"


def counts_as_visit(request, status_code, content_type):
    """Whether an answer is a page view of the public site: a successful GET of an HTML page
    outside the admin, static and media addresses. Also used by the page cache's fast path
    (news/cache.py), which answers hits before this middleware runs."""
    return (
        request.method == "GET"
        and status_code == 200
        and content_type.startswith("text/html")
        and not request.path.startswith(("/" + settings.ADMIN_URL, settings.STATIC_URL, settings.MEDIA_URL))
    )


class VisitCounterMiddleware:
    """Counts successful page views of the public site, and article reads (see visits.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        article_id = response.get(ARTICLE_HEADER)
        if article_id:
            del response[ARTICLE_HEADER]
        if counts_as_visit(request, response.status_code, response.get("Content-Type", "")):
            visits.record_visit(request, article_id=int(article_id) if article_id else None)
        return response


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
        candidates = {path, request.path}
        article = Article.objects.published().filter(legacy_url__in=candidates).order_by("-publish_at").first()
        if article is None:
            return response
        available = article.available_languages()
        if not available:
            return response
        language = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in available else available[0]
        return HttpResponsePermanentRedirect(article.get_absolute_url(language))
