"""The article page's queries, prepared once per process (``news/db/prepared.py``): building them
with the ORM on every request cost more than all the rest of an uncached article page.

Each is a ``PreparedQuery`` (``PreparedRows`` for ``values_list()`` rows) whose ``build`` is a plain
queryset; with ``PORTAL_PREPARED_QUERIES = "plain"`` they run as those querysets.
"""

import functools
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .db.prepared import PreparedQuery, PreparedRows
from .models import Article, ArticleLink, Attachment, Tag
from .models.querysets import NEWEST_FIRST


# The article, and whether it has tags and attachments: most have neither, and then the page
# runs no query for them (two round trips fewer on PostgreSQL).
@functools.cache
def _articles_with_flags():
    """Articles with their column and region, and whether they have tags and attachments: the
    same for every request and language, so built once per process (an unevaluated queryset,
    only ever chained from, which copies it). With prepared queries off, building the two
    ``EXISTS`` subqueries was a third of building the article's query."""
    return Article.objects.select_related("column", "region").annotate(
        has_tags=Exists(Article.tags.through.objects.filter(article_id=OuterRef("pk"))),
        has_attachments=Exists(Attachment.objects.filter(article_id=OuterRef("pk"))),
    )


published_article = PreparedQuery(
    # One filter(), no ORDER BY (one row by key): less to build when not prepared.
    lambda pk, now: _articles_with_flags().filter(Article.objects.published_q(now) & Q(pk=pk)).order_by(),
    pk=int,
    now=datetime,
)
article_tags = PreparedQuery(lambda article: Tag.objects.filter(articles=article), article=int)
article_attachments = PreparedQuery(lambda article: Attachment.objects.filter(article=article), article=int)
neighbours_in_column = PreparedRows(
    lambda column, at, pk, now, older_than: Article.objects.neighbours(column, at, pk, now, older_than),
    column=int,
    at=datetime,
    pk=int,
    now=datetime,
    older_than=datetime,
)

RELATED_ARTICLES = 5


def _newest(articles, limit=RELATED_ARTICLES):
    return articles.order_by(*NEWEST_FIRST)[:limit]


# The newest public articles of a column, and those sharing a tag with an article, but that
# article: each query walks an index and stops (a single "column OR tag" query had the database
# collect and sort every public article of the column).
related_in_column = PreparedRows(
    lambda article, column, now: _newest(
        Article.objects.links().filter(Article.objects.public_q(now=now) & Q(column_id=column) & ~Q(pk=article))
    ),
    article=int,
    column=int,
    now=datetime,
)
related_by_tag = PreparedRows(
    lambda article, now: _newest(
        Article.objects.links().public(now=now).sharing_a_tag_with(article).exclude(pk=article)
    ),
    article=int,
    now=datetime,
)


def related_articles(article, now=None, tags=None):
    """Public articles in the page's language sharing a tag or the column, newest first, as
    ``ArticleLink`` rows.

    ``tags`` are the article's (read when not given); without any, no tag query is run.
    """
    now = now or timezone.now()
    if tags is None:
        tags = article_tags(article=article.pk)
    rows = related_in_column(article=article.pk, column=article.column_id, now=now)
    if tags:
        rows += related_by_tag(article=article.pk, now=now)
    found = {row[0]: ArticleLink._make(row) for row in rows}
    return sorted(found.values(), key=lambda link: (link.publish_at, link.pk), reverse=True)[:RELATED_ARTICLES]


def neighbours(article, now=None):
    """``{"previous_article": ArticleLink or None, "next_article": …}`` in the article's column."""
    now = now or timezone.now()
    at = article.publish_at
    values = {"column": article.column_id, "at": at, "pk": article.pk, "now": now, "older_than": min(at, now)}
    found = {"previous_article": None, "next_article": None}
    for other in map(ArticleLink._make, neighbours_in_column(**values)):
        older = (other.publish_at, other.pk) < (article.publish_at, article.pk)
        found["previous_article" if older else "next_article"] = other
    return found
