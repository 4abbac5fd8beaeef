"""Whether a policy document is in force, computed from its relations and dates, never typed
(but for the manual override "partially in force", which no rule can infer).

The rules, in order (SPEC-services.md, spec 2):

1. the manual override, if set;
2. *repealed* if a public document repeals or replaces it;
3. *expired* once its ``expiry_date`` (the last day in force) has passed, Beijing time;
4. *not yet in force* before its ``effective_date``;
5. *amended* (in force as amended) if a public document amends it;
6. else *in force*.

``validity()`` answers for one document in Python; ``validity_expression()`` is the same in SQL
for querysets (``DocumentMetaQuerySet.with_validity``); a test holds them to each other. The
dates turn over at midnight in Beijing (``change_moment``), which feeds the page cache's
schedule (``news.pagecache.version``), so a cached page turns over when a date passes.
"""

from datetime import datetime, time, timedelta

from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from ..models import Article

# Which relation kinds take a document out of force, and which leave it in force as amended.
ENDING = ("repeals", "replaces")
AMENDING = ("amends",)


def site_today(now=None):
    return timezone.localdate(now or timezone.now(), timezone.get_default_timezone())


def change_moment(day):
    """The moment ``day`` (a date) begins in Beijing: when an effective date starts to apply."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def expiry_moment(expiry_date):
    """The moment a document valid until ``expiry_date`` (its last day) expires: the next midnight."""
    return change_moment(expiry_date + timedelta(days=1))


def _public_relations(kinds, now):
    from .models import DocumentRelation

    return DocumentRelation.objects.filter(kind__in=kinds, from_article__in=Article.objects.published(now).values("pk"))


def validity(meta, now=None):
    """The ``DocumentMeta.Validity`` value of ``meta`` at ``now`` (default: now). Two queries at most."""
    Validity = type(meta).Validity
    if meta.validity_override:
        return Validity(meta.validity_override)
    now = now or timezone.now()
    today = site_today(now)
    if _public_relations(ENDING, now).filter(to_article=meta.article_id).exists():
        return Validity.REPEALED
    if meta.expiry_date and meta.expiry_date < today:
        return Validity.EXPIRED
    if meta.effective_date and meta.effective_date > today:
        return Validity.NOT_YET_IN_FORCE
    if _public_relations(AMENDING, now).filter(to_article=meta.article_id).exists():
        return Validity.AMENDED
    return Validity.IN_FORCE


def validity_expression(Validity, now=None):
    """``validity()`` as one SQL expression over ``DocumentMeta`` rows."""
    now = now or timezone.now()
    today = site_today(now)
    ended = _public_relations(ENDING, now).filter(to_article=OuterRef("article_id"))
    amended = _public_relations(AMENDING, now).filter(to_article=OuterRef("article_id"))
    return Case(
        When(~Q(validity_override=""), then="validity_override"),
        When(Exists(ended), then=Value(Validity.REPEALED.value)),
        When(expiry_date__lt=today, then=Value(Validity.EXPIRED.value)),
        When(effective_date__gt=today, then=Value(Validity.NOT_YET_IN_FORCE.value)),
        When(Exists(amended), then=Value(Validity.AMENDED.value)),
        default=Value(Validity.IN_FORCE.value),
    )
