from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "news.investment"
    label = "investment"
    verbose_name = _("Investment services")
    default_auto_field = "django.db.models.BigAutoField"
