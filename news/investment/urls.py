from django.urls import path

from .feeds import ProjectFeed
from .views import enquiries, projects, zones

app_name = "investment"

urlpatterns = [
    path("enquiry/", enquiries.enquiry_form, name="enquiry"),
    path("enquiry/project/<str:code>/", enquiries.enquiry_form, name="enquiry-project"),
    path("enquiry/zone/<slug:slug>/", enquiries.enquiry_form, name="enquiry-zone"),
    path("enquiry/received/", enquiries.enquiry_received, name="enquiry-received"),
    path("enquiry/rate/<str:token>/", enquiries.enquiry_rating, name="enquiry-rating"),
    path("projects/", projects.project_list, name="project-list"),
    path("projects/feed/", ProjectFeed.as_view(), name="project-feed"),
    path("projects/preview/<str:token>/", projects.project_preview, name="project-preview"),
    path("projects/attachments/<int:pk>/", projects.project_attachment, name="project-attachment"),
    path("projects/<str:code>/", projects.project_detail, name="project-detail"),
    path("projects/<str:code>/print/", projects.project_print, name="project-print"),
    path("projects/<str:code>/<slug:slug>/", projects.project_detail, name="project-detail"),
    path("zones/", zones.zone_list, name="zone-list"),
    path("zones/<slug:slug>/", zones.zone_detail, name="zone-detail"),
]
