from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from . import signals
        from .pagecache import checks  # noqa: F401 - registers the system check

        signals.connect()
