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
    """A section of the site (栏目), such as Investment Dynamics."""

    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in the address; letters, digits and hyphens."))
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Columns are listed from the lowest number.")
    )

    url_name = "news:column-detail"

    objects = ColumnQuerySet.as_manager()

    class Meta(OrderedTaxonomy.Meta):
        verbose_name = _("column")
        verbose_name_plural = _("columns")


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
