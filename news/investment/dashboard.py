"""The investor services' panels on the admin's home page, each scoped to what the person looking
may see: overdue enquiries and those unanswered past 60 days (an enquiry officer sees only the
desks they belong to; the three-month single veto of the State Council's website inspection is
90 days), projects whose validity ends within 30 days, and zones with figures older than two
years. Each panel is one query of at most ``LIMIT`` rows plus one count."""

from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .admin.zones import stale_figures
from .models import DevelopmentZone, Enquiry, Project

LIMIT = 5


def _panel(title, queryset, changelist, query, label, note):
    rows = list(queryset[:LIMIT])
    return {
        "title": title,
        "count": queryset.count(),
        "url": f"{reverse(changelist)}?{urlencode(query)}" if query else reverse(changelist),
        "items": [
            {
                "label": label(row),
                "url": reverse(changelist.replace("changelist", "change"), args=[row.pk]),
                "note": note(row),
            }  # fmt: skip
            for row in rows
        ],
    }


def _day(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d")


def panels(user, now=None):
    """``[{"title", "count", "url", "items": [{"label", "url", "note"}]}]`` for ``user``."""
    now = now or timezone.now()
    result = []
    if user.has_perm("investment.view_enquiry"):
        mine = Enquiry.objects.for_user(user).select_related("desk")
        result.append(
            _panel(
                _("Overdue enquiries"),
                mine.overdue(now).order_by("due_at"),
                "admin:investment_enquiry_changelist",
                {"deadline": "overdue"},
                str,
                lambda enquiry: _("%(desk)s, due %(day)s") % {"desk": enquiry.desk, "day": _day(enquiry.due_at)},
            )
        )
        result.append(
            _panel(
                _("Unanswered for more than 60 days"),
                mine.open().filter(submitted_at__lte=now - timedelta(days=60)).order_by("submitted_at"),
                "admin:investment_enquiry_changelist",
                {"deadline": "60days"},
                str,
                lambda enquiry: _("received %(day)s") % {"day": _day(enquiry.submitted_at)},
            )
        )
    if user.has_perm("investment.view_project"):
        result.append(
            _panel(
                _("Projects expiring within 30 days"),
                Project.objects.expiring(30, now).order_by("valid_until", "pk"),
                "admin:investment_project_changelist",
                {"validity": "expiring"},
                str,
                lambda project: _("valid until %(day)s") % {"day": project.valid_until.isoformat()},
            )
        )
    if user.has_perm("investment.view_developmentzone"):
        stale = stale_figures(timezone.localdate(now))
        zones = DevelopmentZone.objects.filter(pk__in=stale.values("zone_id")).order_by("order", "pk")
        result.append(
            _panel(
                _("Zones with figures older than two years"),
                zones,
                "admin:investment_developmentzone_changelist",
                {"figures": "stale"},
                str,
                lambda zone: "",
            )
        )
    return result
