"""``CountedPaginator``: a page of a list read with the list's count, in one query.

Django's ``Paginator`` counts the list (one query), then reads the page (another). Here the caller's
``read_counted(bottom, top)`` returns the page's rows each ending with the count of the whole list
(``COUNT(*) OVER ()`` in the page query), so a page with rows tells the count itself; the count is
read on its own (``count()``) only when no row tells it: a page past the end or below 1.

Used by the project list (news/investment/views/projects.py, ``counted_page``): a short list whose
order is not an index's. The article lists (news/views/reader.py, ``IndexedPaginator``) count apart,
which measured cheaper there (``IndexedPaginator`` has the figures).
"""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """``CountedPaginator(read_counted, read, count, per_page, wrap=list)``.

    ``read_counted(bottom, top)``: the rows ``bottom:top`` of the list, each ending with the list's
    count. ``read(bottom, top)``: the same rows without it. ``count()``: the count on its own.
    ``wrap(rows)``: the page's ``object_list`` from its rows (without the count). No orphans.
    """

    def __init__(self, read_counted, read, count, per_page, wrap=list):
        super().__init__([], per_page)
        self.read_counted, self.read, self.count_alone, self.wrap = read_counted, read, count, wrap

    @cached_property
    def count(self):
        return self.count_alone()

    def get_page(self, number):
        """As Django's ``get_page()``: page ``number``, the first page when it is not a number, the
        last when it is past the end or below 1. A page with rows is read in one query."""
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        if wanted >= 1:
            bottom = (wanted - 1) * self.per_page
            rows = self.read_counted(bottom, bottom + self.per_page)
            if rows or wanted == 1:
                self.count = rows[0][-1] if rows else 0
                return Page(self.wrap([row[:-1] for row in rows]), wanted, self)
        return super().get_page(wanted)

    def page(self, number):
        """Page ``number`` once the count is known (read on its own if need be), as Django's
        ``page()``: ``PageNotAnInteger``/``EmptyPage`` for a number that is not a page."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return Page(self.wrap(self.read(bottom, min(bottom + self.per_page, self.count))), number, self)
