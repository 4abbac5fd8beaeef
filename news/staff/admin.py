"""The staff user admin, and django-otp's device admins taken away (they are in English only;
staff manage their devices on the two-factor pages, operators reset them with
``manage.py reset_two_factor``)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for _otp_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_otp_model):
        admin.site.unregister(_otp_model)


class StaffUserAdmin(UserAdmin):
    """Django's user admin, with whether each account uses two-factor authentication, so the site
    administrator sees who still has to set it up before requiring it for all staff."""

    list_display = (*UserAdmin.list_display, "uses_two_factor")

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(two_factor=Exists(confirmed))

    @admin.display(description=_("two-factor authentication"), boolean=True, ordering="two_factor")
    def uses_two_factor(self, user):
        return user.two_factor


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), StaffUserAdmin)
