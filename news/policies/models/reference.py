"""Reference data that policy documents name: issuers (发文机关), the topic list (主题分类) and
the index-number serials (索引号)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class Issuer(models.Model):
    """发文机关: a body that issues documents. ``short_name`` is its document-number prefix
    (机关代字, 吉政发); ``org_code`` the code index numbers begin with (the central government's
    catalogue uses the 9-character organisation code, 000014349; a province may use its
    18-character unified social credit code)."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        PREFECTURE = "prefecture", _("City or prefecture")
        DEPARTMENT = "department", _("Department")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    short_name = models.CharField(
        _("document-number prefix"),
        max_length=20,
        blank=True,
        help_text=_("The issuer's abbreviation at the start of its document numbers, such as 吉政发."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.PROVINCIAL)
    org_code = models.CharField(
        _("organisation code"),
        max_length=18,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Z]{6,18}$", _("6 to 18 digits or capital letters, such as 000014349."), code="org_code"
            )
        ],
        help_text=_("The code index numbers begin with (组织机构代码 or 统一社会信用代码)."),
    )
    website = models.URLField(_("website"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")

    def __str__(self):
        return self.name or self.slug


class TopicCategory(models.Model):
    """主题分类: the State Council policy library's topics, two levels (商贸、海关、旅游 ›
    对外经贸合作). A document is filed under a second-level topic."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    code = models.CharField(_("code"), max_length=10, unique=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent topic")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return f"{self.parent} › {self.name}" if self.parent_id else self.name

    def clean(self):
        if self.parent_id and (self.parent.parent_id or self.parent_id == self.pk):
            raise ValidationError(
                {"parent": _("Topics have two levels: a subtopic's parent must be a top-level topic.")}
            )


class IndexSerial(models.Model):
    """The last index-number serial handed out per issuer and year. It only goes up: a deleted
    document leaves a gap, as official catalogues do, and a number typed by hand above it
    moves it up to that number."""

    issuer = models.ForeignKey(Issuer, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="one_index_serial_per_issuer_and_year")]

    def __str__(self):
        return f"{self.issuer_id} {self.year}: {self.last}"

    @classmethod
    def take(cls, issuer, year):
        """The next serial of ``issuer`` in ``year`` (1, 2, …); call inside the saving transaction.

        The UPDATE locks the counter row until commit (SQLite: the whole database), so two
        publishes at once wait for each other and get two numbers; a rolled-back publish gives
        its number back. ``get_or_create`` catches the unique constraint when two create the
        row at once (the loser's insert waits for the winner's commit, then reads its row).
        """
        cls.objects.get_or_create(issuer=issuer, year=year)
        cls.objects.filter(issuer=issuer, year=year).update(last=F("last") + 1)
        return cls.objects.values_list("last", flat=True).get(issuer=issuer, year=year)

    @classmethod
    def reach(cls, issuer, year, serial):
        """Move the counter up to ``serial`` (a number typed by hand or imported), never down."""
        cls.objects.get_or_create(issuer=issuer, year=year)
        cls.objects.filter(issuer=issuer, year=year, last__lt=serial).update(last=serial)
