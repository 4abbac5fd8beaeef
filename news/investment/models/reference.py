"""Reference data of the investor services: sectors, the desks that answer, the working-day
calendar, and the serial counters behind reference numbers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Sector(models.Model):
    """行业领域: a sector, or a sub-sector one level below one (two levels at most).

    ``gb_code`` is the optional GB/T 4754 (国民经济行业分类) code, for exchanging statistics.
    """

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent sector")
    )
    gb_code = models.CharField(_("GB/T 4754 code"), max_length=5, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return f"{self.parent} › {self.name}" if self.parent_id else self.name

    def clean(self):
        if self.parent_id and (self.parent.parent_id or self.parent_id == self.pk):
            raise ValidationError(
                {"parent": _("Sectors have two levels: a sub-sector's parent must be a top-level sector.")}
            )


class EnquiryDesk(models.Model):
    """受理窗口: an office that answers enquiries, with its public contact details.

    ``languages`` lists the language codes (from ``LANGUAGES``) the desk replies in; ``sectors`` and
    ``regions`` are what it is responsible for (routing, ``news.investment.routing``); ``members``
    see its enquiries and are notified of new ones. Deadlines are in working days.
    """

    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("public e-mail"), help_text=_("Shown to readers; replies go out with this Reply-To."))
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, help_text=_("An office number, never a personal mobile.")
    )
    office_hours = models.CharField(_("office hours"), max_length=100, blank=True)
    languages = models.JSONField(_("languages answered"), default=list, blank=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="desks", verbose_name=_("sectors"))
    regions = models.ManyToManyField("news.Region", blank=True, related_name="desks", verbose_name=_("regions"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="enquiry_desks", verbose_name=_("members")
    )
    is_default = models.BooleanField(_("default desk"), default=False)
    acknowledge_days = models.PositiveSmallIntegerField(_("working days to acknowledge"), default=2)
    answer_days = models.PositiveSmallIntegerField(_("working days to answer"), default=10)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("enquiry desk")
        verbose_name_plural = _("enquiry desks")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_desk"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        codes = {code for code, _name in settings.LANGUAGES}
        if not isinstance(self.languages, list) or not set(self.languages) <= codes:
            raise ValidationError({"languages": _("Choose languages from the site's languages.")})
        if self.acknowledge_days > self.answer_days:
            raise ValidationError(
                {"acknowledge_days": _("The time to acknowledge cannot be longer than the time to answer.")}
            )


class WorkingDay(models.Model):
    """工作日历: a day that differs from the usual week: a holiday on a weekday, or a make-up
    working day (调休) on a weekend. Days not listed are working days from Monday to Friday.

    China moves working days around its holidays each year (the State Council's notice on
    holiday arrangements); the site administrator enters them here.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("working-day calendar")

    def __str__(self):
        return f"{self.date} {self.note}".strip()


class Serial(models.Model):
    """The last number handed out per kind and year, so that reference numbers are never reused."""

    kind = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="one_serial_per_kind_and_year")]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"

    @classmethod
    def next(cls, kind, year):
        """The next number of ``kind`` in ``year`` (1, 2, …); call inside the transaction that uses it.

        The UPDATE locks the row until commit (SQLite: the whole database), so two saves never
        get the same number; a rolled-back save gives its number back.
        """
        cls.objects.get_or_create(kind=kind, year=year)
        cls.objects.filter(kind=kind, year=year).update(last=F("last") + 1)
        return cls.objects.values_list("last", flat=True).get(kind=kind, year=year)
