"""The zone directory's editor: the article editor's workflow, edit-conflict refusal, versions and
previews (as the project editor), with the zone's dated figures and pictures inline.

Creating, renaming, re-levelling and deleting a zone is for site administrators (spec 3, rule 1):
without ``investment.add_developmentzone`` the names, slug, level and parent are read-only.
Figures whose period ended more than two years ago are flagged "stale" here and on the page.
"""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline
from reversion.admin import VersionAdmin

from ... import preview, workflow
from ...admin.forms import body_editor
from ...admin.history import VersionCompareMixin
from ...admin.site import MissingLanguageFilter, PortalAdmin, language_fieldsets
from ...i18n import all_columns_of, localized
from ...uploads.cleanup import SafeSaveAdminMixin
from ..models import DevelopmentZone, Indicator, ZoneFigure, ZonePicture
from ..models.figures import ONE_FIGURE_PER_PERIOD
from ..translation import ZONE_TRANSLATED_FIELDS
from .projects import ProjectAdminForm, _workflow_action

RICH_TEXT_FIELDS = ("overview", "location_transport", "infrastructure", "land_and_space")
# What only a site administrator changes: the zone's identity.
IDENTITY_FIELDS = ("slug", "level", "parent", *all_columns_of("name"), *all_columns_of("short_name"))


@admin.register(Indicator)
class IndicatorAdmin(PortalAdmin):
    list_display = ("name", "unit", "slug", "order")
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = [(None, {"fields": ["slug", "order"]}), *language_fieldsets(("name", "unit"))]


class ZoneAdminForm(ProjectAdminForm):
    """The project form's workflow and conflict checks; the prose sections in the article body's editor."""

    class Meta:
        model = DevelopmentZone
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RICH_TEXT_FIELDS:
            for code, _name in settings.LANGUAGES:
                if localized(name, code) in self.fields:
                    self.fields[localized(name, code)].widget = body_editor(code)

    def clean(self):
        return super(ProjectAdminForm, self).clean()


class StaleFigureFilter(admin.SimpleListFilter):
    title = _("figures")
    parameter_name = "figures"

    def lookups(self, request, model_admin):
        return [("stale", _("With figures older than two years"))]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.filter(pk__in=stale_figures().values("zone_id"))
        return queryset


def stale_figures(today=None):
    """Figures whose period ended more than two years before ``today``: a whole year up to
    ``today.year - 3``, or a quarter ending before the same day two years ago."""
    today = today or timezone.localdate()
    figures = ZoneFigure.objects.filter(year__lte=today.year - 3)
    recent = ZoneFigure.objects.filter(year=today.year - 2, quarter__isnull=False)
    stale_recent = [figure.pk for figure in recent if figure.is_stale(today)]
    return (figures | ZoneFigure.objects.filter(pk__in=stale_recent)).select_related("zone", "indicator")


PERIOD_HELD_UNTIL_SAVED = _(
    "Another row holds this period until this is saved: change or delete that row and save, then change this one."
)


class ZoneFigureFormSet(BaseInlineFormSet):
    """The zone's figures: two of one indicator for one period (year, or quarter of it) are
    refused, between the rows of the form and against the zone's other saved figures (one query).
    Django's own checks leave both out here: its formset check skips conditional constraints, and
    the row's model check skips constraints naming the zone, which the inline form does not show.

    Saved rows are written one at a time, each against the table as it stands, so a row may not take
    the period another saved row gives up in the same save (the two swapping years, or the other
    deleted): the first written would meet the other in the unique index (a 500). That is refused
    with a message; it takes two saves. New rows are written last, so they may take such a period."""

    def clean(self):
        super().clean()
        in_form = [form.instance.pk for form in self.forms if form.instance.pk]
        saved = ZoneFigure.objects.filter(zone=self.instance).exclude(pk__in=in_form) if self.instance.pk else []
        seen = {(figure.indicator_id, figure.year, figure.quarter) for figure in saved}
        # The period each saved row of the form holds until this save (form.initial: the instance
        # already has the posted values).
        held = {
            (form.initial.get("indicator"), form.initial.get("year"), form.initial.get("quarter")): form.instance.pk
            for form in self.initial_forms
            if form.instance.pk
        }
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or form.errors or (self.can_delete and self._should_delete_form(form)):
                continue
            indicator = data.get("indicator")
            period = (indicator.pk if indicator else None, data.get("year"), data.get("quarter"))
            if period in seen:
                form.add_error("year", ONE_FIGURE_PER_PERIOD)
            elif form.instance.pk and held.get(period, form.instance.pk) != form.instance.pk:
                # (New rows are written after every saved one: a period given up is free by then.)
                form.add_error("year", PERIOD_HELD_UNTIL_SAVED)
            seen.add(period)


class ZoneFigureInline(TranslationTabularInline):
    model = ZoneFigure
    formset = ZoneFigureFormSet
    formfield_overrides = PortalAdmin.formfield_overrides
    extra = 1
    fields = [
        "indicator",
        "value",
        "unit",
        "year",
        "quarter",
        *(localized("source", code) for code, _name in settings.LANGUAGES),
        "source_url",
        "age",
    ]
    readonly_fields = ("age",)

    @admin.display(description=_("age"))
    def age(self, figure):
        if figure.pk and figure.is_stale():
            return format_html('<strong class="figure-stale">{}</strong>', _("Stale: older than two years"))
        return ""


class ZonePictureInline(TranslationStackedInline):
    model = ZonePicture
    extra = 0
    fields = ["image", *(localized(name, code) for name in ("alt", "caption") for code, _n in settings.LANGUAGES)]


@admin.register(DevelopmentZone)
class DevelopmentZoneAdmin(SafeSaveAdminMixin, VersionCompareMixin, VersionAdmin, PortalAdmin):
    form = ZoneAdminForm
    inlines = [ZoneFigureInline, ZonePictureInline]
    change_form_template = "admin/news/article/change_form.html"
    list_display = ("name_in_any_language", "level", "region", "approved_year", "status", "stale_figures", "languages")
    list_filter = ("status", "level", "region", StaleFigureFilter, MissingLanguageFilter)
    list_select_related = ("region",)
    search_fields = [*(localized("name", code) for code, _name in settings.LANGUAGES), "slug"]
    autocomplete_fields = ("incentives", "related_articles")
    filter_horizontal = ("leading_sectors",)
    readonly_fields = ("tianditu_link", "created_at", "created_by_name", "updated_at", "updated_by_name")
    fieldsets = [
        (
            _("Publication"),
            {
                "fields": ["status", "publish_at", "unpublish_at", "order", "based_on"],
                "description": _("Times are Beijing time (Asia/Shanghai)."),
            },
        ),
        *language_fieldsets(ZONE_TRANSLATED_FIELDS),
        (
            _("Key facts"),
            {
                "fields": [
                    "slug",
                    "level",
                    "parent",
                    "region",
                    "approved_year",
                    "approved_on",
                    "approval_document",
                    "planned_area_km2",
                    "built_area_km2",
                    "leading_sectors",
                    "website",
                    "desk",
                ],
                "description": _("Areas in km². The facts are the same in every language."),
            },
        ),
        (
            _("Land and space"),
            {"fields": ["available_land_mu", "standard_factory_m2", "land_as_of"]},
        ),
        (_("Incentives and news"), {"fields": ["incentives", "related_articles"]}),
        (
            _("Map"),
            {
                "fields": ["lat", "lng", "tianditu_link", "map_image", "map_review_number"],
                "description": _(
                    "No drawn or tiled map: an uploaded map must carry its review number (审图号); "
                    "coordinates give a link to Tianditu."
                ),
            },
        ),
        (_("Cover image"), {"fields": ["cover_image"]}),
        (_("Sources"), {"fields": ["sources", "external_id"]}),
        (
            _("History"),
            {"fields": ["created_at", "created_by_name", "updated_at", "updated_by_name"], "classes": ["collapse"]},
        ),
    ]
    actions = [
        _workflow_action(button, label, needs_publish)
        for button, (label, _target, needs_publish) in workflow.TRANSITIONS.items()
    ]

    @admin.display(description=_("name"))
    def name_in_any_language(self, zone):
        return str(zone)

    @admin.display(description=_("figures older than two years"))
    def stale_figures(self, zone):
        count = sum(figure.is_stale() for figure in zone.figures.all())
        if count:
            return format_html('<strong class="figure-stale">{}</strong>', count)
        return ""

    @admin.display(description=_("languages"))
    def languages(self, zone):
        return format_html_join(
            " ",
            "<span>{} {}</span>",
            (
                (code.split("-")[0].upper(), "✓" if zone.is_available_in(code) else "✗")
                for code, _n in settings.LANGUAGES
            ),
        )

    @admin.display(description=_("Tianditu"))
    def tianditu_link(self, zone):
        if not zone.tianditu_url:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', zone.tianditu_url, _("Open in Tianditu")
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("figures")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        obj.lock_version = form.next_lock_version
        super().save_model(request, obj, form, change)

    def view_on_site(self, zone):
        if not zone.is_on_site() or not zone.available_languages():
            return None
        current = translation.get_language()
        available = zone.available_languages()
        return zone.get_absolute_url(current if current in available else available[0])

    # --- permissions: the article workflow, and identity for site administrators ----------

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user):
            fields += ["publish_at", "unpublish_at"]
        if obj is not None and not request.user.has_perm("investment.add_developmentzone"):
            fields += IDENTITY_FIELDS
        return fields

    def apply_workflow(self, request, queryset, button):
        from .projects import ProjectAdmin

        ProjectAdmin.apply_workflow(self, request, queryset, button)

    # --- previews ------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        zone = self.get_object(request, object_id) if object_id else None
        context = {
            "workflow_buttons": workflow.transitions_for(request.user, zone),
            "preview_links": [
                {
                    "name": translation.get_language_info(code)["name_local"],
                    "code": code,
                    "available": zone.is_available_in(code),
                    "admin_url": reverse("admin:investment_developmentzone_preview", args=[zone.pk, code]),
                }
                for code, _name in settings.LANGUAGES
            ]
            if zone
            else [],
        }
        return super().changeform_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/preview/<str:language>/", view(self.preview_view), name="investment_developmentzone_preview"
            ),
            self.compare_url(),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk, language):
        from ..views.zones import render_zone

        zone = get_object_or_404(DevelopmentZone.objects.select_related("region", "desk", "parent"), pk=pk)
        if not self.has_view_or_change_permission(request, zone):
            raise PermissionDenied
        if language not in dict(settings.LANGUAGES):
            raise Http404
        with translation.override(language):
            response = render_zone(
                request,
                zone,
                preview=True,
                url_for=lambda code: reverse("admin:investment_developmentzone_preview", args=[zone.pk, code]),
            )
            response.render()
        return preview.private(response)
