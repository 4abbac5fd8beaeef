"""Authenticator apps (TOTP) and one-time backup codes, on django-otp's devices."""

import xml.etree.ElementTree as ET
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import SiteSettings

TOTP_DIGITS = 6


def is_required():
    """Whether every staff member must use two-factor authentication."""
    if settings.PORTAL_REQUIRE_TWO_FACTOR:
        return True
    return SiteSettings.objects.filter(pk=1, require_two_factor=True).exists()


def issuer():
    """The name an authenticator app shows beside the code: the site's name."""
    site = SiteSettings.load()
    return site.site_name or site.site_name_zh_hans or site.site_name_en or "Portal"


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
        codes = [StaticToken.random_token() for _ in range(settings.PORTAL_TWO_FACTOR_BACKUP_CODES)]
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


def device_kind(device):
    return "authenticator" if isinstance(device, TOTPDevice) else "backup code"


def unconfirmed_device(user):
    """The authenticator being set up: kept until confirmed, so reloading the page keeps its QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device
