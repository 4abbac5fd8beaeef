"""Response headers Django does not set itself, and the reader's address.

``SecurityHeadersMiddleware`` sits with Django's ``SecurityMiddleware`` and django-csp's
middleware at the top of ``MIDDLEWARE``, outside WhiteNoise and the page cache, so that
static files, media and cached pages carry the same headers as freshly rendered pages.
A leaf module: the rest of the project imports ``client_ip`` from here.
"""

import re

from django.conf import settings

# What pictures that feeds and Open Graph publish carry instead of the site's own policy: feed
# readers and link previews on other sites load them (with same-origin they show a broken image).
PUBLISHED_PICTURE_POLICY = "cross-origin"
# The static pictures named in Open Graph and JSON-LD (seo.SHARE_IMAGE), with or without the hash.
PUBLISHED_STATIC_PICTURES = re.compile(r"/img/share(?:\.[0-9a-f]{12})?\.png$")


def static_headers(headers, path, url):
    """WhiteNoise's ``WHITENOISE_ADD_HEADERS_FUNCTION``: the share image may be loaded cross-origin."""
    if PUBLISHED_STATIC_PICTURES.search(url):
        headers["Cross-Origin-Resource-Policy"] = PUBLISHED_PICTURE_POLICY


class SecurityHeadersMiddleware:
    """``Cross-Origin-Resource-Policy`` on every answer (Django 5.2 has no setting for it) that
    has none yet: pictures that feeds and link previews publish set ``cross-origin`` themselves
    (``serve_media``, ``static_headers``); everything else gets the site's strict policy.
    """

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
