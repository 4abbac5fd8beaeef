from django.urls import path, register_converter

from . import preview
from .feeds import ColumnFeed, LatestArticlesFeed
from .views import files, reader, search

app_name = "news"


class MonthConverter:
    """A month in an address: ``9`` and ``09`` are read, ``09`` is written (the canonical form)."""

    regex = "[0-9]{1,2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(MonthConverter, "month")

# The article page first: the most read, and resolving tries the patterns in turn.
urlpatterns = [
    path("news/<int:pk>/", reader.ArticleDetailView.as_view(), name="article-detail"),
    path("news/<int:pk>/<slug:slug>/", reader.ArticleDetailView.as_view(), name="article-detail"),
    path("", reader.HomeView.as_view(), name="home"),
    path("feed/", LatestArticlesFeed.as_view(), name="feed"),
    path("column/<slug:slug>/", reader.ColumnDetailView.as_view(), name="column-detail"),
    path("column/<slug:slug>/feed/", ColumnFeed.as_view(), name="column-feed"),
    path("column/<slug:slug>/<int:year>/", reader.ColumnYearArchiveView.as_view(), name="column-year"),
    path("column/<slug:slug>/<int:year>/<month:month>/", reader.ColumnMonthArchiveView.as_view(), name="column-month"),
    path("tag/<slug:slug>/", reader.TagView.as_view(), name="tag-detail"),
    path("region/<slug:slug>/", reader.RegionView.as_view(), name="region-detail"),
    path("page/<slug:slug>/", reader.PageDetailView.as_view(), name="page-detail"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("attachments/<int:pk>/", files.attachment_download, name="attachment-download"),
    path("preview/<str:token>/", preview.signed_preview, name="article-preview"),
    path("preview/<str:token>/attachments/<int:pk>/", preview.attachment_preview, name="attachment-preview"),
]
