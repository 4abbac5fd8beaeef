"""news/pagecache/version.py: the content version, kept in the database and the shared cache."""

import pytest
from django.core.cache import cache

from news.models import ContentVersion
from news.pagecache import version
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_cache_without_a_version_takes_the_databases(site, monkeypatch):
    make_article(site)  # a change: the database holds the version pages must carry
    stored = ContentVersion.objects.get(pk=1).version
    cache.clear()  # a new, emptied or restarted cache
    assert version.content_version() == stored

    # So the next reconciliation agrees and writes nothing: a random new version made every page
    # a miss then, and none could be cached if the cache refused that write (a full disk).
    def refused(*args, **kwargs):
        raise AssertionError("reconcile wrote to the cache")

    monkeypatch.setattr(cache, "set", refused)
    assert version.reconcile(stored) == stored


def test_without_a_database_version_a_new_one_is_made():
    ContentVersion.objects.all().delete()
    cache.clear()
    made = version.content_version()
    assert made and version.content_version() == made


@pytest.mark.django_db
@pytest.mark.parametrize("table_there", [False, True])
def test_a_failed_database_write_is_a_warning_unless_the_table_is_not_there_yet(table_there, caplog):
    """Saves made while a new database is migrated, before the version's table exists, are not an
    operator's concern; a write that fails on a migrated database is."""
    from unittest import mock

    from django.db import OperationalError

    tables = [ContentVersion._meta.db_table] if table_there else []
    with (
        mock.patch.object(ContentVersion.objects, "filter", side_effect=OperationalError("no such table")),
        mock.patch("django.db.connection.introspection.table_names", return_value=tables),
        caplog.at_level("INFO", logger="portal.cache"),
    ):
        version._store_in_database("a-token")
    messages = [record.getMessage() for record in caplog.records if record.name == "portal.cache"]
    assert messages == (
        ["Could not write the content version to the database (OperationalError)."] if table_there else []
    )
