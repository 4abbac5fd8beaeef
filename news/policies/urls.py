from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("policies/", views.library, name="library"),
    path("policies/topic/<slug:topic>/", views.library, name="topic"),
    path("policies/topic/<slug:slug>/feed/", views.topic_feed, name="topic-feed"),
    path("policies/index/<path:index_number>/", views.by_index_number, name="index-number"),
]
