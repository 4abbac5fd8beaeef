"""Login throttling (django-axes): the page a locked-out login gets."""

import math

from axes import helpers as axes_helpers
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils.translation import gettext as _


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
