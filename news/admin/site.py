"""The admin's shared parts (one fieldset per language, the "missing a language" filter,
``PortalAdmin``) and the admins of the site's structure: columns, regions, tags, pages, settings."""

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.validators import MaxLengthValidator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .. import audit
from ..fields import WebAddressFormField
from ..i18n import field_label, localized, with_language
from ..models import SiteSettings
from ..staff.names import display_name
from ..text import slug_from
from .csp import NonceMediaMixin
from .readonly import ReadOnlyViewMixin

# ``with_language`` when the admin's language is known: at render time.
lazy_with_language = lazy(with_language, str)


def language_fieldsets(fields):
    """One fieldset per language, so an editor writes the whole Chinese version, then the English one."""
    return [
        (
            lazy_with_language(_("%(language)s version"), code),
            {
                "fields": [localized(field, code) for field in fields],
                # static/js/admin-side-by-side.js pairs the fields of these fieldsets.
                "classes": ["language-version", f"language-{code.replace('-', '_')}"],
            },
        )
        for code, _name in settings.LANGUAGES
    ]


class MissingLanguageFilter(admin.SimpleListFilter):
    title = _("missing a language")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(code, lazy_with_language(_("Missing %(language)s"), code)) for code, _name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        if self.value() in dict(settings.LANGUAGES):
            available = queryset.available_in(self.value()).values("pk")
            return queryset.exclude(pk__in=available)
        return queryset


class MineFilter(admin.SimpleListFilter):
    """Articles the person looking began (``created_by``)."""

    title = _("author in the newsroom")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("Mine"))]

    def queryset(self, request, queryset):
        return queryset.filter(created_by=request.user) if self.value() == "1" else queryset


class DeleteSummaryMixin:
    """The summary on a delete confirmation page without the rows of many-to-many link tables:
    Django lists each as "Article_tags object (18)" (a name of its own making, untranslated), where
    deleting the object takes only its links, not the tags, groups or permissions they point to."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [model for model in apps.get_models(include_auto_created=True) if model._meta.auto_created]
        for model in links:
            counts.pop(model._meta.verbose_name_plural, None)
        starts = tuple(f"{capfirst(model._meta.verbose_name)}: " for model in links)
        return _without_lines(deleted, starts), counts, perms_needed, protected


def _without_lines(lines, starts):
    """Django's nested summary list without the lines that begin with one of ``starts``."""
    kept = []
    for line in lines:
        if isinstance(line, list):
            line = _without_lines(line, starts)
            if not line:
                continue
        elif str(line).startswith(starts):
            continue
        kept.append(line)
    return kept


class StaffWordingMixin(DeleteSummaryMixin):
    """Form fields as staff read them: "标题（英文）" rather than modeltranslation's "标题 [en]",
    and a length limit said plainly in the admin's language."""

    # Who began and who last changed a record, by their names: Django would show the user name as
    # a link to the account's page, which only a Site administrator may open (403 for the others).
    @admin.display(description=_("created by"))
    def created_by_name(self, obj):
        return display_name(obj.created_by)

    @admin.display(description=_("updated by"))
    def updated_by_name(self, obj):
        return display_name(obj.updated_by)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None:
            return field
        if hasattr(db_field, "translated_field"):
            field.label = capfirst(field_label(db_field.model, db_field.name))
        if isinstance(field.widget, forms.SplitDateTimeWidget):
            # The date and time boxes are otherwise named only by the text beside them.
            label = capfirst(field.label)
            date_box, time_box = field.widget.widgets
            date_box.attrs["aria-label"] = gettext("%(field)s: date") % {"field": label}
            time_box.attrs["aria-label"] = gettext("%(field)s: time") % {"field": label}
        for validator in field.validators:
            if isinstance(validator, MaxLengthValidator):
                validator.message = MAX_LENGTH_MESSAGE
        return field


MAX_LENGTH_MESSAGE = _("At most %(limit_value)d characters; this has %(show_value)d.")


class PortalAdmin(ReadOnlyViewMixin, StaffWordingMixin, NonceMediaMixin, TranslationAdmin):
    # Addresses typed without a scheme are taken as https, as Django 6 will do; other schemes
    # than http and https (javascript:, data:) are refused with a message that says so.
    formfield_overrides = {models.URLField: {"assume_scheme": "https", "form_class": WebAddressFormField}}


class SlugFromEnglishAdmin(PortalAdmin):
    """A slug left empty is made on the server from ``slug_source`` with ``news.text.slug_from``,
    like an article's: Django's prepopulating script (URLify) would drop figures and separators
    (118.4 Billion became 1184-billion, Jilin·Changchun jilinchangchun)."""

    slug_source = "name_en"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        source = self.slug_source

        class SlugFromEnglishForm(form):
            def clean(self):
                data = super().clean()
                if not data.get("slug") and data.get(source):
                    data["slug"] = slug_from(data[source])
                return data

        field = SlugFromEnglishForm.base_fields["slug"]
        field.required = False
        field.help_text = format_lazy("{} {}", field.help_text, _("Left empty, it is made from the English name."))
        return SlugFromEnglishForm


class ColumnAdmin(SlugFromEnglishAdmin):
    list_display = ("name", "slug", "kind", "order")
    list_editable = ("order",)
    list_filter = ("kind",)
    fieldsets = [
        (None, {"fields": ["slug", "kind", "update_cycle_days", "order"]}),
        *language_fieldsets(("name", "description")),
    ]


class RegionAdmin(SlugFromEnglishAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    fieldsets = [(None, {"fields": ["slug", "order"]}), *language_fieldsets(("name",))]


class TagAdmin(SlugFromEnglishAdmin):
    list_display = ("name", "slug")
    search_fields = [localized("name", code) for code, _name in settings.LANGUAGES] + ["slug"]
    fieldsets = [(None, {"fields": ["slug"]}), *language_fieldsets(("name",))]


class PageAdmin(SlugFromEnglishAdmin):
    list_display = ("title", "slug", "order", "updated_at")
    slug_source = "title_en"
    fieldsets = [(None, {"fields": ["slug", "order"]}), *language_fieldsets(("title", "body"))]


class SiteSettingsAdmin(PortalAdmin):
    fieldsets = [
        *language_fieldsets(("site_name", "sponsor", "contact_address")),
        (_("Contact"), {"fields": ["contact_phone", "contact_email"]}),
        (
            _("Record numbers shown in the footer"),
            {
                "fields": [
                    "icp_record",
                    "icp_url",
                    "public_security_record",
                    "public_security_url",
                    "government_site_code",
                    "government_site_code_url",
                ]
            },
        ),
        (_("Staff accounts"), {"fields": ["require_two_factor"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not settings.PORTAL_REQUIRE_TWO_FACTOR:
            return fieldsets
        # Required by the operator (PORTAL_REQUIRE_TWO_FACTOR): the box here cannot undo it.
        note = _("The server's configuration requires two-factor authentication for all staff, whatever this says.")
        return [
            (name, {**options, "description": note}) if "require_two_factor" in options["fields"] else (name, options)
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "require_two_factor"] if settings.PORTAL_REQUIRE_TWO_FACTOR else readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "require_two_factor" in form.changed_data:
            audit.event("settings.require_two_factor", request=request, value=obj.require_two_factor)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: the list would only ever hold it, so go straight to its form.
        if SiteSettings.objects.exists():
            return redirect(reverse("admin:news_sitesettings_change", args=[1]))
        return redirect(reverse("admin:news_sitesettings_add"))
