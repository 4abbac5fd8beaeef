"""The project editor, built from the article editor's pieces: the same workflow buttons and rules
(``news.workflow``), the same edit-conflict refusal (``ArticleAdminForm``), versions with
django-reversion, per-language fieldsets, previews, and the file-safe save.

Publishing a project needs what spec 1, rule 7 lists (``Project.publishing_problems``). The
action "Confirm still valid" sets *information verified on* to today and offers the project for
another year, keeping a version.
"""

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline
from reversion.admin import VersionAdmin

from ... import preview, workflow
from ...admin.forms import ArticleAdminForm
from ...admin.history import VersionCompareMixin
from ...admin.site import MissingLanguageFilter, PortalAdmin, language_fieldsets
from ...i18n import localized
from ...uploads.cleanup import SafeSaveAdminMixin
from ..models import CooperationMode, Project, ProjectAttachment
from ..models.projects import site_zone
from ..models.zones import tianditu_url
from . import deals

PROJECT_TRANSLATED_FIELDS = (
    "title",
    "summary",
    "body",
    "site",
    "promoter",
    "withdrawn_reason",
    "cover_alt",
    "cover_caption",
    "cover_credit",
)


@admin.register(CooperationMode)
class CooperationModeAdmin(PortalAdmin):
    list_display = ("name", "slug", "order")
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = [(None, {"fields": ["slug", "order"]}), *language_fieldsets(("name",))]


class ProjectAdminForm(ArticleAdminForm):
    """The article form's workflow and conflict checks, for a project; the sectors and cooperation
    modes about to be saved are handed to the model's publishing rules."""

    class Meta:
        model = Project
        fields = ["status"]

    def clean(self):
        cleaned = super().clean()
        self.instance._pending_m2m = {
            "sectors": cleaned.get("sectors"),
            "cooperation_modes": cleaned.get("cooperation_modes"),
        }
        return cleaned


class ValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [("expiring", _("Expiring within 30 days")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        today = timezone.localdate(timezone.now(), site_zone())
        if self.value() == "expiring":
            return queryset.filter(pk__in=Project.objects.expiring(30).values("pk"))
        if self.value() == "expired":
            return queryset.filter(valid_until__lt=today)
        return queryset


class ProjectAttachmentInline(TranslationTabularInline):
    model = ProjectAttachment
    extra = 0
    fields = ["file", *(localized("title", code) for code, _name in settings.LANGUAGES), "accessible", "order"]


def _workflow_action(button, description, needs_publish):
    def action(modeladmin, request, queryset):
        modeladmin.apply_workflow(request, queryset, button)

    action.__name__ = f"workflow_{button}"
    return admin.action(description=description, permissions=["publish"] if needs_publish else ["change"])(action)


@admin.register(Project)
class ProjectAdmin(SafeSaveAdminMixin, VersionCompareMixin, VersionAdmin, PortalAdmin):
    """Projects: the bases in the article editor's order (tests/news/admin/test_articles.py says why)."""

    form = ProjectAdminForm
    inlines = [ProjectAttachmentInline]
    change_form_template = "admin/news/article/change_form.html"
    list_display = (
        "code",
        "title_in_any_language",
        "region",
        "desk",
        "deal_status",
        "status",
        "valid_until",
        "languages",
    )
    list_filter = (
        "status", ValidityFilter, "deal_status", "sectors", "region", "zone", "desk", MissingLanguageFilter,
    )  # fmt: skip
    list_select_related = ("region", "desk")
    search_fields = ["code", *(localized("title", code) for code, _name in settings.LANGUAGES)]
    autocomplete_fields = ("tags", "related_articles")
    filter_horizontal = ("sectors", "cooperation_modes")
    readonly_fields = (
        "code", "translation_status", "tianditu_link", "created_at", "created_by_name", "updated_at", "updated_by_name",
    )  # fmt: skip
    fieldsets = [
        (
            _("Publication"),
            {
                "fields": ["code", "status", "publish_at", "unpublish_at", "featured", "priority", "based_on"],
                "description": _(
                    "Times are Beijing time (Asia/Shanghai). A future publish time schedules the project."
                ),
            },
        ),
        (_("Translation"), {"fields": ["translation_status"]}),
        *language_fieldsets(PROJECT_TRANSLATED_FIELDS),
        (
            _("Key facts"),
            {
                "fields": [
                    "sectors",
                    "region",
                    "zone",
                    "desk",
                    "total_investment",
                    "investment_sought",
                    "cooperation_modes",
                    "stage",
                    "land_area_mu",
                ],
                "description": _("Amounts in 万元 (10,000 yuan), land in 亩 (mu)."),
            },
        ),
        (
            _("Location"),
            {
                "fields": ["lat", "lng", "tianditu_link"],
                "description": _("No embedded map: the coordinates give a link to Tianditu, the official map service."),
            },
        ),
        (_("Deal and validity"), {"fields": ["deal_status", "deal_status_date", "valid_until", "verified_on"]}),
        (_("Cover image"), {"fields": ["cover_image"]}),
        (_("Details"), {"fields": ["related_articles", "tags", "slug", "legacy_url", "external_id"]}),
        (
            _("History"),
            {"fields": ["created_at", "created_by_name", "updated_at", "updated_by_name"], "classes": ["collapse"]},
        ),
    ]
    actions = [
        "confirm_still_valid",
        deals.mark_signed,
        deals.withdraw,
        *(
            _workflow_action(button, label, needs_publish)
            for button, (label, _target, needs_publish) in workflow.TRANSITIONS.items()
        ),
    ]

    @admin.display(description=_("Tianditu"))
    def tianditu_link(self, project):
        url = tianditu_url(project.lat, project.lng)
        if not url:
            return "—"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open in Tianditu"))

    @admin.display(description=_("project name"))
    def title_in_any_language(self, project):
        return next(filter(None, project.titles().values()), "")

    @admin.display(description=_("languages"))
    def languages(self, project):
        return format_html_join(
            " ",
            "<span>{} {}</span>",
            (
                (code.split("-")[0].upper(), "✓" if project.is_available_in(code) else "✗")
                for code, _name in settings.LANGUAGES
            ),
        )

    @admin.display(description=_("missing per language"))
    def translation_status(self, project):
        rows = []
        for code, _name in settings.LANGUAGES:
            missing = [
                str(Project._meta.get_field(name).verbose_name)
                for name in ("title", "summary", "body")
                if not getattr(project, localized(name, code))
            ]
            text = _("missing %(fields)s") % {"fields": ", ".join(missing)} if missing else _("complete")
            name = translation.get_language_info(code)["name_translated"]
            rows.append((" translation-missing" if missing else "", name, text))
        return format_html(
            '<ul class="translation-report">{}</ul>',
            format_html_join("", '<li class="{}"><strong>{}</strong>: {}</li>', rows),
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        obj.lock_version = form.next_lock_version
        super().save_model(request, obj, form, change)

    def view_on_site(self, project):
        if not project.is_on_site() or not project.available_languages():
            return None
        current = translation.get_language()
        available = project.available_languages()
        return project.get_absolute_url(current if current in available else available[0])

    # --- permissions: those of the article workflow ------------------------------------

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user):
            fields += ["publish_at", "unpublish_at"]
        return fields

    # --- actions -------------------------------------------------------------------------

    def apply_workflow(self, request, queryset, button):
        moved, refused = 0, []
        for project in queryset.order_by("pk"):
            try:
                workflow.apply(project, button, request.user)
                moved += 1
            except PermissionDenied as error:
                refused.append(f"{project}: {error}")
            except ValidationError as error:
                refused.append(f"{project}: {' '.join(error.messages)}")
        if moved:
            self.message_user(
                request,
                _("%(count)s %(things)s: %(step)s.")
                % {
                    "count": moved,
                    "things": self.model._meta.verbose_name_plural,
                    "step": workflow.TRANSITIONS[button][0],
                },
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(
        description=_("Confirm still valid (verified today, offered for another year)"), permissions=["change"]
    )
    def confirm_still_valid(self, request, queryset):
        count = 0
        for project in queryset.order_by("pk"):
            if not workflow.can_edit(request.user, project):
                self.message_user(
                    request,
                    _("%(project)s: only a senior editor can change it.") % {"project": project},
                    messages.ERROR,
                )
                continue
            project.confirm_still_valid()
            project.updated_by = request.user
            with transaction.atomic(), reversion.create_revision():
                project.lock_version = (
                    Project.objects.select_for_update().filter(pk=project.pk).values_list("lock_version", flat=True)[0]
                    + 1
                )
                project.save()
                reversion.set_user(request.user)
                reversion.set_comment(str(_("Confirmed still valid")))
            count += 1
        if count:
            self.message_user(request, _("%(count)s project(s) confirmed, valid for another year.") % {"count": count})

    # --- previews ------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        project = self.get_object(request, object_id) if object_id else None
        context = {
            "workflow_buttons": workflow.transitions_for(request.user, project),
            "preview_links": self.preview_links(request, project) if project else [],
            "preview_hours": settings.PORTAL_PREVIEW_LINK_MAX_AGE // 3600,
        }
        return super().changeform_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def preview_links(self, request, project):
        from ..views.projects import signed_preview_url

        return [
            {
                "name": translation.get_language_info(code)["name_local"],
                "code": code,
                "available": project.is_available_in(code),
                "admin_url": reverse("admin:investment_project_preview", args=[project.pk, code]),
                "signed_url": request.build_absolute_uri(signed_preview_url(project, code)),
            }
            for code, _name in settings.LANGUAGES
        ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/<str:language>/", view(self.preview_view), name="investment_project_preview"),
            self.compare_url(),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk, language):
        from ..views.projects import render_project

        project = get_object_or_404(Project.objects.select_related("region", "desk"), pk=pk)
        if not self.has_view_or_change_permission(request, project):
            raise PermissionDenied
        if language not in dict(settings.LANGUAGES):
            raise Http404
        with translation.override(language):
            response = render_project(
                request,
                project,
                preview=True,
                url_for=lambda code: reverse("admin:investment_project_preview", args=[project.pk, code]),
            )
            response.render()
        return preview.private(response)
