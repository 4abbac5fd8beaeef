from django.urls import path

from . import preview, views

app_name = "news"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("column/<slug:slug>/", views.ColumnDetailView.as_view(), name="column-detail"),
    path("news/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("news/<int:pk>/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("page/<slug:slug>/", views.PageDetailView.as_view(), name="page-detail"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("preview/<str:token>/", preview.signed_preview, name="article-preview"),
]
