from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the site: outages, health, backups, response headers."""

    name = "news.operations"
    label = "operations"
    verbose_name = _("Operations")
