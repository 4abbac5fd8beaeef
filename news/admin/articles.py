"""The article editor of the admin, in one class: fields, list, search, workflow, previews, history."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline
from reversion.admin import VersionAdmin

from .. import notifications, preview, revisions, search, workflow
from ..i18n import all_columns_of, availability_name, localized
from ..models import Article, Attachment
from ..policies.actions import ACTIONS as POLICY_ACTIONS
from ..policies.admin import (
    AddInterpretationMixin,
    DocumentMetaInline,
    DocumentRelationInline,
    document_inlines,
    policy_documents_only,
)
from ..staff.names import display_name
from ..uploads.cleanup import SafeSaveAdminMixin
from . import library
from .batch import move_to_column
from .filters import BylineFilter, CreatorFilter, PublishDateRangeFilter
from .forms import ArticleAdminForm
from .history import ArticleHistoryMixin
from .kept_uploads import KeptUploadsMixin
from .library import AttachmentFileWidget, CoverFileWidget
from .presence import EditingPresenceMixin
from .recycle import RecycleBinMixin
from .site import MineFilter, MissingLanguageFilter, PortalAdmin, StaffWordingMixin, language_fieldsets

ARTICLE_TRANSLATED_FIELDS = (
    "title",
    "summary",
    "body",
    "source",
    "author",
    "editor",
    "cover_caption",
    "cover_alt",
    "cover_credit",
)


COVER_FIELDS = ("cover_caption", "cover_alt", "cover_credit")
# What a language version cannot do without: title and body make it available (README, "No silent
# fallback"); a cover needs its alternative text (Article.clean). The rest is optional.
REQUIRED_FIELDS = ("title", "body", "cover_alt")


def missing_fields(article, language):
    """``(required, optional)``: the translated fields of ``article`` left empty in ``language``, as
    verbose names (cover texts only with a cover)."""
    required, optional = [], []
    for name in ARTICLE_TRANSLATED_FIELDS:
        if name in COVER_FIELDS and not article.cover_image:
            continue
        if name in ("author", "editor") and not any(
            getattr(article, localized(name, code)) for code, _name in settings.LANGUAGES
        ):
            continue  # an article without a byline misses none
        if not getattr(article, localized(name, language)):
            (required if name in REQUIRED_FIELDS else optional).append(Article._meta.get_field(name).verbose_name)
    return required, optional


def translation_report(article):
    """Per language: the missing required fields in red, the empty optional ones said quietly."""
    rows = []
    for code, _name in settings.LANGUAGES:
        name = translation.get_language_info(code)["name_translated"]
        required, optional = missing_fields(article, code)
        parts = []
        if required:
            parts.append(
                format_html(
                    '<span class="translation-missing">{}</span>',
                    _("missing %(fields)s") % {"fields": ", ".join(str(field) for field in required)},
                )
            )
        if optional:
            parts.append(
                format_html(
                    '<span class="translation-optional">{}</span>',
                    _("optional, not filled: %(fields)s") % {"fields": ", ".join(str(field) for field in optional)},
                )
            )
        rows.append((name, format_html_join("; ", "{}", ((part,) for part in parts)) if parts else _("complete")))
    return format_html(
        '<ul class="translation-report">{}</ul>',
        format_html_join("", "<li><strong>{}</strong>: {}</li>", rows),
    )


def title_as_shown():
    """The title the list shows (``str(article)``), for sorting: in the admin's language, else in
    the others in the order of ``LANGUAGES``."""
    current = translation.get_language()
    codes = sorted((code for code, _name in settings.LANGUAGES), key=lambda code: code != current)
    text = models.CharField()
    return Coalesce(
        *(NullIf(localized("title", code), Value(""), output_field=text) for code in codes),
        Value(""),
        output_field=text,
    )


def _workflow_action(button, description, needs_publish):
    def action(modeladmin, request, queryset):
        modeladmin.apply_workflow(request, queryset, button)

    action.__name__ = f"workflow_{button}"
    return admin.action(description=description, permissions=["publish"] if needs_publish else ["change"])(action)


class AttachmentInline(StaffWordingMixin, TranslationTabularInline):
    model = Attachment
    extra = 0
    formfield_overrides = {models.FileField: {"widget": AttachmentFileWidget}}
    fields = ["file", *(localized("title", code) for code, _name in settings.LANGUAGES), "accessible", "order"]


class ArticleAdmin(
    SafeSaveAdminMixin,
    KeptUploadsMixin,
    EditingPresenceMixin,
    RecycleBinMixin,
    AddInterpretationMixin,
    ArticleHistoryMixin,
    VersionAdmin,
    PortalAdmin,
):
    """The article editor: one fieldset per language, the workflow's buttons and actions,
    previews, history and version comparison.

    The bases, outermost first: ``SafeSaveAdminMixin`` wraps django-reversion's revision block
    and the transaction (a storage failure is shown once both have rolled back);
    ``KeptUploadsMixin`` (news/admin/kept_uploads.py) the files of a refused save kept for the retry;
    ``EditingPresenceMixin`` (news/admin/presence.py) who else has the article open;
    ``RecycleBinMixin`` (news/admin/recycle.py) the recycle bin; ``AddInterpretationMixin``
    (news/policies/admin.py) a policy document's "Add interpretation"; ``ArticleHistoryMixin``
    (news/admin/history.py) what the history records and restoring;
    ``VersionAdmin`` keeps a version of every save; ``PortalAdmin`` brings the CSP nonce and
    modeltranslation. tests/news/admin/test_articles.py pins that order.
    """

    form = ArticleAdminForm
    formfield_overrides = {**PortalAdmin.formfield_overrides, models.ImageField: {"widget": CoverFileWidget}}
    # The policy inlines are listed here so that django-reversion keeps them in the article's
    # versions; get_inlines shows them only for articles of policy (and interpretation) columns.
    inlines = [DocumentMetaInline, DocumentRelationInline, AttachmentInline]
    list_display = (
        "title_in_any_language",
        "column",
        "status_label",
        "publish_at",
        "languages",
        "last_change",
    )
    list_filter = (
        MineFilter,
        CreatorFilter,
        BylineFilter,
        PublishDateRangeFilter,
        "status",
        "column",
        MissingLanguageFilter,
        "featured",
        "region",
    )
    autocomplete_fields = ("tags",)
    list_select_related = ("column", "updated_by")
    # Searched with the site's full-text engine (see get_search_results), in every language.
    search_fields = ["pk"]
    search_help_text = _("Words from the title or text, in either language, or an article number.")
    date_hierarchy = "publish_at"
    readonly_fields = ("translation_status", "created_at", "created_by_name", "updated_at", "updated_by_name")
    fieldsets = [
        (
            _("Column and publication"),
            {
                "fields": [
                    "column",
                    "further_columns",
                    "status",
                    "publish_at",
                    "publish_as_of_now",
                    "unpublish_at",
                    "featured",
                    "based_on",
                ],
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
                    "source_url",
                    "event_date",
                    "slug",
                    "legacy_url",
                    "external_id",
                    "internal_note",
                ]
            },
        ),
        (
            _("History"),
            {"fields": ["created_at", "created_by_name", "updated_at", "updated_by_name"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer(*all_columns_of("body"))
            .annotate(last_change_comment=revisions.latest_comment(), sort_title=title_as_shown())
        )

    @admin.display(description=_("title"), ordering="sort_title")
    def title_in_any_language(self, article):
        # Clipped to two lines by admin.css (a 255-character title filled 20); the whole on hover.
        return format_html('<span class="clipped-title" title="{}">{}</span>', article, article)

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
            display_name(article.updated_by),
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
        queryset = policy_documents_only(request, queryset)
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
        if "cover_image" in form.changed_data and obj.cover_image:
            library.add_cover(obj, request.user)
        button = form.data.get("_workflow")
        if button in workflow.TRANSITIONS:
            reason = request.POST.get("review_comment", "").strip() if button == "draft" else ""
            status_before = form.initial.get("status", Article.Status.DRAFT) if change else Article.Status.DRAFT
            request.workflow_entry = revisions.step_entry(button, status_before, obj, reason[:2000])
            request.workflow_article = str(obj)
            if request.workflow_entry["workflow"]["step"] == "send_back":
                url = request.build_absolute_uri(reverse("admin:news_article_change", args=[obj.pk]))
                notifications.sent_back(obj, reason, request.user, url)

    actions = [
        *(
            _workflow_action(button, label, needs_publish)
            for button, (label, _target, needs_publish) in workflow.TRANSITIONS.items()
        ),
        move_to_column,
        *POLICY_ACTIONS,
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "further_columns":
            # A province's site has a few dozen columns at most: one box each, all in sight.
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        attributes = {"request": request, "document_inline": bool(document_inlines(request, obj))}
        return type(form.__name__, (form,), attributes)

    def get_inlines(self, request, obj):
        shown = document_inlines(request, obj)
        return [
            inline
            for inline in self.inlines
            if inline in shown or inline not in (DocumentMetaInline, DocumentRelationInline)
        ]

    # --- permissions ---------------------------------------------------------------

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user):
            # Scheduling is publishing: editors see the times but do not set them.
            fields += ["publish_at", "unpublish_at"]
        return fields

    def get_fieldsets(self, request, obj=None):
        if workflow.can_publish(request.user):
            return super().get_fieldsets(request, obj)
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field != "publish_as_of_now"]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    # --- workflow ------------------------------------------------------------------

    def apply_workflow(self, request, queryset, button):
        moved, refused = 0, []
        for pk in queryset.values_list("pk", flat=True):
            article = Article.objects.get(pk=pk)
            try:
                workflow.apply(article, button, request.user)
                moved += 1
            except PermissionDenied as error:
                refused.append(f"{article}: {error}")
            except ValidationError as error:
                refused.append(f"{article}: {' '.join(error.messages)}")
        if moved:
            self.message_user(
                request,
                _("%(count)s article(s): %(step)s.") % {"count": moved, "step": workflow.TRANSITIONS[button][0]},
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        article = self.get_object(request, object_id) if object_id else None
        context = {
            "workflow_buttons": workflow.transitions_for(request.user, article),
            "preview_links": self.preview_links(request, article) if article else [],
            "preview_hours": settings.PORTAL_PREVIEW_LINK_MAX_AGE // 3600,
        }
        return super().changeform_view(request, object_id, form_url, {**context, **(extra_context or {})})

    # --- previews and history ------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/<str:language>/", view(self.preview_view), name="news_article_preview"),
            path("<int:pk>/history/compare/", view(self.compare_view), name="news_article_compare"),
            *super().get_urls(),
        ]

    def preview_links(self, request, article):
        links = []
        for code, _name in settings.LANGUAGES:
            info = translation.get_language_info(code)
            links.append(
                {
                    "name": info["name_local"],
                    "code": code,
                    "available": article.is_available_in(code),
                    "admin_url": reverse("admin:news_article_preview", args=[article.pk, code]),
                    "signed_url": request.build_absolute_uri(preview.signed_url(article, code)),
                }
            )
        return links

    def preview_view(self, request, pk, language):
        article = get_object_or_404(Article.objects.select_related("column"), pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        if language not in dict(settings.LANGUAGES):
            raise Http404
        return preview.render_preview(
            request,
            article,
            language,
            url_for=lambda code: reverse("admin:news_article_preview", args=[article.pk, code]),
        )
