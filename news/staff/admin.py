"""The staff user admin, and django-otp's device admins taken away (they are in English only;
staff manage their devices on the two-factor pages, operators reset them with
``manage.py reset_two_factor``).

Accounts are made on one page (name, password, role) and given roles, never raw permissions
(``news/staff/roles.py``). Below superuser nobody grants superuser status or permissions, sees or
changes a superuser's account, or changes their own roles: a Site administrator cannot raise
themselves or anyone else above the roles.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..admin.site import DeleteSummaryMixin
from .names import display_name
from .roles import ROLES, permission_label, role_label

for _otp_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_otp_model):
        admin.site.unregister(_otp_model)


class RoleChoiceField(forms.ModelMultipleChoiceField):
    """The roles as checkboxes, each named in the admin's language."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, group):
        return role_label(group.name)


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    """Raw permissions (superusers only), each named in the admin's language."""

    def label_from_instance(self, permission):
        return permission_label(permission)


def permission_field(db_field, kwargs):
    kwargs.setdefault("form_class", PermissionChoiceField)
    kwargs.setdefault("queryset", db_field.remote_field.model.objects.select_related("content_type"))
    return kwargs


class StaffCreationForm(AdminUserCreationForm):
    """A new staff account in one step: user name, name, password, role."""

    class Meta(AdminUserCreationForm.Meta):
        fields = ("username", "last_name", "first_name", "email", "groups")


class RoleFilter(admin.SimpleListFilter):
    """The user list's filter by role, each named in the admin's language (not by its stored name)."""

    title = _("role")
    parameter_name = "groups__id__exact"  # the address Django's own filter by group used

    def lookups(self, request, model_admin):
        return [(group.pk, role_label(group.name)) for group in Group.objects.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(groups__id=self.value()) if self.value() else queryset


ACCOUNT = (None, {"fields": ("username", "password")})
PERSONAL = (_("Personal info"), {"fields": ("last_name", "first_name", "email")})
ROLE = (_("Role"), {"fields": ("is_active", "groups"), "description": _("What the person may do in the newsroom.")})


class StaffUserAdmin(DeleteSummaryMixin, UserAdmin):
    """Django's user admin with roles instead of permissions for everyone below superuser, and
    whether each account uses two-factor authentication, so the site administrator sees who
    still has to set it up before requiring it for all staff."""

    add_form = StaffCreationForm
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "last_name", "first_name", "email")}),
        (_("Password"), {"classes": ("wide",), "fields": ("usable_password", "password1", "password2")}),
        (_("Role"), {"classes": ("wide",), "fields": ("groups",)}),
    )
    list_display = ("username", "full_name", "roles", "is_active", "uses_two_factor")
    list_filter = ("is_active", RoleFilter)
    # Roles as labelled checkboxes (RoleChoiceField), not the two-box picker.
    filter_horizontal = ()

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        users = super().get_queryset(request).annotate(two_factor=Exists(confirmed)).prefetch_related("groups")
        if not request.user.is_superuser:
            users = users.filter(is_superuser=False)
        return users

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return (ACCOUNT, PERSONAL, ROLE, (_("Important dates"), {"fields": ("last_login", "date_joined")}))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["last_login", "date_joined"]
            if obj is not None and obj.pk == request.user.pk:
                # Nobody below superuser raises (or drops) their own role.
                fields += ["groups", "is_active"]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            groups = Group.objects.order_by("name")
            if not request.user.is_superuser:
                groups = groups.filter(name__in=ROLES)
            kwargs.update(
                queryset=groups,
                form_class=RoleChoiceField,
                required=False,
                label=_("role"),
                help_text=_(
                    "Editor: writes and submits. Senior editor: also publishes, schedules and deletes. "
                    "Site administrator: columns, pages, settings and staff accounts. "
                    "Enquiry officer: answers the enquiries of the desks they belong to."
                ),
            )
        if db_field.name == "user_permissions":
            kwargs = permission_field(db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            # Everyone made here works in the admin; a role without admin access means nothing.
            obj.is_staff = True
        if not request.user.is_superuser:
            # The form has no such fields for them; this holds whatever a hand-made request sends.
            stored = type(obj).objects.filter(pk=obj.pk).values("is_superuser", "is_staff").first() if change else None
            obj.is_superuser = stored["is_superuser"] if stored else False
            obj.is_staff = stored["is_staff"] if stored else True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not request.user.is_superuser:
            form.instance.user_permissions.clear()

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, user):
        return display_name(user, fallback="")

    @admin.display(description=_("role"))
    def roles(self, user):
        return "、".join(str(role_label(group.name)) for group in user.groups.all()) or "—"

    @admin.display(description=_("two-factor authentication"), boolean=True, ordering="two_factor")
    def uses_two_factor(self, user):
        return user.two_factor


class RoleGroupAdmin(DeleteSummaryMixin, GroupAdmin):
    """The groups, named in the admin's language (their stored names stay as they are)."""

    list_display = ("role", "name")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = role_label(obj.name)  # the page's heading and title: 编辑, not Editor
            context["role_name"] = role_label(obj.name)  # and its breadcrumbs (admin/auth/group/)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, object_id, {**(extra_context or {}), **self._role_name(object_id)})

    def delete_view(self, request, object_id, extra_context=None):
        # ``object`` as the role's name: the question "Are you sure you want to delete the group “…”?"
        # (the breadcrumbs link to the group by ``role_pk``).
        named = self._role_name(object_id)
        if named:
            named.update(object=named["role_name"], role_pk=object_id)
        return super().delete_view(request, object_id, {**(extra_context or {}), **named})

    def get_deleted_objects(self, objs, request):
        # The summary names the groups by their role, as the page does.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        names = {escape(group.name): escape(role_label(group.name)) for group in objs}
        for position, line in enumerate(deleted):
            if isinstance(line, str):
                for stored, label in names.items():
                    line = line.replace(f">{stored}</a>", f">{label}</a>")
                deleted[position] = mark_safe(line)  # noqa: S308 - Django's escaped line, escaped names
        return deleted, counts, perms_needed, protected

    @staticmethod
    def _role_name(object_id):
        """``{"role_name": label}`` for the group ``object_id`` (from the URL), ``{}`` if there is none."""
        group = Group.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        return {"role_name": role_label(group.name)} if group else {}

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only, Django would list the permissions by their stored English names.
            return ["name", "permission_list"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return ["name", "permission_list"]
        return super().get_readonly_fields(request, obj)

    @admin.display(description=_("permissions"))
    def permission_list(self, group):
        permissions = group.permissions.select_related("content_type")
        labels = sorted(permission_label(permission) for permission in permissions)
        return format_html_join(mark_safe("<br>"), "{}", ((label,) for label in labels)) or "—"

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "permissions":
            kwargs = permission_field(db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("role"), ordering="name")
    def role(self, group):
        return role_label(group.name)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), StaffUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)
