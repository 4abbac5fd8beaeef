"""Derived data kept beside the content: visit and read counts (``news/visits.py``), the
search index (``news/search.py``) and the content version (``news/pagecache/version.py``).
Saving these never empties the page cache."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .articles import Article


class DailyVisits(models.Model):
    """Visits to the site per day. The site total is their sum (see visits.py)."""

    day = models.DateField(_("day"), unique=True)
    count = models.PositiveBigIntegerField(_("visits"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily visits")
        verbose_name_plural = _("daily visits")

    def __str__(self):
        return f"{self.day}: {self.count}"


class ArticleDailyReads(models.Model):
    """Reads of an article per day: the article's count is their sum; "most read" sums a window."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="daily_reads", verbose_name=_("article"))
    day = models.DateField(_("day"))
    count = models.PositiveBigIntegerField(_("reads"), default=0)

    class Meta:
        verbose_name = _("daily reads")
        verbose_name_plural = _("daily reads")
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="article_reads_per_day")]
        indexes = [models.Index(fields=["day", "article"], name="article_reads_by_day")]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.count}"


class SearchDocument(models.Model):
    """An article's words in one language, as the search index holds them (see search.py)."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="search_documents")
    language = models.CharField(max_length=10)
    title = models.TextField()
    body = models.TextField()
    text = models.TextField(help_text="Plain text for result snippets.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="search_document_per_language")]

    def __str__(self):
        return f"{self.article_id}/{self.language}"


class ContentVersion(models.Model):
    """One row: the content version every cached page must carry, as last written by a change.

    The shared cache holds the copy that pages are checked against; this one survives a cache
    that could not be written when the content changed, and each process puts it back in the
    cache when they differ (``news/pagecache/version.py``).
    """

    version = models.CharField(_("version"), max_length=40)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self):
        return self.version
