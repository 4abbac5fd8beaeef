"""What the admin adds to the Content-Security-Policy: the request's nonce on the rich-text editor's
import map, and the hash of the editor's one inline style.

Both use django-csp's and django-js-asset's private attributes (``response._csp_update``,
``Media._importmap``: docs/upgrading.md); the browser tests (tests/browser/test_editor.py,
tests/browser/test_csp.py) fail if either stops working. Revisit when the project moves to
Django 6.0's own CSP (``ContentSecurityPolicyMiddleware``).
"""

from django.conf import settings
from js_asset import Media

# The one inline style the admin needs: Tiptap, under django-prose-editor, adds a constant
# ``<style>`` element of ProseMirror's base rules (``injectCSS``) with no way to pass a nonce
# from the widget. Allowed by its hash, on admin pages only; a new django-prose-editor may
# change it: tests/browser/test_editor.py then fails, and the browser console names the new hash.
ADMIN_STYLE_HASHES = ["'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"]


class AdminCSPMiddleware:
    """Allows the admin editor's inline style by its hash, on admin pages only.

    Listed after django-csp's middleware, so the CSP header is built after this has run.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.PORTAL_ADMIN_URL

    def __call__(self, request):
        response = self.get_response(request)
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
