"""The two-factor pages: the code after the password, setting up an authenticator, backup codes."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import audit
from .devices import (
    check_code,
    device_kind,
    is_required,
    new_backup_codes,
    qr_code_svg,
    secret_text,
    throttled_message,
    unconfirmed_device,
)
from .forms import CodeForm, SetupCodeForm
from .middleware import SETUP, VERIFY, pending_step, safe_next, step_url

# The backup codes just made, kept in the session until the page that shows them once.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"


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
