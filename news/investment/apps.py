from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "news.investment"
    label = "investment"
    verbose_name = _("Investment services")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import search
        from .models import DevelopmentZone, Project

        # Every project and zone indexes itself for the site search when saved (news.investment.search).
        for model in (Project, DevelopmentZone):
            name = model.__name__
            post_save.connect(search.index_saved, sender=model, dispatch_uid=f"investment.search.index.{name}")
            post_delete.connect(search.forget_deleted, sender=model, dispatch_uid=f"investment.search.forget.{name}")
