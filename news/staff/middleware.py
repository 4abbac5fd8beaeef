"""``TwoFactorMiddleware``: a staff member who has logged in with a password is held at the second
step (``VERIFY`` a code, or ``SETUP`` an authenticator) until it is done."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device

from .devices import is_required

VERIFY = "verify"


SETUP = "setup"


def pending_step(user):
    """What an authenticated ``user`` must still do before the admin opens: ``VERIFY``, ``SETUP`` or ``None``."""
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if user_has_device(user, confirmed=True):
        return VERIFY
    if user.is_staff and is_required():
        return SETUP
    return None


def step_url(step, next_url=None):
    url = reverse(f"two-factor:{step}")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def safe_next(request):
    """Where to go once the step is done: the ``next`` asked for if it is ours, else the admin's index."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


class TwoFactorMiddleware:
    """Holds a staff member who has logged in with a password at the second step (see the module).

    Listed after django-otp's ``OTPMiddleware``, which tells whether a device verified the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.PORTAL_ADMIN_URL

    def allowed_paths(self, step):
        return {reverse(f"two-factor:{step}"), reverse("admin:login"), reverse("admin:logout")}

    def __call__(self, request):
        # Without a session cookie nobody is logged in: leave the session unread (no Vary: Cookie).
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            step = pending_step(request.user)
            if step is not None:
                if request.path_info.startswith(self.admin_prefix):
                    if request.path_info not in self.allowed_paths(step):
                        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else None
                        return redirect(step_url(step, next_url))
                else:
                    # On the public site a half-logged-in staff member is a reader: no previews.
                    request.user = AnonymousUser()
        return self.get_response(request)
