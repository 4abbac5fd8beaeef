"""The two-factor pages, under the admin's address (portal/urls.py), behind the admin's own login
check, never cached."""

from django.contrib import admin
from django.urls import path

from .views import backup_codes_view, setup_view, verify_view

app_name = "two-factor"
urlpatterns = [
    path("", admin.site.admin_view(setup_view), name="setup"),
    path("verify/", admin.site.admin_view(verify_view), name="verify"),
    path("backup-codes/", admin.site.admin_view(backup_codes_view), name="backup-codes"),
]
