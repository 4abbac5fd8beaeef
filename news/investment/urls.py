from django.urls import path

from . import views

app_name = "investment"

urlpatterns = [
    path("enquiry/", views.enquiry_form, name="enquiry"),
    path("enquiry/received/", views.enquiry_received, name="enquiry-received"),
    path("enquiry/rate/<str:token>/", views.enquiry_rating, name="enquiry-rating"),
]
