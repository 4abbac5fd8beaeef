"""Security headers Django does not set itself, and the admin's CSP nonce.

``SecurityHeadersMiddleware`` sits with Django's ``SecurityMiddleware`` and django-csp's
middleware at the top of ``MIDDLEWARE``, outside WhiteNoise and the page cache, so that
static files, media and cached pages carry the same headers as freshly rendered pages.
"""

import math

from axes import helpers as axes_helpers
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils.translation import gettext as _
from js_asset import Media

# The one inline style the admin needs: Tiptap, under django-prose-editor, adds a constant
# ``<style>`` element of ProseMirror's base rules (``injectCSS``) with no way to pass a nonce
# from the widget. Allowed by its hash, on admin pages only; a new django-prose-editor may
# change it: tests/test_browser.py then fails, and the browser console names the new hash.
ADMIN_STYLE_HASHES = ["'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"]


class SecurityHeadersMiddleware:
    """``Cross-Origin-Resource-Policy`` on every answer (Django 5.2 has no setting for it),
    and the admin's additions to the Content-Security-Policy.

    Listed after django-csp's middleware, so the CSP header is built after this has run.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.resource_policy = getattr(settings, "SECURE_CROSS_ORIGIN_RESOURCE_POLICY", None)
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        response = self.get_response(request)
        if self.resource_policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", self.resource_policy)
        if request.path.startswith(self.admin_prefix):
            update = getattr(response, "_csp_update", None) or {}
            response._csp_update = {**update, "style-src": [*update.get("style-src", []), *ADMIN_STYLE_HASHES]}
        return response


class NonceMediaMixin:
    """Give the form media of admin change forms the request's CSP nonce.

    django-prose-editor writes its import map as an inline ``<script type="importmap">``;
    with the nonce on it, the CSP needs no ``unsafe-inline``. The admin is never cached, so
    the nonce never reaches another request.
    """

    def render_change_form(self, request, context, *args, **kwargs):
        media = context.get("media")
        nonce = getattr(request, "csp_nonce", None)
        if media is not None and nonce is not None and getattr(media, "_importmap", None) is not None:
            context["media"] = Media.from_media(media, nonce=str(nonce))
        return super().render_change_form(request, context, *args, **kwargs)


# --- Login throttling (django-axes) ---------------------------------------------------


def client_ip(request):
    """The reader's address: the peer, or behind our own proxy the address it last appended."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets, in the editor's language, with ``Retry-After``."""
    cool_off = axes_helpers.get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60)
    context = {
        **admin.site.each_context(request),
        "title": _("Too many failed logins"),
        "is_nav_sidebar_enabled": False,
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    response = render(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
