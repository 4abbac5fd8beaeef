from django.urls import path

from . import preview, views
from .feeds import ColumnFeed, LatestArticlesFeed

app_name = "news"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feed/", LatestArticlesFeed.as_view(), name="feed"),
    path("column/<slug:slug>/", views.ColumnDetailView.as_view(), name="column-detail"),
    path("column/<slug:slug>/feed/", ColumnFeed.as_view(), name="column-feed"),
    path("column/<slug:slug>/<int:year>/", views.ColumnYearArchiveView.as_view(), name="column-year"),
    path("column/<slug:slug>/<int:year>/<int:month>/", views.ColumnMonthArchiveView.as_view(), name="column-month"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag-detail"),
    path("region/<slug:slug>/", views.RegionView.as_view(), name="region-detail"),
    path("news/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("news/<int:pk>/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("page/<slug:slug>/", views.PageDetailView.as_view(), name="page-detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("preview/<str:token>/", preview.signed_preview, name="article-preview"),
]
