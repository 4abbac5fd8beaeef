"""The search index of projects and zones: one row per (kind, object, language) it is written in."""

from django.db import models


class ServiceSearchDocument(models.Model):
    """A project's or zone's words in one language (``news.investment.search``).

    ``words`` and ``title_words`` are the segmented, normalised and stemmed words separated and
    framed by spaces, so that `` 新能源 `` matches a whole word; ``text`` the plain text for snippets.
    """

    class Kind(models.TextChoices):
        PROJECT = "project"
        ZONE = "zone"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=10)
    title_words = models.TextField()
    words = models.TextField()
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "language"], name="service_search_one_per_language")
        ]
        indexes = [models.Index(fields=["language", "kind"], name="service_search_language")]

    def __str__(self):
        return f"{self.kind} {self.object_id}/{self.language}"
