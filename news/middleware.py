from django.conf import settings

from . import visits


class VisitCounterMiddleware:
    """Counts successful page views of the public site (see visits.py for the rules)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded_prefixes = ("/" + settings.ADMIN_URL, settings.STATIC_URL, settings.MEDIA_URL)

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(self.excluded_prefixes)
        ):
            visits.record_visit(request)
        return response
