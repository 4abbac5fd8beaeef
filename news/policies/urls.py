from django.urls import path

from . import views
from .feeds import TopicFeed

app_name = "policies"

urlpatterns = [
    path("policies/", views.library, name="library"),
    path("policies/topic/<slug:topic>/", views.library, name="topic"),
    path("policies/topic/<slug:slug>/feed/", TopicFeed.as_view(), name="topic-feed"),
    path("policies/index/<path:index_number>/", views.by_index_number, name="index-number"),
]
