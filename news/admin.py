from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from reversion.admin import VersionAdmin

from . import audit, revisions, search, workflow
from .admin_articles import ARTICLE_TRANSLATED_FIELDS, ArticleWorkflowMixin, translation_report
from .admin_forms import ArticleAdminForm
from .faults import SafeSaveAdminMixin
from .images import rendition_name, rendition_widths
from .models import (
    Article,
    Attachment,
    Column,
    Image,
    Page,
    Region,
    SiteSettings,
    Tag,
    all_columns_of,
    availability_name,
    localized,
)
from .security import NonceMediaMixin
from .validators import WebAddressFormField

# django-otp's own device admins are in English only; staff manage their devices on the
# two-factor pages (news/twofactor.py), operators reset them with `manage.py reset_two_factor`.
for _otp_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_otp_model):
        admin.site.unregister(_otp_model)

admin.site.site_header = _("Investment promotion portal: administration")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Content")


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


class PortalAdmin(NonceMediaMixin, TranslationAdmin):
    # Addresses typed without a scheme are taken as https, as Django 6 will do; other schemes
    # than http and https (javascript:, data:) are refused with a message that says so.
    formfield_overrides = {models.URLField: {"assume_scheme": "https", "form_class": WebAddressFormField}}


class AttachmentInline(TranslationTabularInline):
    model = Attachment
    extra = 0
    fields = ["file", *(localized("title", code) for code, _name in settings.LANGUAGES), "order"]


@admin.register(Article)
class ArticleAdmin(SafeSaveAdminMixin, ArticleWorkflowMixin, VersionAdmin, PortalAdmin):
    form = ArticleAdminForm
    inlines = [AttachmentInline]
    list_display = (
        "title_in_any_language",
        "column",
        "status_label",
        "publish_at",
        "languages",
        "last_change",
    )
    list_filter = ("status", "column", MissingLanguageFilter, "featured", "region")
    autocomplete_fields = ("tags",)
    list_select_related = ("column", "updated_by")
    # Searched with the site's full-text engine (see get_search_results), in every language.
    search_fields = ["pk"]
    search_help_text = _("Words from the title or text, in either language, or an article number.")
    date_hierarchy = "publish_at"
    readonly_fields = ("translation_status", "created_at", "created_by", "updated_at", "updated_by")
    fieldsets = [
        (
            _("Column and publication"),
            {
                "fields": ["column", "status", "publish_at", "unpublish_at", "featured", "based_on"],
                "description": _(
                    "Times are Beijing time (Asia/Shanghai). A future publish time schedules the article."
                ),
            },
        ),
        (_("Translation"), {"fields": ["translation_status"]}),
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
                    "external_id",
                    "internal_note",
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "created_by", "updated_at", "updated_by"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer(*all_columns_of("body"))
            .annotate(last_change_comment=revisions.latest_comment())
        )

    @admin.display(description=_("title"))
    def title_in_any_language(self, article):
        return str(article)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        now = timezone.now()
        if workflow.is_scheduled(article, now):
            return format_html(
                '<span class="status-scheduled">{}</span>',
                _("Scheduled for %(time)s")
                % {"time": formats.date_format(timezone.localtime(article.publish_at), "SHORT_DATETIME_FORMAT")},
            )
        if article.status == Article.Status.PUBLISHED and article.unpublish_at and article.unpublish_at <= now:
            return _("Expired")
        if article.status == Article.Status.PUBLISHED and article.unpublish_at:
            return _("Published, leaves %(time)s") % {
                "time": formats.date_format(timezone.localtime(article.unpublish_at), "SHORT_DATETIME_FORMAT")
            }
        return article.get_status_display()

    @admin.display(description=_("last change"), ordering="updated_at")
    def last_change(self, article):
        """Who changed the article last, when, and what (the message of its newest version)."""
        return format_html(
            '<span class="changed-by">{}</span> <time>{}</time><br><span class="changed-what">{}</span>',
            article.updated_by.get_username() if article.updated_by else "—",
            formats.date_format(timezone.localtime(article.updated_at), "SHORT_DATETIME_FORMAT"),
            revisions.comment_text(article.last_change_comment),
        )

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

    @admin.display(description=_("missing per language"))
    def translation_status(self, article):
        return translation_report(article)

    def view_on_site(self, article):
        available = [code for code, _name in settings.LANGUAGES if getattr(article, availability_name(code), None)]
        if not available or not article.is_published():
            return None
        current = translation.get_language()
        return article.get_absolute_url(current if current in available else available[0])

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        obj.lock_version = form.next_lock_version
        super().save_model(request, obj, form, change)


@admin.register(Image)
class ImageAdmin(SafeSaveAdminMixin, PortalAdmin):
    """The picture library: pictures are uploaded here and placed in bodies from the editor."""

    list_display = ("thumbnail", "__str__", "width", "height", "uploaded_at", "uploaded_by")
    list_select_related = ("uploaded_by",)
    search_fields = [localized(field, code) for field in ("alt", "caption") for code, _name in settings.LANGUAGES]
    fieldsets = [(None, {"fields": ["file"]}), *language_fieldsets(("alt", "caption", "credit"))]

    @admin.display(description=_("picture"))
    def thumbnail(self, image):
        return format_html('<img src="{}" alt="" class="library-thumbnail" loading="lazy">', small_url(image))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        picker = path("picker/", self.admin_site.admin_view(self.picker_view), name="news_image_picker")
        return [picker, *super().get_urls()]

    def picker_view(self, request):
        """The window the body editor's picture button opens: choose a picture to place in the text."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        language = request.GET.get("language")
        if language not in dict(settings.LANGUAGES):
            language = translation.get_language()
        images = Image.objects.all()[:200]
        choices = [
            {
                "image": image,
                "thumbnail": small_url(image),
                "url": body_url(image),
                "alt": getattr(image, localized("alt", language)),
                "caption": getattr(image, localized("caption", language)),
            }
            for image in images
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Choose a picture"),
            "choices": choices,
            "function_number": request.GET.get("CKEditorFuncNum", ""),
            "is_popup": True,
            "add_url": reverse("admin:news_image_add"),
        }
        return TemplateResponse(request, "admin/news/image/picker.html", context)


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
        (_("Staff accounts"), {"fields": ["require_two_factor"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not settings.REQUIRE_TWO_FACTOR:
            return fieldsets
        # Required by the operator (PORTAL_REQUIRE_TWO_FACTOR): the box here cannot undo it.
        note = _("The server's configuration requires two-factor authentication for all staff, whatever this says.")
        return [
            (name, {**options, "description": note}) if "require_two_factor" in options["fields"] else (name, options)
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "require_two_factor"] if settings.REQUIRE_TWO_FACTOR else readonly

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


def small_url(image):
    """The smallest stored copy of a library picture, for thumbnails."""
    widths = rendition_widths(image.width)
    if len(widths) > 1:
        return image.file.storage.url(rendition_name(image.file.name, widths[0]))
    return image.file.url


def body_url(image):
    """The copy placed in article bodies: at most 960 pixels wide, enough for the text column."""
    fitting = [width for width in rendition_widths(image.width) if width <= 960]
    if fitting and fitting[-1] != image.width:
        return image.file.storage.url(rendition_name(image.file.name, fitting[-1]))
    return image.file.url
