"""Two-factor authentication for staff: an authenticator app (TOTP) and one-time backup codes.

Built on django-otp. Logging in stays the admin's own login form (password, throttled by
django-axes). After it, a staff member is *pending* until a second step is done:

- one with a confirmed authenticator must give a current code (``verify``);
- one without, while two-factor authentication is required (``SiteSettings.require_two_factor``,
  or ``settings.REQUIRE_TWO_FACTOR`` from ``PORTAL_REQUIRE_TWO_FACTOR``), must set one up first
  (``setup``).

``TwoFactorMiddleware`` sends a pending staff member's every admin request to that step (the
step itself, logging in and logging out excepted) and shows them the public site as it shows it
to a reader, so a password alone opens no admin page and no preview of a draft. Staff without an
authenticator, while it is not required, work as before. django-otp remembers in the session
which device verified it; removing the device (``manage.py reset_two_factor``) ends that.

A code is accepted once: django-otp keeps the time step of the last accepted code (``last_t``)
and accepts only later ones, so a replayed code is refused. Each wrong code doubles the wait
before the next try on that device (django-otp's throttling: 1, 2, 4, … seconds), and is
recorded in the audit log like a failed login. Backup codes are deleted as they are used.
"""

import xml.etree.ElementTree as ET
from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import SiteSettings

VERIFY = "verify"
SETUP = "setup"
# The backup codes just made, kept in the session until the page that shows them once.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"
TOTP_DIGITS = 6


def is_required():
    """Whether every staff member must use two-factor authentication."""
    if settings.REQUIRE_TWO_FACTOR:
        return True
    return SiteSettings.objects.filter(pk=1, require_two_factor=True).exists()


def issuer():
    """The name an authenticator app shows beside the code: the site's name."""
    site = SiteSettings.load()
    return site.site_name or site.site_name_zh_hans or site.site_name_en or "Portal"


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
        self.admin_prefix = "/" + settings.ADMIN_URL

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


# --- devices and codes ------------------------------------------------------------------------


def normalized(code):
    """The code as typed, without spaces or dashes, in lower case (backup codes are lower case)."""
    return "".join(code.split()).replace("-", "").lower()


def check_code(user, code, devices=None):
    """Verify ``code`` against ``user``'s confirmed devices (or ``devices``).

    Returns ``(device, None)`` when a device accepts it, else ``(None, locked_until)``, where
    ``locked_until`` is when the next try is allowed if throttling refused this one. Six digits
    go to the authenticator, anything else to the backup codes, so a mistyped code of one kind
    does not slow down the other.
    """
    code = normalized(code)
    locked_until = None
    with transaction.atomic():
        if devices is None:
            model = TOTPDevice if len(code) == TOTP_DIGITS and code.isdigit() else StaticDevice
            devices = model.objects.filter(user=user, confirmed=True).select_for_update()
        for device in devices:
            allowed, info = device.verify_is_allowed()
            if not allowed:
                locked_until = max(filter(None, [locked_until, info.get("locked_until")]), default=None)
                continue
            # A wrong code is counted (and saved) by verify_token; commit it, whatever follows.
            if device.verify_token(code):
                return device, None
    return None, locked_until


def throttled_message(locked_until):
    seconds = max(1, int((locked_until - timezone.now()).total_seconds() + 0.999))
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second, then enter the current code.",
        "Too many wrong codes. Wait %(seconds)d seconds, then enter the current code.",
        seconds,
    ) % {"seconds": seconds}


def new_backup_codes(user):
    """Replace ``user``'s backup codes with new ones, and return them (they are shown once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_BACKUP_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remove_devices(user):
    """Delete every device of ``user`` (authenticators and backup codes); return how many."""
    removed = 0
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()
            removed += 1
    return removed


def qr_code_svg(data, label):
    """``data`` as a QR code in inline SVG: no script, no image request, nothing the CSP must allow."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    element = image.get_image()
    # Sized by the stylesheet (admin.css), not in millimetres.
    element.attrib.pop("width", None)
    element.attrib.pop("height", None)
    element.set("class", "qr-code")
    element.set("role", "img")
    element.set("aria-label", str(label))
    return mark_safe(ET.tostring(element, encoding="unicode"))  # noqa: S308 - built here, attributes escaped by ElementTree


def secret_text(device):
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- the pages --------------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class SetupCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


def _context(request, title, **extra):
    return {**admin.site.each_context(request), "title": title, **extra}


def verify_view(request):
    """The second step of logging in: a code from the authenticator app, or a backup code."""
    user = request.user
    next_url = safe_next(request)
    if pending_step(user) != VERIFY:
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, locked_until = check_code(user, form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()
            otp_login(request, device)
            audit.event("two_factor.verified", user=user, device=device_kind(device))
            return redirect(next_url)
        if locked_until is not None:
            form.add_error("code", throttled_message(locked_until))
            audit.event("two_factor.failed", user=user, reason="throttled")
        else:
            form.add_error("code", _("That code is not right, or has been used already. Enter the current code."))
            audit.event("two_factor.failed", user=user, reason="wrong code")
    context = _context(
        request, _("Two-step verification"), form=form, next=next_url, pending=True, is_nav_sidebar_enabled=False
    )
    return TemplateResponse(request, "admin/two_factor/verify.html", context)


def device_kind(device):
    return "authenticator" if isinstance(device, TOTPDevice) else "backup code"


def unconfirmed_device(user):
    """The authenticator being set up: kept until confirmed, so reloading the page keeps its QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def setup_view(request):
    """The staff member's two-factor page: set up an authenticator app, or see and manage the one they have."""
    user = request.user
    step = pending_step(user)
    if step == VERIFY:
        return redirect(step_url(VERIFY, request.get_full_path()))
    pending = step == SETUP
    current = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    replacing = current is not None and "replace" in request.GET
    common = {
        "required": is_required(),
        "pending": pending,
        "next": safe_next(request),
        "is_nav_sidebar_enabled": not pending,
    }
    if current is not None and not replacing:
        backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
        context = _context(
            request,
            _("Two-factor authentication"),
            device=current,
            backup_codes_left=backup.token_set.count() if backup else 0,
            **common,
        )
        return TemplateResponse(request, "admin/two_factor/status.html", context)

    device = unconfirmed_device(user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted, locked_until = check_code(user, form.cleaned_data["code"], devices=[device])
        if accepted:
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = new_backup_codes(user)
            request.session.cycle_key()
            otp_login(request, device)
            request.session[NEW_CODES_SESSION_KEY] = codes
            audit.event("two_factor.enrolled", user=user, replaced=bool(current))
            messages.success(request, _("Two-factor authentication is on for your account."))
            return redirect(f"{reverse('two-factor:backup-codes')}?{urlencode({'next': common['next']})}")
        if locked_until is not None:
            form.add_error("code", throttled_message(locked_until))
        else:
            form.add_error(
                "code",
                _("That code is not right. Check that the phone's clock is correct, then enter the current code."),
            )
        audit.event("two_factor.setup_failed", user=user)
    uri = device.config_url
    context = _context(
        request,
        _("Set up two-factor authentication"),
        form=form,
        qr_code=qr_code_svg(uri, _("QR code of the secret key")),
        secret=secret_text(device),
        otpauth_uri=uri,
        replacing=replacing,
        **common,
    )
    return TemplateResponse(request, "admin/two_factor/setup.html", context)


def backup_codes_view(request):
    """Shows new backup codes once (GET); makes new ones, replacing the old (POST)."""
    user = request.user
    if request.method == "POST":
        if not (user.is_verified() and TOTPDevice.objects.filter(user=user, confirmed=True).exists()):
            return redirect("two-factor:setup")
        request.session[NEW_CODES_SESSION_KEY] = new_backup_codes(user)
        audit.event("two_factor.backup_codes_replaced", user=user)
        return redirect("two-factor:backup-codes")
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("two-factor:setup")
    context = _context(request, _("Your backup codes"), codes=codes, next=safe_next(request))
    return TemplateResponse(request, "admin/two_factor/backup_codes.html", context)


# Under the admin's address (portal/urls.py), behind the admin's own login check, never cached.
urlpatterns = [
    path("", admin.site.admin_view(setup_view), name="setup"),
    path("verify/", admin.site.admin_view(verify_view), name="verify"),
    path("backup-codes/", admin.site.admin_view(backup_codes_view), name="backup-codes"),
]
app_name = "two-factor"
