"""The article page's queries, prepared once per process (``news/db/prepared.py``): building them
with the ORM on every request cost more than all the rest of an uncached article page.

Each is a ``PreparedQuery`` (``PreparedRows`` for ``values_list()`` rows) whose ``build`` is a plain
queryset; with ``PORTAL_PREPARED_QUERIES = "plain"`` they run as those querysets.
"""

import functools
from datetime import UTC, datetime

from django.db.models import Exists, Func, IntegerField, OuterRef, Q, Subquery
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


# Articles a tag's ``article_count`` counts at most. Counting reads the tag's index entries one by
# one on every page of an article with the tag: uncapped, 11 µs for 400 entries on SQLite and
# 0.4–0.9 ms for 20,000. Capped, it costs more per entry (23 µs for 400: SQLite collects the entries
# before counting them) but at most what 1,000 entries do (52 µs), and ``walks_newest_first`` still
# chooses exactly for up to ``TAG_COUNT_CAP² ÷ RELATED_ARTICLES`` article ids (200,000); past
# that a larger tag counts as the cap, which errs towards the tag's list.
TAG_COUNT_CAP = 1000


def _tags_with_sizes(article):
    """Article ``article``'s tags, each with ``article_count`` (how many articles hold it, any
    status or language, up to ``TAG_COUNT_CAP``), and ``first_article_id`` and ``last_article_id``
    (the smallest and largest article ids): what ``related_articles`` chooses its query by. Each
    reads an index only (the tag's entries up to the cap, one end of the ids)."""
    tagged = Article.tags.through.objects.filter(tag_id=OuterRef("pk")).order_by().values("tag_id")
    ids = Article.objects.rewrite(False).values("pk")
    # COUNT(*) of the first entries, in SQL: an aggregate (Count) would add a GROUP BY, which SQLite
    # runs row by row (19 us against 11 us for a 400-article tag), and cannot count a LIMIT.
    count = Func(
        Subquery(tagged[:TAG_COUNT_CAP]),
        template="(SELECT COUNT(*) FROM %(expressions)s AS tag_entries)",
        output_field=IntegerField(),
    )
    return Tag.objects.filter(articles=article).annotate(
        article_count=count,
        first_article_id=Subquery(ids.order_by("pk")[:1]),
        last_article_id=Subquery(ids.order_by("-pk")[:1]),
    )


article_tags = PreparedQuery(_tags_with_sizes, article=int)
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


# The newest public articles of a column but an article: the query walks the column index and
# stops. The column and the tags are asked apart (a single "column OR tag" query had the database
# collect and sort every public article of the column).
related_in_column = PreparedRows(
    lambda article, column, now: _newest(
        Article.objects.links().filter(Article.objects.public_q(now=now) & Q(column_id=column) & ~Q(pk=article))
    ),
    article=int,
    column=int,
    now=datetime,
)


def _sharing_a_tag(select):
    """The newest public articles sharing a tag with an article but it, since a moment, as a
    ``PreparedRows`` of ``links()``: ``select(articles, article)`` narrows ``articles`` to those
    sharing a tag with article ``article``."""
    return PreparedRows(
        lambda article, now, since: _newest(
            select(Article.objects.links().public(now=now).filter(publish_at__gte=since), article).exclude(pk=article)
        ),
        article=int,
        now=datetime,
        since=datetime,
    )


# Two ways to the same rows: by the tags' lists (read whole, then sorted: the cheaper for a tag of a
# few articles), and newest first down the language's index, testing each (stops at the fifth: the
# cheaper for a large tag). ``walks_newest_first`` chooses.
related_by_tag = _sharing_a_tag(lambda articles, article: articles.sharing_a_tag_with(article))
related_by_tag_newest_first = _sharing_a_tag(lambda articles, article: articles.each_sharing_a_tag_with(article))

# Earlier than any article: "since" when the column does not bound the tag query.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)


def walks_newest_first(tags, since):
    """Whether the articles sharing one of ``tags`` (``article_tags`` rows) since ``since`` are
    best found newest first (``related_by_tag_newest_first``) rather than from the tags' lists
    (``related_by_tag``); either gives the same rows, and on PostgreSQL, whose planner weighs the
    two itself, the choice changes little. On SQLite the walk reads about
    ``RELATED_ARTICLES × articles ÷ tagged`` rows, the lists ``tagged`` (articles counted by the span
    of their ids; per row the two cost about the same, docs/benchmarks.md): the walk is chosen when
    it should read fewer, and only when the column bounds it (``since`` is not ``EARLIEST``): a walk
    with nothing to stop it but five matches reads every article of the language when the tags are
    old (5 ms instead of 0.9 ms for a 2,000-article tag among 20,000 articles, measured). With the
    bound, the bad case left is a large tag with no recent article on the page of a column that
    publishes rarely: the walk then reads every article since the column's fifth newest."""
    if since == EARLIEST:
        return False
    tagged = sum(tag.article_count or 0 for tag in tags)
    articles = (tags[0].last_article_id or 0) - (tags[0].first_article_id or 0) + 1
    return tagged * tagged >= RELATED_ARTICLES * articles


def related_articles(article, now=None, tags=None):
    """Public articles in the page's language sharing a tag or the column, newest first, as
    ``ArticleLink`` rows (at most ``RELATED_ARTICLES``).

    ``tags`` are the article's, from ``article_tags`` (read when not given); without any, no tag
    query is run. Once the column has given its newest, an article sharing a tag can only be
    among them if it is no older than the last of those: the tag query starts there.
    """
    now = now or timezone.now()
    if tags is None:
        tags = article_tags(article=article.pk)
    rows = related_in_column(article=article.pk, column=article.column_id, now=now)
    if tags:
        since = rows[-1][3] if len(rows) == RELATED_ARTICLES else EARLIEST
        query = related_by_tag_newest_first if walks_newest_first(tags, since) else related_by_tag
        rows += query(article=article.pk, now=now, since=since)
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
