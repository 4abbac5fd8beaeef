"""开发区/园区: the development-zone directory (spec 3); its dated figures (主要指标) are in ``figures.py``.

A zone follows the article's rules: one gate for "public" (``DevelopmentZoneQuerySet.published``:
the workflow published it and its publish and unpublish times allow), the same workflow and
versions, and no silent language fallback: a zone is *available* in a language when its name
and overview are written in it. Its facts (level, dates, areas, figures, sectors) are
language-neutral. No drawn or tiled map (China's map review rules, 地图管理条例): an uploaded map
carries its review number (审图号), else the page links out to 天地图 from the coordinates.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ...addresses import address
from ...fields import FirstPublishedField, ProcessedImageField, SanitizedHTMLField, staff_member
from ...i18n import language_codes, localized
from ...models import Article
from .reference import EnquiryDesk, Sector

# The texts a zone needs in a language to be available in it.
REQUIRED_TEXTS = ("name", "overview")
# Figures whose period ended more than this many years ago are flagged stale (spec 3, rule 2).
STALE_AFTER_YEARS = 2
# Land and space figures older than this many months are flagged (spec 3, rule 3).
LAND_STALE_AFTER_MONTHS = 12


def written_in(language):
    return Q(**{f"{localized(name, language)}__gt": "" for name in REQUIRED_TEXTS})


class DevelopmentZoneQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one gate: published by the workflow, due, not unpublished."""
        now = now or timezone.now()
        return self.filter(status=self.model.Status.PUBLISHED, publish_at__lte=now).filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
        )

    def available_in(self, language=None):
        return self.filter(written_in(language or translation.get_language()))

    def public(self, language=None, now=None):
        return self.published(now).available_in(language)

    def schedule_subqueries(self, after):
        """Scalar subqueries for the next publish and unpublish time after ``after`` (read in the
        articles' schedule query, ``news.pagecache.version``)."""
        published = self.model.objects.filter(status=self.model.Status.PUBLISHED).order_by()

        def first(field):
            return Subquery(published.filter(**{f"{field}__gt": after}).order_by(field).values(field)[:1])

        return {"zone_publish": first("publish_at"), "zone_unpublish": first("unpublish_at")}

    @staticmethod
    def schedule_change(row):
        return min(filter(None, (row["zone_publish"], row["zone_unpublish"])), default=None)


class DevelopmentZone(models.Model):
    """开发区/园区. Areas in km²; ``available_land_mu`` in 亩 and ``standard_factory_m2`` in m², both as
    of ``land_as_of``. ``approved_year`` is always known; ``approved_on`` only when the exact day is.
    ``incentives`` are policy articles (政策法规), so their validity shows where they are listed."""

    Status = Article.Status

    class Level(models.TextChoices):
        NEW_AREA = "new_area", _("National new area")
        ETDZ = "etdz", _("National economic and technological development zone")
        HIGH_TECH = "high_tech", _("National high-tech industrial development zone")
        BONDED = "bonded", _("Comprehensive bonded zone")
        BORDER = "border", _("Border economic cooperation zone")
        FTZ = "ftz", _("Pilot free trade zone area")
        COOPERATION = "cooperation", _("International cooperation demonstration zone")
        PROVINCIAL = "provincial", _("Provincial development zone")
        PARK = "park", _("Industrial park")

    name = models.CharField(pgettext_lazy("zone", "name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    approved_by = models.CharField(_("approved by"), max_length=100, blank=True, help_text=_("For example 国务院."))
    approved_year = models.PositiveSmallIntegerField(
        _("year approved"), validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )
    approved_on = models.DateField(
        _("date approved"), null=True, blank=True, help_text=_("Only when the exact day is known.")
    )
    approval_document = models.CharField(
        _("approval document number"),
        max_length=100,
        blank=True,
        help_text=_("发文字号, for example 国函〔2016〕31号."),
    )
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("part of")
    )
    region = models.ForeignKey("news.Region", models.PROTECT, related_name="zones", verbose_name=_("region"))
    planned_area_km2 = models.DecimalField(
        _("planned area (km²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    built_area_km2 = models.DecimalField(
        _("built-up area (km²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    leading_sectors = models.ManyToManyField(
        Sector, blank=True, related_name="zones", verbose_name=_("leading sectors")
    )
    overview = SanitizedHTMLField(_("overview"), blank=True)
    location_transport = SanitizedHTMLField(_("location and transport"), blank=True)
    infrastructure = SanitizedHTMLField(_("infrastructure"), blank=True, help_text=_("Utilities, site readiness."))
    land_and_space = SanitizedHTMLField(_("land and space available"), blank=True)
    available_land_mu = models.DecimalField(
        _("land available (mu)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    standard_factory_m2 = models.PositiveIntegerField(_("standard factory space (m²)"), null=True, blank=True)
    land_as_of = models.DateField(_("land and space as of"), null=True, blank=True)
    incentives = models.ManyToManyField(
        Article,
        blank=True,
        related_name="incentive_for_zones",
        verbose_name=_("incentives (policy articles)"),
    )
    related_articles = models.ManyToManyField(Article, blank=True, related_name="zones", verbose_name=_("related news"))
    management_body = models.CharField(_("management body"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    desk = models.ForeignKey(
        EnquiryDesk,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="zones",
        verbose_name=_("enquiry desk"),
        help_text=_("Answers enquiries about this zone."),
    )
    cover_image = ProcessedImageField(
        _("cover image"),
        upload_to="zones/%Y/%m/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        help_text=_("JPEG, PNG, WebP or GIF. It is re-encoded and its metadata (such as GPS) removed."),
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(_("cover alt text"), max_length=255, blank=True)
    cover_caption = models.CharField(_("cover caption"), max_length=255, blank=True)
    cover_credit = models.CharField(_("cover credit"), max_length=255, blank=True)
    lat = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lng = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    map_image = ProcessedImageField(
        _("approved map"),
        upload_to="zones/maps/%Y/",
        blank=True,
        width_field="map_width",
        height_field="map_height",
        help_text=_("Only a map that passed map review; its review number is printed under it."),
    )
    map_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    map_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    map_review_number = models.CharField(
        _("map review number"), max_length=50, blank=True, help_text=_("审图号, for example 吉S（2024）001号.")
    )
    sources = models.TextField(
        _("sources of the facts"), blank=True, help_text=_("Where the founding facts come from, one per line.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(_("publish at"), default=timezone.now)
    unpublish_at = models.DateTimeField(_("unpublish at"), null=True, blank=True)
    first_published_at = FirstPublishedField(_("first published at"))
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = staff_member(_("created by"))
    updated_by = staff_member(_("updated by"))
    lock_version = models.PositiveIntegerField(_("edit number"), default=0, editable=False)

    objects = DevelopmentZoneQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("development zone")
        verbose_name_plural = _("development zones")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="zone_unique_external_id"
            ),
            models.CheckConstraint(
                condition=Q(map_image="") | ~Q(map_review_number=""), name="zone_map_has_review_number"
            ),
        ]

    def __str__(self):
        return self.name or next(filter(None, self.names().values()), "") or self.slug

    def get_absolute_url(self, language=None):
        if language is None or language == translation.get_language():
            return address("investment:zone-detail", slug=self.slug)
        with translation.override(language):
            return address("investment:zone-detail", slug=self.slug)

    def ancestor_ids(self):
        """The ids of the zones this one is part of, its parent first, up the chain (one query a
        level); stops at a zone met twice, so a loop already stored cannot hang it."""
        ids, parent_id = [], self.parent_id
        while parent_id is not None and parent_id not in ids:
            ids.append(parent_id)
            parent_id = type(self).objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        return ids

    def names(self):
        return {code: getattr(self, localized("name", code)) or "" for code in language_codes()}

    def is_available_in(self, language):
        return all(getattr(self, localized(name, language)) for name in REQUIRED_TEXTS)

    def available_languages(self):
        return [code for code in language_codes() if self.is_available_in(code)]

    def is_on_site(self, now=None):
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def tianditu_url(self):
        """A link out to the official 天地图 map at the zone's coordinates, or ''."""
        return tianditu_url(self.lat, self.lng)

    def land_is_stale(self, today=None):
        today = today or timezone.localdate()
        if self.land_as_of is None:
            return False
        months = (today.year - self.land_as_of.year) * 12 + today.month - self.land_as_of.month
        limit = LAND_STALE_AFTER_MONTHS
        return months > limit or (months == limit and today.day > self.land_as_of.day)

    def publishing_problems(self):
        errors = {}
        if not self.available_languages():
            errors[localized("overview", settings.LANGUAGE_CODE)] = _(
                "A zone is published only when its name and overview are written in at least one language."
            )
        if self.cover_image:
            for code in self.available_languages():
                if not getattr(self, localized("cover_alt", code)):
                    errors[localized("cover_alt", code)] = _("A published zone needs the cover's alt text.")
        return errors

    def clean(self):
        errors = {}
        if not any(self.names().values()):
            errors[localized("name", settings.LANGUAGE_CODE)] = _("Write the name in at least one language.")
        if self.map_image and not self.map_review_number.strip():
            errors["map_review_number"] = _(
                "A map is shown only with its review number (审图号); give it, or remove the map and rely on the "
                "Tianditu link."
            )
        if (self.available_land_mu is not None or self.standard_factory_m2 is not None) and not self.land_as_of:
            errors["land_as_of"] = _("Give the date of the land and space figures.")
        if self.approved_on and self.approved_year and self.approved_on.year != self.approved_year:
            errors["approved_on"] = _("The date approved must fall in the year approved.")
        if self.parent_id and self.pk and self.pk in self.ancestor_ids():
            errors["parent"] = _("A zone cannot be part of itself, nor of a zone that is part of it.")
        if (
            self.planned_area_km2 is not None
            and self.built_area_km2 is not None
            and self.built_area_km2 > self.planned_area_km2
        ):
            errors["built_area_km2"] = _("The built-up area cannot exceed the planned area.")
        if self.unpublish_at and self.publish_at and self.unpublish_at <= self.publish_at:
            errors["unpublish_at"] = _("The unpublish time must be after the publish time.")
        if self.status == self.Status.PUBLISHED:
            errors.update(self.publishing_problems())
        if errors:
            raise ValidationError(errors)


def tianditu_url(lat, lng, zoom=14):
    """The 天地图 (map.tianditu.gov.cn, the state's official map service) address centred on
    ``lat``/``lng`` (decimal degrees, CGCS2000 ≈ WGS-84), or '' without coordinates. A link out
    only: no tile is ever loaded by the portal's pages."""
    if lat is None or lng is None:
        return ""
    return f"https://map.tianditu.gov.cn/?l={zoom}&x={float(lng):.6f}&y={float(lat):.6f}"
