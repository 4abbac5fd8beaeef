from django.conf import settings

from . import visits

ARTICLE_HEADER = "X-Article-Id"


class VisitCounterMiddleware:
    """Counts successful page views of the public site, and article reads (see visits.py)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded_prefixes = ("/" + settings.ADMIN_URL, settings.STATIC_URL, settings.MEDIA_URL)

    def __call__(self, request):
        response = self.get_response(request)
        article_id = response.get(ARTICLE_HEADER)
        if article_id:
            del response[ARTICLE_HEADER]
        if (
            request.method == "GET"
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(self.excluded_prefixes)
        ):
            visits.record_visit(request, article_id=int(article_id) if article_id else None)
        return response
