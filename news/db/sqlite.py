"""SQLite upkeep that PostgreSQL does by itself."""

from django.db import connections


def analyze_sqlite(using="default"):
    """Give SQLite's planner table statistics, as PostgreSQL's autovacuum does by itself.

    Without them SQLite guesses that ``status = 'published'`` picks out a few rows and
    walks that index instead of looking articles up by id: 26 ms instead of 6 ms for the
    1,000 ids a search checks, measured on 100,000 articles. Called after migrating and
    after the commands that load articles in bulk (demo, import, index rebuild).
    """
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
