"""What website inspections score, listed on the admin's home page: columns late for their
update cycle or empty, and normative documents still without a public interpretation some
working days after publication (the State Council asks for interpretations published with
their documents; Zhengzhou's rule gives three working days). Two prompts follow (not rules):
documents whose expiry date falls within ``EXPIRY_NOTICE_DAYS``, and normative documents in
force written more than ``REVIEW_AFTER_YEARS`` years ago with no review note (行政规范性文件 are
reviewed periodically; many provinces give them five years)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from ..investment.calendar import calendar_from, is_working_day
from ..models import Article, Column
from ..models.taxonomy import update_cycle_days
from .models import DocumentMeta, DocumentRelation
from .validity import site_today

EXPIRY_NOTICE_DAYS = 60
REVIEW_AFTER_YEARS = 5


def stale_columns(now=None):
    """``(late, empty)``: columns whose newest public article is older than their update cycle,
    as ``[(column, days since, cycle)]``, and columns with no public article. One query."""
    now = now or timezone.now()
    public = Article.objects.published(now).values("pk")
    columns = Column.objects.annotate(newest=Max("articles__publish_at", filter=Q(articles__in=public)))
    late, empty = [], []
    for column in columns:
        if column.newest is None:
            empty.append(column)
            continue
        days = (now - column.newest).days
        if days > update_cycle_days(column):
            late.append((column, days, update_cycle_days(column)))
    return late, empty


def working_days_before(day, count, overrides):
    """The date ``count`` working days before the date ``day``."""
    while count > 0:
        day -= timedelta(days=1)
        if is_working_day(day, overrides):
            count -= 1
    return day


def uninterpreted_documents(now=None, days=None):
    """Public normative documents marked as needing an interpretation that have none public
    ``days`` working days (``PORTAL_INTERPRETATION_WORKING_DAYS``) after their first
    publication, oldest first, as ``DocumentMeta`` rows with their article."""
    now = now or timezone.now()
    days = settings.PORTAL_INTERPRETATION_WORKING_DAYS if days is None else days
    today = timezone.localdate(now)
    cutoff = working_days_before(today, days, calendar_from(today - timedelta(days=days * 3 + 30)))
    interpreted = DocumentRelation.objects.filter(
        to_article=OuterRef("article_id"),
        kind=DocumentRelation.Kind.INTERPRETS,
        from_article__in=Article.objects.published(now).values("pk"),
    )
    return (
        DocumentMeta.objects.filter(
            is_normative=True,
            needs_interpretation=True,
            article__in=Article.objects.published(now).values("pk"),
            article__first_published_at__date__lte=cutoff,
        )
        .exclude(Exists(interpreted))
        .select_related("article")
        .order_by("article__first_published_at")
    )


def expiring_documents(now=None, days=EXPIRY_NOTICE_DAYS):
    """Public documents in force whose last day (``expiry_date``) is today or within ``days``
    days, soonest first, as ``DocumentMeta`` rows with their article. One query."""
    today = site_today(now)
    return (
        DocumentMeta.objects.in_force(now)
        .filter(
            article__in=Article.objects.published(now).values("pk"),
            expiry_date__gte=today,
            expiry_date__lte=today + timedelta(days=days),
        )
        .select_related("article")
        .order_by("expiry_date", "pk")
    )


def years_before(day, years):
    """The date ``years`` years before ``day`` (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def unreviewed_documents(now=None, years=REVIEW_AFTER_YEARS):
    """Public normative documents in force, written more than ``years`` years ago, with no
    review note, oldest first, as ``DocumentMeta`` rows with their article. One query."""
    return (
        DocumentMeta.objects.in_force(now)
        .filter(
            article__in=Article.objects.published(now).values("pk"),
            is_normative=True,
            review_note="",
            written_date__lt=years_before(site_today(now), years),
        )
        .select_related("article")
        .order_by("written_date", "pk")
    )
