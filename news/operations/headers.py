"""Response headers Django does not set itself, and the reader's address.

``SecurityHeadersMiddleware`` and ``ContentSecurityPolicyMiddleware`` (django-csp's) sit with
Django's ``SecurityMiddleware`` at the top of ``MIDDLEWARE``, outside WhiteNoise and the page
cache, so that static files, media and cached pages carry the same headers as freshly rendered
pages. A leaf module: the rest of the project imports ``client_ip`` from here.
"""

import re

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import Promise

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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the headers of an answer that changes nothing in the policy
    built once per process.

    django-csp builds both headers (the policy and the report-only one) from the settings on every
    answer: a fifth of what a small page served by Django costs (robots.txt: 1.58 M instructions
    with django-csp's middleware, 1.24 M without it, 1.31 M with this one; ``bench/instructions.sh``),
    4 % of an article. An answer whose view asked for nothing of its own (django-csp's documented
    hook ``get_policy_parts`` gives no config, update, replace or nonce, and no ``@csp_exempt``)
    gets the headers ``build_policy`` made from ``CONTENT_SECURITY_POLICY`` and
    ``CONTENT_SECURITY_POLICY_REPORT_ONLY``, under django-csp's own rules (a header already set is
    kept; ``EXCLUDE_URL_PREFIXES``; none on a 404 or 500 under ``DEBUG``; the nonce closed once the
    header is written). Any other answer, and every answer while a policy holds a lazy value (a
    ``reverse_lazy`` report-uri follows the script prefix), goes through django-csp itself.
    ``override_settings`` of either setting builds them again (``setting_changed``; pytest-django's
    ``settings`` fixture sends it too); a bare assignment to ``django.conf.settings`` or a change
    inside the policy's dict sends nothing and is not seen, where django-csp would follow it.
    tests/news/operations/test_csp_header.py compares both middlewares' headers answer by answer.
    """

    _built = None  # ((header, value, excluded prefixes), ...), or () when they cannot be kept

    def process_response(self, request, response):
        built = self._built
        if built is None:
            built = ContentSecurityPolicyMiddleware._built = self.build_headers()
        if (
            not built
            or getattr(response, "_csp_exempt", False) is not False
            or getattr(response, "_csp_exempt_ro", False) is not False
            or (settings.DEBUG and response.status_code in (404, 500))
            or self.get_policy_parts(request, response) != PolicyParts()
            or self.get_policy_parts(request, response, report_only=True) != PolicyParts()
        ):
            return super().process_response(request, response)
        path = request.path_info
        for header, value, excluded in built:
            if header not in response and not path.startswith(excluded):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @classmethod
    def build_headers(cls):
        """The two headers as django-csp builds them for an answer that changes nothing, with
        their ``EXCLUDE_URL_PREFIXES``; () if a policy holds a lazy value."""
        built = []
        for header, setting, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
        ):
            policy = getattr(settings, setting, None) or {}
            # ``"DIRECTIVES": None`` is no policy to django-csp (``build_policy`` gives "").
            directives = policy.get("DIRECTIVES") or {}
            values = [value for values in directives.values() for value in _listed(values)]
            if any(isinstance(value, Promise) for value in values):
                return ()
            value = build_policy(report_only=report_only)
            if value:
                built.append((header, value, tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())))
        return tuple(built)


def _listed(values):
    return values if isinstance(values, (list, tuple, set)) else [values]


@receiver(setting_changed)
def _forget_built_policy(setting, **kwargs):
    if setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        ContentSecurityPolicyMiddleware._built = None


def client_ip(request):
    """The reader's address: the peer, or behind our own proxy the address it last appended."""
    if settings.PORTAL_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
