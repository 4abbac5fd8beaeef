from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from . import search
from .models import Article, Column, Page, Region, SiteSettings, Tag, all_columns_of, availability_name, localized

admin.site.site_header = _("Investment promotion portal: administration")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Content")

ARTICLE_TRANSLATED_FIELDS = ("title", "summary", "body", "source", "cover_caption", "cover_alt", "cover_credit")


def _with_language(message, code):
    """``message`` with the language's name filled in, both in the editor's language at render time."""
    return lazy(lambda: message % {"language": translation.get_language_info(code)["name_translated"]}, str)()


def language_fieldsets(fields):
    """One fieldset per language, so an editor writes the whole Chinese version, then the English one."""
    return [
        (_with_language(_("%(language)s version"), code), {"fields": [localized(field, code) for field in fields]})
        for code, _name in settings.LANGUAGES
    ]


class MissingLanguageFilter(admin.SimpleListFilter):
    title = _("missing a language")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(code, _with_language(_("Missing %(language)s"), code)) for code, _name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        if self.value() in dict(settings.LANGUAGES):
            available = queryset.available_in(self.value()).values("pk")
            return queryset.exclude(pk__in=available)
        return queryset


class PortalAdmin(TranslationAdmin):
    # Addresses typed without a scheme are taken as https, as Django 6 will do.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Article)
class ArticleAdmin(PortalAdmin):
    list_display = (
        "title_in_any_language",
        "column",
        "status_label",
        "publish_at",
        "languages",
        "updated_at",
        "updated_by",
    )
    list_filter = ("status", "column", MissingLanguageFilter, "featured", "region")
    autocomplete_fields = ("tags",)
    list_select_related = ("column", "updated_by")
    # Searched with the site's full-text engine (see get_search_results), in every language.
    search_fields = ["pk"]
    search_help_text = _("Words from the title or text, in either language, or an article number.")
    date_hierarchy = "publish_at"
    readonly_fields = ("created_at", "created_by", "updated_at", "updated_by")
    fieldsets = [
        (_("Column and publication"), {"fields": ["column", "status", "publish_at", "unpublish_at", "featured"]}),
        *language_fieldsets(ARTICLE_TRANSLATED_FIELDS),
        (_("Cover image"), {"fields": ["cover_image"]}),
        (
            _("Details"),
            {
                "fields": [
                    "region",
                    "tags",
                    "author",
                    "editor",
                    "source_url",
                    "event_date",
                    "slug",
                    "legacy_url",
                    "internal_note",
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "created_by", "updated_at", "updated_by"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*all_columns_of("body")).with_availability()

    @admin.display(description=_("title"))
    def title_in_any_language(self, article):
        return str(article)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        if article.status == Article.Status.PUBLISHED and article.publish_at > timezone.now():
            return _("Scheduled")
        if (
            article.status == Article.Status.PUBLISHED
            and article.unpublish_at
            and article.unpublish_at <= timezone.now()
        ):
            return _("Expired")
        return article.get_status_display()

    @admin.display(description=_("languages"))
    def languages(self, article):
        return format_html_join(
            " ",
            '<span title="{}">{} {}</span>',
            (
                (
                    translation.get_language_info(code)["name_local"],
                    code.split("-")[0].upper(),
                    "✓" if getattr(article, availability_name(code)) else "✗",
                )
                for code, _name in settings.LANGUAGES
            ),
        )

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        matches = Q(pk__in=search.matching_ids(search_term))
        if search_term.strip().isdigit():
            matches |= Q(pk=int(search_term))
        return queryset.filter(matches), False

    def view_on_site(self, article):
        available = [code for code, _name in settings.LANGUAGES if getattr(article, availability_name(code))]
        if not available:
            return None
        current = translation.get_language()
        return article.get_absolute_url(current if current in available else available[0])

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Column)
class ColumnAdmin(PortalAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = [(None, {"fields": ["slug", "order"]}), *language_fieldsets(("name", "description"))]


@admin.register(Region)
class RegionAdmin(PortalAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = [(None, {"fields": ["slug", "order"]}), *language_fieldsets(("name",))]


@admin.register(Tag)
class TagAdmin(PortalAdmin):
    list_display = ("name", "slug")
    search_fields = [localized("name", code) for code, _name in settings.LANGUAGES] + ["slug"]
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = [(None, {"fields": ["slug"]}), *language_fieldsets(("name",))]


@admin.register(Page)
class PageAdmin(PortalAdmin):
    list_display = ("title", "slug", "order", "updated_at")
    prepopulated_fields = {"slug": ("title_en",)}
    fieldsets = [(None, {"fields": ["slug", "order"]}), *language_fieldsets(("title", "body"))]


@admin.register(SiteSettings)
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
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: the list would only ever hold it, so go straight to its form.
        if SiteSettings.objects.exists():
            return redirect(reverse("admin:news_sitesettings_change", args=[1]))
        return redirect(reverse("admin:news_sitesettings_add"))
