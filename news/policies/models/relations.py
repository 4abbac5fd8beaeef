"""Relations between policy documents (关联关系) and the rules for publishing a document of a policy
or interpretation column."""

from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ...models import Article, Column
from .documents import DocumentMeta

# The PostgreSQL advisory lock held while a relation that must not loop is checked and saved.
RELATION_LOCK = 0x706F6C72  # "polr"


class DocumentRelation(models.Model):
    """关联关系: ``from_article`` interprets, amends, repeals, replaces, implements, or is the
    consultation draft of ``to_article``. Shown on both pages, each side in its own words
    (``Kind.forward`` and ``Kind.backward``). Repeals, replaces and amends never form a cycle."""

    class Kind(models.TextChoices):
        INTERPRETS = "interprets", _("interprets")
        AMENDS = "amends", _("amends")
        REPEALS = "repeals", _("repeals")
        REPLACES = "replaces", _("replaces")
        IMPLEMENTS = "implements", _("implements")
        DRAFT_OF = "draft_of", _("is the consultation draft of")

    # How the other document's page names a relation pointing at it.
    BACKWARD = {
        Kind.INTERPRETS: _("interpreted by"),
        Kind.AMENDS: _("amended by"),
        Kind.REPEALS: _("repealed by"),
        Kind.REPLACES: _("replaced by"),
        Kind.IMPLEMENTS: _("implemented by"),
        Kind.DRAFT_OF: _("consultation draft"),
    }
    # The kinds whose chains must not loop back.
    ACYCLIC = (Kind.REPEALS, Kind.REPLACES, Kind.AMENDS)
    LOOP = _(
        "This would make a loop: the other document already amends, repeals or replaces this one, "
        "directly or through others."
    )

    from_article = models.ForeignKey(
        Article, models.CASCADE, related_name="document_relations", verbose_name=_("document")
    )
    to_article = models.ForeignKey(
        Article, models.CASCADE, related_name="document_relations_in", verbose_name=_("related document")
    )
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("document relation")
        verbose_name_plural = _("document relations")
        constraints = [
            models.UniqueConstraint(fields=["from_article", "to_article", "kind"], name="one_relation_per_kind"),
            models.CheckConstraint(condition=~Q(from_article=F("to_article")), name="relation_not_to_itself"),
        ]

    def __str__(self):
        return f"{self.from_article_id} {self.kind} {self.to_article_id}"

    def save(self, *args, **kwargs):
        """Saved only if it closes no loop, checked again under a lock: two relations validated
        at the same time, each against a graph without the other (two editors, or two forms),
        could otherwise close a loop together. SQLite's write transactions are IMMEDIATE (one
        writer at a time); PostgreSQL takes a transaction-level advisory lock. Raises
        ``ValidationError`` (and saves nothing) when the loop would be closed."""
        with transaction.atomic(using=kwargs.get("using")):
            if self.kind in self.ACYCLIC:
                connection = connections[kwargs.get("using") or router.db_for_write(type(self))]
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RELATION_LOCK])
                if self._closes_a_cycle():
                    raise ValidationError({"to_article": self.LOOP})
            super().save(*args, **kwargs)

    def clean(self):
        if self.from_article_id and self.from_article_id == self.to_article_id:
            raise ValidationError({"to_article": _("A document cannot be related to itself.")})
        if self.kind in self.ACYCLIC and self.from_article_id and self.to_article_id and self._closes_a_cycle():
            raise ValidationError({"to_article": self.LOOP})

    def backward_label(self):
        return self.BACKWARD[self.Kind(self.kind)]

    def _closes_a_cycle(self):
        """Whether ``to_article`` already leads back to ``from_article`` through the acyclic kinds."""
        edges = DocumentRelation.objects.filter(kind__in=self.ACYCLIC).exclude(pk=self.pk)
        seen, frontier = set(), {self.from_article_id}
        # Walk backwards from the source: who (transitively) amends/repeals/replaces it.
        while frontier:
            if self.to_article_id in frontier:
                return True
            seen |= frontier
            frontier = set(edges.filter(to_article__in=frontier).values_list("from_article_id", flat=True)) - seen
        return False


def is_policy_column(column):
    return column is not None and column.kind == Column.Kind.POLICY


def is_interpretation_column(column):
    return column is not None and column.kind == Column.Kind.INTERPRETATION


INTERPRETS_NOTHING = _(
    "An interpretation is published only with the document it interprets: name it under “Related documents”."
)


def publish_faults(article):
    """``{field: message}`` that keep ``article`` from being published as a policy document:
    in a policy column, its metadata must exist and be complete (``DocumentMeta.publish_faults``);
    in an interpretation column, it must name the document it interprets."""
    column = getattr(article, "column", None)
    if is_interpretation_column(column):
        named = (
            article.pk
            and DocumentRelation.objects.filter(from_article=article, kind=DocumentRelation.Kind.INTERPRETS).exists()
        )
        return {} if named else {"column": INTERPRETS_NOTHING}
    if not is_policy_column(column):
        return {}
    meta = DocumentMeta.objects.filter(article=article).first() if article.pk else None
    if meta is None:
        return {
            "column": _(
                "A policy document is published only with its metadata (topic, issuer, date written, document "
                "number): save it as a draft in its policy column, then fill in the document's metadata."
            )
        }
    return meta.publish_faults(article)
