"""Pages rendered with ``PORTAL_PREPARED_QUERIES`` each way, to compare (news/db/prepared.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def pages_either_way(client, settings, addresses):
    """``(compiled, public, plain)``: for each address, ``(status, body bytes, query count)`` with the
    prepared queries compiled (``True``), on documented API (``False``) and as plain querysets
    (``"plain"``). The shared parts (header, footer, counts) are read once before, as on any busy
    site, so the runs read the same. The page cache must be off (``PORTAL_PAGE_CACHE_SECONDS = 0``)."""

    def pages():
        found = {}
        for address in addresses:
            with CaptureQueriesContext(connection) as queries_run:
                response = client.get(address)
            found[address] = (response.status_code, response.content, len(queries_run))
        return found

    settings.PORTAL_PREPARED_QUERIES = True
    pages()
    compiled = pages()
    settings.PORTAL_PREPARED_QUERIES = False
    pages()  # the public form runs each query once with stand-in values, to see its SQL
    public = pages()
    settings.PORTAL_PREPARED_QUERIES = "plain"
    return compiled, public, pages()
