"""``ArticleQuerySet``: which articles a reader may see (``published()``, the one gate for "public",
and ``public(language)``), and the queries the reader pages build on it (lists, archives, most
read, neighbours, related articles, the next scheduled change).

Lists filter and count on the ``available_<code>`` columns, through indexes that hold them, so
they never read a row's bodies (docs/benchmarks.md has the numbers).
"""

from datetime import timedelta

from django.db import connections, models
from django.db.models import CharField, Exists, Func, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Substr
from django.utils import timezone, translation

from ..i18n import availability_name, localized
from .taxonomy import Column

# The order of every article list: newest first, the id breaking ties.
NEWEST_FIRST = ("-publish_at", "-pk")


def _available_q(language):
    # ``IN (true)`` rather than ``= true``: Django writes the latter as a bare column, which
    # SQLite's planner cannot match to an index; both databases read ``IN (x)`` as ``= x``.
    return Q(**{f"{availability_name(language)}__in": [True]})


# What lists, feeds and the home page show of an article (modeltranslation adds every language).
LISTING_FIELDS = (
    "column",
    "title",
    "summary",
    "slug",
    "publish_at",
    "cover_image",
    "cover_width",
    "cover_height",
    "cover_alt",
    # A list item's card is kept under it (news/pagecache/fragments.py).
    "updated_at",
)


def most_read_since(days):
    """The first day of the last ``days`` days, today included (in the current time zone)."""
    return timezone.localdate() - timedelta(days=days - 1)


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None, due_by=None):
        """The one gate for "public": published, due, and not yet withdrawn.

        ``due_by``, a moment no later than ``now``, bounds the publishing time instead of ``now``
        (those due by then): the neighbours' walk down a column index starts there."""
        return self.filter(self.published_q(now, due_by))

    def published_q(self, now=None, due_by=None):
        """``published()``'s condition as a ``Q``, to be given to one ``filter()`` with others: each
        ``filter()`` call clones the query and resolves its lookups again, which is most of
        building the article page's queries when they are not prepared (news/db/prepared.py)."""
        now = now or timezone.now()
        return Q(status=self.model.Status.PUBLISHED, publish_at__lte=due_by or now) & (
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
        )

    def available_in(self, language=None):
        """Articles whose title and body are written in ``language`` (default: active)."""
        return self.filter(_available_q(language or translation.get_language()))

    def public(self, language=None, now=None, due_by=None):
        """What a reader of ``language`` may see: published and written in that language
        (``due_by``: see ``published``)."""
        return self.filter(self.public_q(language, now, due_by))

    def public_q(self, language=None, now=None, due_by=None):
        """``public()``'s condition as a ``Q`` (see ``published_q``)."""
        return self.published_q(now, due_by) & _available_q(language or translation.get_language())

    def archive_months(self):
        """The months, in the current time zone, that hold at least one of these articles, newest
        first: what ``datetimes("publish_at", "month", order="DESC")`` gives, in one query.

        On SQLite ``datetimes()`` converts every row's time with a Python function (about a second
        for a column of 50,000 articles). There the rows are grouped by their UTC month in SQL
        instead, and only each group's first and last time are converted: a UTC month overlaps
        at most two local months, and if its rows fall in both, its first row is in the earlier
        and its last row in the later one.
        """
        if connections[self.db].vendor != "sqlite":
            return list(self.datetimes("publish_at", "month", order="DESC"))
        zone = timezone.get_current_timezone()
        groups = (
            self.order_by()
            .annotate(utc_month=Substr(Cast("publish_at", CharField()), 1, 7))
            .values("utc_month")
            .annotate(first=Min("publish_at"), last=Max("publish_at"))
            .values_list("first", "last")
        )
        months = {
            timezone.localtime(moment, zone).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
            for pair in groups
            for moment in pair
        }
        return sorted(months, reverse=True)

    def in_column(self, column, carried=None):
        """These articles listed in ``column`` (a ``Column`` or its id): those it is the primary column
        of and those it carries as a further column (一稿多发); ``carried`` is ``carried_ids(column)``
        when the caller has it (then no subquery), an empty list the plain column filter.

        An ``OR`` of two lookups: for lists bounded otherwise (an archive's month, most read). A
        list paged through the whole column uses ``column_listing`` instead.
        """
        if carried is None:
            carried = self._carried_by(column)
        elif not carried:
            return self.filter(column=column)
        return self.filter(Q(column=column) | Q(pk__in=carried))

    def _carried_by(self, column):
        return self.model.further_columns.through.objects.filter(column=column).values("article_id")

    def carried_ids(self, column):
        """The ids of the articles ``column`` carries as a further column (any status): one query on
        the further-column table's column index."""
        return [pk for (pk,) in self.carried_id_rows(column)]

    def carried_id_rows(self, column):
        """``carried_ids(column)`` as ``(id,)`` rows (a ``values_list()`` query, which can be prepared)."""
        return self._carried_by(column).order_by("article_id").values_list("article_id")

    def column_listing(self, column, carried):
        """``(pk, publish_at)`` rows of the articles ``column`` lists, newest first: its own, read
        from its list index alone, and ``carried`` (``carried_ids(column)``), found by primary key.
        Slice it.

        With ``carried`` it is a ``UNION ALL`` of the two, so that the database merges an ordered
        walk of the column's index with a sort of the few carried rows and stops at the page,
        whatever the column's size. An ``OR`` of the two made the database collect and sort the
        whole column; a subquery on the further-column table made SQLite walk every public article.
        An article is never in both parts (its primary column is never one of its further columns).
        """
        own = self.filter(column=column).order_by().values_list("pk", "publish_at")
        if carried:
            others = self.filter(pk__in=carried).exclude(column=column).order_by().values_list("pk", "publish_at")
            own = own.union(others, all=True)
        return own.order_by("-publish_at", "-pk")

    def count_row(self):
        """``(count,)``: what ``count()`` reads, as a ``values_list()`` query (which can be prepared,
        news/db/prepared.py): the same ``SELECT COUNT(*) … WHERE …``. ``COUNT(*)`` as a plain function,
        not the ``Count`` aggregate: an aggregate in ``values_list()`` groups by every field."""
        return self.order_by().rewrite(False).values_list(Func(template="COUNT(*)", output_field=IntegerField()))

    def most_read(self, days=30, since=None):
        """Ordered by reads over the last ``days`` days (only articles read in that window): from the
        day ``since``, the first of them (``most_read_since(days)``, given when prepared)."""
        since = since or most_read_since(days)
        return (
            self.filter(daily_reads__day__gte=since)
            .annotate(recent_reads=Sum("daily_reads__count"))
            .order_by("-recent_reads", "-publish_at")
        )

    def for_listing(self):
        """Rows for lists: the column joined and only what list templates show (never a body).

        Fewer columns make each of the many rows on a page cheaper to fetch and build.
        A template that shows another field makes a query per row, which the query-count
        tests catch.
        """
        return self.select_related("column").only(*LISTING_FIELDS)

    def next_schedule_change(self, after):
        """The first scheduled publish or unpublish time after ``after``, or None.

        One query with two indexed lookups (``article_list``, ``article_schedule``); the
        page cache keeps nothing past this time, so scheduled publishing needs no job.
        """
        row = self.schedule_row(after)
        times = [row[name] for name in ("next_publish", "next_unpublish") if row and row[name] is not None]
        return min(times, default=None)

    def schedule_row(self, after, **also):
        """``{"next_publish": …, "next_unpublish": …, **also}`` in one query, or None when there is no
        article; ``also`` are more scalar subqueries (other kinds' schedules) read in the same query."""
        published = self.model.objects.filter(status=self.model.Status.PUBLISHED).order_by()

        def first(field):
            return Subquery(published.filter(**{f"{field}__gt": after}).order_by(field).values(field)[:1])

        row = (
            self.model.objects.order_by()
            .annotate(next_publish=first("publish_at"), next_unpublish=first("unpublish_at"), **also)
            .values("next_publish", "next_unpublish", *also)[:1]
        )
        return next(iter(row), None)

    def newest_own_per_column(self, count):
        """``(column id, id, id, …)`` rows, one per column: the ids of the ``count`` newest of these
        articles it owns, ``None`` past its last. A scalar subquery per position, each a short walk
        down the column's list index, so the cost does not grow with the number of articles (a
        window function over every public article would)."""
        own = self.filter(column=OuterRef("pk")).order_by(*NEWEST_FIRST).values("pk")
        return (
            Column.objects.order_by()
            .rewrite(False)  # no translated field read; plain values_list() rows (news/db/prepared.py)
            .values_list("pk", *(Subquery(own[position : position + 1]) for position in range(count)))
        )

    def further_column_rows(self):
        """``(column id, article id)``: every article a column carries as a further column."""
        return self.model.further_columns.through.objects.order_by().values_list("column_id", "article_id")

    def newest_ids_per_column(self, count, own=None, carried=None):
        """``{column id: [ids]}``: for every column, the ids of the ``count`` newest of these articles
        it owns and of the ``count`` newest it carries as a further column (一稿多发); the caller, who
        reads the rows, keeps the ``count`` newest of both.

        The own ones in one query (``newest_own_per_column``). The carried ones in one more query on
        the further-column table (``further_column_rows``) and, when it has rows, one that reads those
        articles by primary key (a subquery per column walked every public article on SQLite): these
        grow with the number of articles carried by further columns, not with the number of articles.
        ``own`` and ``carried`` are the rows of the first two when the caller has read them (the home
        page prepares them once per process: news/home_queries.py).
        """
        if own is None:
            own = self.newest_own_per_column(count)
        if carried is None:
            carried = self.further_column_rows()
        found = {column: [pk for pk in ids if pk is not None] for column, *ids in own}
        articles = {}
        for column, article in carried:
            articles.setdefault(article, []).append(column)
        if not articles:
            return found
        newest = {}
        for pk, when, primary in self.filter(pk__in=list(articles)).values_list("pk", "publish_at", "column"):
            for column in articles[pk]:
                if column != primary:
                    newest.setdefault(column, []).append((when, pk))
        for column, rows in newest.items():
            found.setdefault(column, []).extend(pk for _when, pk in sorted(rows, reverse=True)[:count])
        return found

    def links(self):
        """``ArticleLink`` rows (id, slug, title, date): the title's column named for the active
        language (prepared queries are compiled per language), so modeltranslation has nothing
        to rewrite."""
        title = localized("title", translation.get_language())
        return self.rewrite(False).values_list("pk", "slug", title, "publish_at")

    def neighbours(self, column, at, pk, now, older_than=None):
        """``links()`` of the articles just before and after ``at``/``pk`` in ``column``, among
        public ones: one query. ``older_than`` is ``min(at, now)`` (a preview's ``at`` may be
        later than ``now``); the caller passes it so that a prepared query takes it as a value.

        Each is a scalar subquery that walks the column index from this article and stops; the outer
        query fetches those two rows by key (``IN (subquery) OR IN (subquery)`` made PostgreSQL scan
        the whole table and test each row against both).
        """
        older_than = min(at, now) if older_than is None else older_than
        # The older ones bounded by ``older_than`` alone, not also by ``now``: with both, SQLite
        # started its walk down the column index at ``now`` and stepped over every newer article
        # of the column (1,490 rows for an article of 2020 in the harness's corpus); newer ones
        # by a range from ``at``. Then the tie-break among equal times.
        # Each in one filter() (news/db/prepared.py: built on every request when not prepared).
        in_column = Q(column_id=column)
        articles = self.model.objects.rewrite(False)  # no translated field named: nothing to rewrite
        older = (
            articles.filter(self.public_q(now=now, due_by=older_than) & in_column & ~Q(publish_at=at, pk__gte=pk))
            .values("pk")
            .order_by(*NEWEST_FIRST)
        )
        newer = (
            articles.filter(self.public_q(now=now) & in_column & Q(publish_at__gte=at) & ~Q(publish_at=at, pk__lte=pk))
            .values("pk")
            .order_by("publish_at", "pk")
        )
        return self.links().filter(Q(pk=Subquery(older[:1])) | Q(pk=Subquery(newer[:1])))

    def sharing_a_tag_with(self, article):
        """These articles that have one of article ``article``'s tags (it among them), as
        ``id IN (the tag's articles)``: the database reads every article of the tags, then sorts."""
        tagged = self.model.tags.through.objects
        return self.filter(
            pk__in=tagged.filter(tag_id__in=tagged.filter(article_id=article).values("tag_id")).values("article_id")
        )

    def each_sharing_a_tag_with(self, article):
        """The same articles as ``sharing_a_tag_with``, as a test of each row (``EXISTS``): ordered
        by an index (``NEWEST_FIRST`` on ``public()``), the database walks the newest and stops at
        the slice's end, never reading the rest of a tag that holds thousands of articles."""
        tagged = self.model.tags.through.objects
        return self.filter(
            Exists(
                tagged.filter(article_id=OuterRef("pk"), tag_id__in=tagged.filter(article_id=article).values("tag_id"))
            )
        )
