"""Response headers Django does not set itself, and the reader's address.

``SecurityHeadersMiddleware`` sits with Django's ``SecurityMiddleware`` and django-csp's
middleware at the top of ``MIDDLEWARE``, outside WhiteNoise and the page cache, so that
static files, media and cached pages carry the same headers as freshly rendered pages.
A leaf module: the rest of the project imports ``client_ip`` from here.
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    """``Cross-Origin-Resource-Policy`` on every answer (Django 5.2 has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.resource_policy = getattr(settings, "PORTAL_CROSS_ORIGIN_RESOURCE_POLICY", None)

    def __call__(self, request):
        response = self.get_response(request)
        if self.resource_policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", self.resource_policy)
        return response


def client_ip(request):
    """The reader's address: the peer, or behind our own proxy the address it last appended."""
    if settings.PORTAL_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
