from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from . import (
            audit,
            cache,
            signals,  # noqa: F401 - connects the receivers
        )

        cache.connect_signals()
        audit.connect_signals()
