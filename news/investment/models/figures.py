"""主要指标: the indicators a zone reports, its dated figures, and its pictures."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...fields import ProcessedImageField
from ...i18n import language_codes, localized
from .zones import STALE_AFTER_YEARS, DevelopmentZone


class Indicator(models.Model):
    """主要指标的名称: GDP, industrial output, FDI in actual use …, with its usual unit.

    Site administrators add more."""

    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("For example 亿元, 亿美元, 家."))
    slug = models.SlugField(_("slug"), unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name or self.slug


ONE_FIGURE_PER_PERIOD = _("The zone already has a figure of this indicator for this period.")


class ZoneFigure(models.Model):
    """One dated number of a zone: indicator, value, unit, period (a year, or a quarter of it) and
    its source. A figure without a year and a source is refused; one whose period ended more than
    two years ago is *stale* (flagged in the admin, and shown with its year as every figure is)."""

    zone = models.ForeignKey(DevelopmentZone, models.CASCADE, related_name="figures", verbose_name=_("zone"))
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="figures", verbose_name=_("indicator"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("Empty: the indicator's unit."))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1949), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Empty for the whole year; 1–4 for the year's first to fourth quarter (cumulative)."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("For example 长春市统计局."))
    source_url = models.URLField(_("source address"), blank=True)
    entered_on = models.DateField(_("entered on"), default=timezone.localdate)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "indicator__order", "-year", "-quarter", "pk"]
        verbose_name = _("zone figure")
        verbose_name_plural = _("zone figures")
        # Two partial unique indexes rather than one with NULLS NOT DISTINCT, which SQLite (the
        # embedded default) cannot create: there, two figures for one whole year went in.
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "indicator", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="one_figure_per_zone_indicator_quarter",
                violation_error_message=ONE_FIGURE_PER_PERIOD,
            ),
            models.UniqueConstraint(
                fields=["zone", "indicator", "year"],
                condition=Q(quarter__isnull=True),
                name="one_figure_per_zone_indicator_year",
                violation_error_message=ONE_FIGURE_PER_PERIOD,
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.period_label}"

    @property
    def period_label(self):
        return f"{self.year} Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def period_end(self):
        if self.quarter:
            return date(self.year, self.quarter * 3, 30 if self.quarter in (2, 3) else 31)
        return date(self.year, 12, 31)

    def is_stale(self, today=None):
        """Whether the period ended more than two years before ``today``."""
        today = today or timezone.localdate()
        end = self.period_end
        try:
            limit = end.replace(year=end.year + STALE_AFTER_YEARS)
        except ValueError:  # pragma: no cover - no period ends on 29 February
            limit = end.replace(year=end.year + STALE_AFTER_YEARS, day=28)
        return today > limit

    @property
    def shown_unit(self):
        return self.unit or self.indicator.unit

    def clean(self):
        errors = {}
        if not self.year:
            errors["year"] = _("A figure needs the year it refers to.")
        if not any(getattr(self, localized("source", code)) for code in language_codes()):
            errors[localized("source", settings.LANGUAGE_CODE)] = _("A figure needs its source.")
        if self.year and self.year > timezone.localdate().year:
            errors["year"] = _("A figure cannot refer to a year that has not begun.")
        if errors:
            raise ValidationError(errors)


class ZonePicture(models.Model):
    """A picture of a zone (the gallery); alt text required."""

    zone = models.ForeignKey(DevelopmentZone, models.CASCADE, related_name="pictures", verbose_name=_("zone"))
    image = ProcessedImageField(_("picture"), upload_to="zones/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt = models.CharField(_("alt text"), max_length=255, blank=True)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")

    def __str__(self):
        return self.alt or self.image.name.rsplit("/", 1)[-1]

    def clean(self):
        if not any(getattr(self, localized("alt", code)) for code in language_codes()):
            raise ValidationError({localized("alt", settings.LANGUAGE_CODE): _("Describe the picture (alt text).")})
