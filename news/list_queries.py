"""The article lists' queries (a column's page, a tag's, a region's), prepared once per process
(``news/db/prepared.py``): building them with the ORM on every request (the list's subject with the
column's "carries" flag, the public filter, the most-read list with its sum, the count, a page's ids
and what its cards show) cost several times what running them did: most of a cold column page.

Each is a ``PreparedQuery`` (``PreparedRows`` for ``values_list()`` rows) whose ``build`` is a plain
queryset; with ``PORTAL_PREPARED_QUERIES = "plain"`` they run as those querysets. The SQL is the
ORM's (the count's column is named ``func1`` instead of ``__count``, and a page's select list names
each language's columns itself), so the plans and the number of queries are unchanged. A column that
carries articles of other columns (一稿多发) still builds its count, pages and most-read list with the
ORM on each request: their SQL holds the carried ids, a list as long as they are.
"""

import functools
from datetime import date, datetime

from django.http import Http404
from django.utils import translation
from django.utils.functional import cached_property

from .db.prepared import PreparedQuery, PreparedRows
from .i18n import all_columns_of
from .investment.models import DevelopmentZone
from .models import Article, ArticleLink, Column, Region, Tag
from .models.querysets import NEWEST_FIRST, most_read_since
from .pagecache.fragments import CARD_FIELDS, ShownColumns
from .pagecache.version import remembered
from .visits import TOTAL_CACHE_SECONDS


def _by_slug(queryset):
    # What get_object_or_404(queryset, slug=…) runs: get() drops the order and reads at most 21 rows.
    return PreparedQuery(lambda slug: queryset().filter(slug=slug).order_by()[:21], slug=str)


# The subject of a list page; a column with ``carries`` (news.models.taxonomy, ``with_carried_flag``).
column_by_slug = _by_slug(lambda: Column.objects.with_carried_flag())
tag_by_slug = _by_slug(lambda: Tag.objects.all())
region_by_slug = _by_slug(lambda: Region.objects.all())


def subject_or_404(query, slug):
    """The object ``query`` (one of the above) finds for ``slug``, or a 404, as ``get_object_or_404``."""
    found = query(slug=slug)
    if not found:
        raise Http404("No object matches the given query.")
    return found[0]


_carried_id_rows = PreparedRows(lambda column: Article.objects.carried_id_rows(column), column=int)


def carried_ids(column):
    """``Article.objects.carried_ids(column)``: the ids of the articles ``column`` carries."""
    return [pk for (pk,) in _carried_id_rows(column=column.pk)]


MOST_READ_COUNT = 5
MOST_READ_DAYS = 30

_most_read_in_column = PreparedRows(
    lambda column, now, since: (
        Article.objects.public(now=now).in_column(column, []).most_read(since=since).links()[:MOST_READ_COUNT]
    ),
    column=int,
    now=datetime,
    since=date,
)


# The reads behind the most-read list reach the database at most a minute late (news/visits.py), and
# an article's read count is kept as long (``visits.TOTAL_CACHE_SECONDS``): so is the list.
MOST_READ_SECONDS = TOTAL_CACHE_SECONDS


def most_read(column, carried, now):
    """The column's most read public articles over the last ``MOST_READ_DAYS`` days, as ``ArticleLink``
    rows (id, slug, title, date): all the list shows. ``carried``: ``carried_ids(column)``.

    Kept per content version (an edit of a title, a status, a column's further columns shows at
    once), language and first day of the window, never past the next scheduled change and at most
    ``MOST_READ_SECONDS`` (``news.pagecache.version.remembered``): the query sums the reads of
    every article of the column read in the window, on every page of the column."""
    since = most_read_since(MOST_READ_DAYS)
    key = f"most-read:{column.pk}:{translation.get_language()}:{since.isoformat()}"
    rows = remembered(key, lambda: _most_read_rows(column, carried, now, since), MOST_READ_SECONDS)
    return [ArticleLink(*row) for row in rows]


def _most_read_rows(column, carried, now, since):
    if not carried:
        return _most_read_in_column(column=column.pk, now=now, since=since)
    articles = Article.objects.public(now=now).in_column(column, carried)
    return list(articles.most_read(since=since).links()[:MOST_READ_COUNT])


_region_zones = PreparedQuery(
    lambda region, now: (
        DevelopmentZone.objects.public(now=now).filter(region=region).only("slug", *all_columns_of("name"))
    ),
    region=int,
    now=datetime,
)


def region_zones(region, now):
    """The region's public development zones in the page's language (only their address and name)."""
    return _region_zones(region=region.pk, now=now)


# What a list's cards show, as columns of the active language, so that the page query can be prepared.
_SHOWN = ShownColumns(CARD_FIELDS)

# Page queries kept at most: LIMIT and OFFSET are written into the SQL, so each page of a list (the
# same for every column, tag or region) is a prepared query of its own, and the least recently used
# goes (its compiled forms with it).
PAGES_KEPT = 64


@functools.lru_cache(maxsize=PAGES_KEPT)
def _page_rows(lookup, bottom, top):
    """``(pk, *CARD_FIELDS columns)`` rows of the public articles ``bottom:top`` of the list of
    ``{lookup: subject}`` (``column``, ``tags`` or ``region``), newest first: the page's ids from the
    list index alone, the rows by primary key (``IndexedPaginator``, news/views/reader.py)."""

    def build(subject, now):
        ids = _listed(lookup, subject, now).values("pk")[bottom:top]
        return (
            Article.objects.rewrite(False)
            .filter(pk__in=ids)
            .order_by(*NEWEST_FIRST)
            .values_list("pk", *_SHOWN.columns())
        )

    return PreparedRows(build, subject=int, now=datetime)


@functools.cache
def _count_row(lookup):
    """``(count,)`` of the public articles of the list of ``{lookup: subject}``."""
    return PreparedRows(lambda subject, now: _listed(lookup, subject, now).count_row(), subject=int, now=datetime)


def _listed(lookup, subject, now):
    # A column's own articles (``in_column`` without carried ones), a tag's or a region's.
    return Article.objects.public(now=now).filter(**{lookup: subject})


class ArticleList:
    """The public articles of a list page in the page's language, newest first: those listed in a
    column (``lookup="column"``: its own and ``carried``, those it carries as a further column), or
    those with a tag (``"tags"``) or a region (``"region"``); ``subject`` is the column's, tag's or
    region's id. What ``IndexedPaginator`` (news/views/reader.py) pages: ``count()`` and ``rows()``;
    the querysets are built only for what is not prepared.

    ``remember_as`` names the list when its count (a scan of its whole index, the same on every page of
    it) may be kept per content version in the shared cache (``news.pagecache.version.remembered``).
    """

    ordered = True  # newest first (Django's Paginator warns about a list that is not ordered)

    def __init__(self, lookup, subject, now, carried=(), remember_as=None):
        self.lookup, self.subject, self.now, self.carried = lookup, subject, now, list(carried)
        self.remember_as = remember_as

    @cached_property
    def listing(self):
        """For a column that carries articles of others: ``(pk, publish_at)`` rows of the list
        (``column_listing``, a ``UNION ALL`` of its own and the carried ones), what the count and a
        page's ids are read from; None for other lists."""
        if not self.carried:
            return None
        return Article.objects.public(now=self.now).column_listing(self.subject, self.carried)

    def count(self):
        if self.remember_as is None:
            return self._count()
        return remembered(f"count:{self.remember_as}", self._count)

    def _count(self):
        if self.listing is not None:
            return self.listing.count()
        return _count_row(self.lookup)(subject=self.subject, now=self.now)[0][0]

    def rows(self, bottom, top):
        """``(pk, *CARD_FIELDS)`` rows of the articles ``bottom:top``, newest first."""
        if top <= bottom:
            return []  # no query (an empty slice is no SQL, and an empty list reads no page)
        if self.listing is None:
            query = _page_rows(self.lookup, bottom, top)
            return _SHOWN.rows(query(subject=self.subject, now=self.now))
        ids = [row[0] for row in self.listing[bottom:top]]
        return list(Article.objects.filter(pk__in=ids).order_by(*NEWEST_FIRST).values_list("pk", *CARD_FIELDS))


def column_list(column, carried, now):
    """A column's ``ArticleList``, its count remembered per content version and language."""
    remember_as = f"column:{column.pk}:{translation.get_language()}"
    return ArticleList("column", column.pk, now, carried, remember_as)
