"""``CountedPaginator``: a page of a list read with the list's count, in one query.

Django's ``Paginator`` counts the list (one query), then reads the page (another). Here the caller's
``read(bottom, top, counted)`` returns the page's rows, each ending with the count of the whole list
when ``counted`` is true (a value of the page query: ``COUNT(*) OVER ()`` or a scalar subquery, as the
list's database plan suits), so a page with rows tells the count itself. The count is read on its own
(``count()``, the caller's) only when no row tells it: a page past the end, the last page asked for by
name, or a list whose count is known beforehand (a subclass's ``page()`` decides: a column's count
is kept per content version).

The project list (news/investment/views/projects.py, ``counted_page``) reads its count with the page
(``COUNT(*) OVER ()``); the article lists (news/views/reader.py, ``IndexedPaginator``) page through it
too but always count on their own, which measured cheaper there (``IndexedPaginator`` has the figures).
``page()`` answers as Django's (an invalid number raises), ``get_page()`` as Django's (the first or the
last page instead).
"""

from django.core.paginator import EmptyPage, Page, Paginator
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """``CountedPaginator(read, per_page, count, wrap=list)``.

    ``read(bottom, top, counted)``: the rows ``bottom:top`` of the list, each ending with the count
    when ``counted``. ``count()``: the count on its own. ``wrap(rows)``: the page's ``object_list``
    from its rows (without the count).
    """

    def __init__(self, read, per_page, count, wrap=list, orphans=0, allow_empty_first_page=True):
        super().__init__([], per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page)
        self.read, self.count_alone, self.wrap = read, count, wrap

    @cached_property
    def count(self):
        return self.count_alone()

    def page(self, number):
        """Page ``number`` (an int), read with the count unless the count is known; ``EmptyPage``
        below 1 or past the end, as Django's ``page()``."""
        if "count" in self.__dict__ or self.orphans or not isinstance(number, int):
            return self.known_page(self.validate_number(number))
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        found = self.counted(number)
        if found is None:
            raise EmptyPage("That page contains no results")
        return found

    def get_page(self, number):
        """As Django's ``get_page()``: page ``number``, the first page when it is not a number, the
        last when it is past the end or below 1."""
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        if "count" not in self.__dict__ and not self.orphans and wanted >= 1:
            found = self.counted(wanted)
            if found is not None:
                return found
        return super().get_page(wanted)

    def counted(self, number):
        """Page ``number`` (1 or more) with the count read from its rows; None when it has no rows
        (past the end, but for an empty list's first page)."""
        bottom = (number - 1) * self.per_page
        rows = self.read(bottom, bottom + self.per_page, True)
        if not rows and number > 1:
            return None
        self.count = rows[0][-1] if rows else 0
        return Page(self.wrap([row[:-1] for row in rows]), number, self)

    def known_page(self, number):
        """Page ``number`` (valid) once the count is known: its rows only."""
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(self.wrap(self.read(bottom, top, False)), number, self)
