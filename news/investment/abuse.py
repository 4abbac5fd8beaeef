"""Keeping robots and floods out of the enquiry form without any third-party service (spec 1, rule 5).

A hidden field people never fill (honeypot); the time the form was shown, signed, so that a
form sent within ``PORTAL_ENQUIRY_MIN_SECONDS`` or after ``PORTAL_ENQUIRY_MAX_SECONDS`` is refused;
at most ``PORTAL_ENQUIRY_RATE_PER_HOUR`` enquiries an hour per address, counted in the shared
cache; and messages with more than ``MAX_LINKS`` links kept, but held as spam for a person to
review. No captcha: Google's is unreliable from mainland China and no request may leave the site.
"""

import hashlib
import re
import time

from django.conf import settings
from django.core import signing

from ..operations.headers import client_ip
from ..ratelimit import over_limit

RENDER_SALT = "investment.enquiry-form.rendered"
MAX_LINKS = 3
LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|cn|ru|xyz|top|info|io)\b", re.IGNORECASE)


def render_token(now=None):
    """The signed time the form is shown at, for its hidden field."""
    return signing.dumps(round(now if now is not None else time.time(), 3), salt=RENDER_SALT)


def render_age(token, now=None):
    """Seconds since the form carrying ``token`` was shown, or None when the token is forged or garbled."""
    try:
        rendered = signing.loads(token, salt=RENDER_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(rendered, (int, float)):
        return None
    return (now if now is not None else time.time()) - rendered


def timing_acceptable(token, now=None):
    age = render_age(token, now)
    return age is not None and settings.PORTAL_ENQUIRY_MIN_SECONDS <= age <= settings.PORTAL_ENQUIRY_MAX_SECONDS


def link_count(text):
    return len(LINK.findall(text))


def looks_like_spam(message):
    return link_count(message) > MAX_LINKS


def over_hourly_limit(request):
    """Count one enquiry from this address; True when it is over the hourly limit."""
    limit = settings.PORTAL_ENQUIRY_RATE_PER_HOUR
    return limit > 0 and bool(over_limit("enquiry", request, limit, window_seconds=3600))


def address_hash(request):
    """A salted hash of the sender's address: enough to spot abuse, not to find the person."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:enquiry:{client_ip(request)}".encode()).hexdigest()
