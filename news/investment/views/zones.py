"""The development-zone directory (开发区/园区名录) for readers: the directory with its filters, and
a zone's page joining its figures (each with year and source), projects, incentives, news,
sub-zones and desk.

Lists go through ``DevelopmentZone.objects.public()`` (published, written in the page's
language). A zone's page in a language it is not written in says in which languages it can be
read (``noindex``), as articles do. Every page here is whole-page cached like the news pages.
"""

from django import forms
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...context_processors import language_links
from ...forms import ReaderForm
from ...i18n import all_columns_of
from ...models import Article, Region
from ...views.reader import read_query
from ..models import DevelopmentZone, Project, Sector
from ..translation import ZONE_TRANSLATED_FIELDS

# What directory rows show: never the prose.
LIST_DEFERRED = tuple(
    column
    for name in ZONE_TRANSLATED_FIELDS
    if name not in ("name", "short_name", "overview")
    for column in all_columns_of(name)
)


class ZoneFilterForm(ReaderForm):
    """The directory's GET filters: level, region, leading sector. An unknown value is reported
    on the form and ignored."""

    level = forms.ChoiceField(
        choices=[("", gettext_lazy("All levels")), *DevelopmentZone.Level.choices],
        required=False,
        label=gettext_lazy("Level"),
    )
    region = forms.ModelChoiceField(
        Region.objects.all(),
        to_field_name="slug",
        required=False,
        label=gettext_lazy("Region"),
        empty_label=gettext_lazy("All regions"),
    )
    sector = forms.ModelChoiceField(
        Sector.objects.filter(parent=None),
        to_field_name="slug",
        required=False,
        label=gettext_lazy("Leading sector"),
        empty_label=gettext_lazy("All sectors"),
    )

    def filter(self, zones):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if level := data.get("level"):
            zones = zones.filter(level=level)
        if region := data.get("region"):
            zones = zones.filter(region=region)
        if sector := data.get("sector"):
            through = DevelopmentZone.leading_sectors.through.objects
            zones = zones.filter(
                pk__in=through.filter(Q(sector=sector) | Q(sector__parent=sector)).values("developmentzone_id")
            )
        return zones


def zone_list(request):
    """``/<lang>/zones/``: the zones a reader of this language may see, with how many projects each offers."""
    form = ZoneFilterForm(request.GET)
    language = translation.get_language()
    open_projects = Project.objects.public(language).filter(deal_status__in=Project.SEEKING)
    zones = (
        form.filter(DevelopmentZone.objects.public(language))
        .select_related("region")
        .prefetch_related("leading_sectors")
        .defer(*LIST_DEFERRED, *all_columns_of("overview"))
        .annotate(open_projects=Count("projects", filter=Q(projects__in=open_projects.values("pk")), distinct=True))
        .order_by("order", "pk")
    )
    query = read_query(request, tuple(ZoneFilterForm.base_fields))
    context = {
        "page_query": query,
        "language_links": language_links(request, query=query),
        "form": form,
        "zones": list(zones),
        "meta": {"title": _("Development zones")},
    }
    return TemplateResponse(request, "investment/zone_list.html", context)


def _on_site(slug):
    zone = (
        DevelopmentZone.objects.published()
        .select_related("region", "desk", "parent")
        .prefetch_related("leading_sectors")
        .filter(slug=slug)
        .first()
    )
    if zone is None:
        raise Http404("No zone has this address")
    return zone


def zone_detail(request, slug):
    zone = _on_site(slug)
    if request.path != zone.get_absolute_url():
        return redirect(zone.get_absolute_url(), permanent=True)
    return render_zone(request, zone)


def render_zone(request, zone, preview=False, url_for=None):
    """The page of ``zone`` in the active language; ``preview`` and ``url_for(language)`` for the admin."""
    language = translation.get_language()
    available = zone.available_languages()
    urls = {code: (url_for or zone.get_absolute_url)(code) for code in available}
    context = {
        "zone": zone,
        "preview": preview,
        "language_links": language_links(request, urls),
        "meta": {"title": zone.name or _("Not available in this language")},
    }
    if language not in available:
        context["other_versions"] = [link for link in context["language_links"] if link["url"]]
        response = TemplateResponse(request, "investment/zone_unavailable.html", context)
        response["X-Robots-Tag"] = "noindex"
        return response
    now = timezone.now()
    today = timezone.localdate(now)
    figures = list(zone.figures.select_related("indicator"))
    for figure in figures:
        figure.stale = figure.is_stale(today)
    public_articles = Article.objects.public(now=now).for_listing().order_by("-publish_at")
    context.update(
        figures=figures,
        land_stale=zone.land_is_stale(today),
        projects=list(
            # Signed and landed ones too: they show what the zone has already attracted.
            Project.objects.public(language, now)
            .filter(zone=zone)
            .select_related("region")
            .defer(*all_columns_of("body"))
            .order_by("-publish_at", "-pk")[:20]
        ),
        sub_zones=list(
            DevelopmentZone.objects.public(language, now).filter(parent=zone).only("slug", *all_columns_of("name"))
        ),
        incentives=list(public_articles.filter(incentive_for_zones=zone)[:20]),
        related_articles=list(public_articles.filter(zones=zone)[:10]),
        pictures=list(zone.pictures.all()),
        noindex=preview,
    )
    response = TemplateResponse(request, "investment/zone_detail.html", context)
    if preview:
        response["X-Robots-Tag"] = "noindex"
    return response
