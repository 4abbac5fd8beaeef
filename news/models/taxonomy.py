"""How articles are grouped: columns (栏目), the province's regions, and tags."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..addresses import address


class Taxonomy(models.Model):
    """A named group of articles with its own page: ``name`` (translated), a unique ``slug``,
    and the address ``url_name`` reverses with the slug."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)

    url_name = None

    class Meta:
        abstract = True

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return address(self.url_name, slug=self.slug)


class OrderedTaxonomy(Taxonomy):
    """A ``Taxonomy`` listed in the order staff give it (lowest first)."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


class ColumnQuerySet(models.QuerySet):
    def with_carried_flag(self):
        """Each column with ``carries``: whether it lists articles of other columns as a further
        column (一稿多发), so that pages read their ids only then (no query more for the others)."""
        through = self.model.further_articles.through.objects.filter(column=models.OuterRef("pk"))
        return self.annotate(carries=models.Exists(through))


class Column(OrderedTaxonomy):
    """A section of the site (栏目), such as Investment Dynamics.

    ``kind`` says what its articles are: in a *policy* column each article is a government
    document and carries the document's metadata (``news.policies``).
    """

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        POLICY = "policy", _("Policy documents")
        INTERPRETATION = "interpretation", _("Policy interpretations")
        NOTICE = "notice", _("Notices")
        ANNUAL_REPORT = "annual_report", _("Annual reports")

    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in the address; letters, digits and hyphens."))
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Columns are listed from the lowest number.")
    )

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.NEWS,
        help_text=_(
            "Articles in a policy column are government documents with their metadata (index number, issuer…)."
        ),
    )

    update_cycle_days = models.PositiveSmallIntegerField(
        _("update cycle (days)"),
        null=True,
        blank=True,
        help_text=_(
            "The column is late when nothing new has been published for this many days. Empty: 14 days for news, "
            "180 for the other kinds."
        ),
    )

    url_name = "news:column-detail"

    objects = ColumnQuerySet.as_manager()
    # Inspections fail a column left without an update for longer than its cycle (SPEC-services.md, quick wins).
    DEFAULT_UPDATE_CYCLE_DAYS = {Kind.NEWS: 14}
    OTHER_UPDATE_CYCLE_DAYS = 180

    class Meta(OrderedTaxonomy.Meta):
        verbose_name = _("column")
        verbose_name_plural = _("columns")


def update_cycle_days(column):
    """How many days ``column`` may go without a new article: its own cycle, else its kind's."""
    if column.update_cycle_days:
        return column.update_cycle_days
    return Column.DEFAULT_UPDATE_CYCLE_DAYS.get(column.kind, Column.OTHER_UPDATE_CYCLE_DAYS)


class Region(OrderedTaxonomy):
    """One of the province's cities and prefectures (市州), for browsing news by place."""

    url_name = "news:region-detail"

    class Meta(OrderedTaxonomy.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Tag(Taxonomy):
    """A topic that cuts across columns, such as new-energy vehicles."""

    url_name = "news:tag-detail"

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
