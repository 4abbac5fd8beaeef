"""The reader pages under another path, for tests of address caching (tests/news/test_shared_parts.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

urlpatterns = i18n_patterns(path("moved/", include("news.urls")))
