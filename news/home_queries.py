"""The home page's queries, prepared once per process (``news/db/prepared.py``): building the
newest articles of every column with the ORM (a scalar subquery per column and position) cost
more than running all of the page's queries.

Each is a ``PreparedQuery`` (``PreparedRows`` for ``values_list()`` rows) whose ``build`` is a plain
queryset; with ``PORTAL_PREPARED_QUERIES = "plain"`` they run as those querysets.
"""

from datetime import datetime

from .db.prepared import PreparedRows
from .models import Article
from .pagecache.fragments import FEATURED_CARD_FIELDS, ShownColumns

HOME_LATEST_PER_COLUMN = 6
HOME_FEATURED = 4

# The ids of the newest featured articles (the model's order), as ``(id,)`` rows.
featured_ids = PreparedRows(
    lambda now: Article.objects.public(now=now).filter(featured=True).rewrite(False).values_list("pk")[:HOME_FEATURED],
    now=datetime,
)
# ``Article.objects.newest_ids_per_column``'s two queries.
newest_own_per_column = PreparedRows(
    lambda now: Article.objects.public(now=now).newest_own_per_column(HOME_LATEST_PER_COLUMN), now=datetime
)
further_column_rows = PreparedRows(lambda: Article.objects.further_column_rows())


def newest_ids_per_column(now):
    """``Article.objects.public(now=now).newest_ids_per_column(HOME_LATEST_PER_COLUMN)`` from the
    prepared queries; the public queryset (which costs more to build than they do to run) is built
    only when a column carries articles of others, to read those."""
    own, carried = newest_own_per_column(now=now), further_column_rows()
    if not carried:
        return {column: [pk for pk in ids if pk is not None] for column, *ids in own}
    return Article.objects.public(now=now).newest_ids_per_column(HOME_LATEST_PER_COLUMN, own, carried)


# Ids are passed in lists of these many (the last one repeated): one prepared query per length.
IDS_STEP = 8
_card_rows_by_length = {}


# FEATURED_CARD_FIELDS as columns of the active language, so that the query can be prepared.
_SHOWN = ShownColumns(FEATURED_CARD_FIELDS)


def card_rows(pks):
    """``(pk, *FEATURED_CARD_FIELDS)`` rows of the articles ``pks``, in no order, read by primary key
    (what the home page's cards show: news/pagecache/fragments.py)."""
    pks = list(pks)
    if not pks:
        return []
    length = -(-len(pks) // IDS_STEP) * IDS_STEP
    query = _card_rows_by_length.get(length)
    if query is None:
        names = [f"pk{index}" for index in range(length)]
        query = _card_rows_by_length[length] = PreparedRows(
            lambda **values: (
                Article.objects.rewrite(False)
                .filter(pk__in=list(values.values()))
                .order_by()
                .values_list("pk", *_SHOWN.columns())
            ),
            **dict.fromkeys(names, int),
        )
    padded = pks + pks[-1:] * (length - len(pks))
    return _SHOWN.rows(query(**{f"pk{index}": pk for index, pk in enumerate(padded)}))
