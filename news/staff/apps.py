from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """Who gets into the admin: two-factor authentication, login throttling, staff accounts."""

    name = "news.staff"
    label = "staff"
    verbose_name = _("Staff")
