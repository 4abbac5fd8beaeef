"""The newsroom's work lists on the admin's home page, per person and role: my drafts, sent back
to me (with the review comments), awaiting review, scheduled, recently published. Each list is
one query of at most ``LIMIT`` rows plus one count."""

from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import revisions, workflow
from .i18n import all_columns_of
from .models import Article

LIMIT = 5
Status = Article.Status


def _list(title, queryset, query, note=None):
    changelist = reverse("admin:news_article_changelist")
    rows = list(queryset.select_related("updated_by")[:LIMIT])
    return {
        "title": title,
        "count": queryset.count(),
        "url": f"{changelist}?{urlencode(query)}",
        "articles": [
            {
                "article": article,
                "url": reverse("admin:news_article_change", args=[article.pk]),
                "note": note(article) if note else "",
            }
            for article in rows
        ],
    }


def worklists(user, now=None):
    """The lists ``user`` sees: ``[{"title", "count", "url", "articles": [{"article", "url", "note"}]}]``."""
    now = now or timezone.now()
    articles = Article.objects.defer(*all_columns_of("body")).annotate(last_change_comment=revisions.latest_comment())
    mine = articles.filter(created_by=user)
    lists = [
        _list(
            _("Sent back to me"),
            mine.filter(status=Status.DRAFT, last_change_comment__contains='"send_back"').order_by("-updated_at"),
            {"mine": "1", "status__exact": Status.DRAFT},
            note=lambda article: revisions.comment_text(article.last_change_comment),
        ),
        _list(
            _("My drafts"),
            mine.filter(status=Status.DRAFT).order_by("-updated_at"),
            {"mine": "1", "status__exact": Status.DRAFT},
        ),
    ]
    if workflow.can_publish(user):
        lists.append(
            _list(
                _("Awaiting my review"),
                articles.filter(status=Status.REVIEW).order_by("updated_at"),
                {"status__exact": Status.REVIEW},
            )
        )
    else:
        lists.append(
            _list(
                _("My articles in review"),
                mine.filter(status=Status.REVIEW).order_by("-updated_at"),
                {"mine": "1", "status__exact": Status.REVIEW},
            )
        )
    lists.append(
        _list(
            _("Scheduled"),
            articles.filter(status=Status.PUBLISHED, publish_at__gt=now).order_by("publish_at"),
            {"status__exact": Status.PUBLISHED},
        )
    )
    recent = articles.filter(status=Status.PUBLISHED, publish_at__lte=now, publish_at__gt=now - timedelta(days=7))
    lists.append(
        _list(_("Published in the last 7 days"), recent.order_by("-publish_at"), {"status__exact": Status.PUBLISHED})
    )
    return lists
