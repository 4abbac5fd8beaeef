"""The news migrations run backward and forward on a database full of demo content.

They walk whatever migrations the app has (a new one joins by itself), on SQLite and on
PostgreSQL (.ci/run runs the suite on both). Going back to before the first migration drops
the tables and their rows, so that walk asserts that every reverse runs on real data and that
the schema built again takes the demo again; one step back and forward must keep every article.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from news import demo
from news.models import Article, Column, SearchDocument, Tag

pytestmark = pytest.mark.django_db(transaction=True)


def news_migrations():
    """The app's migrations in the order they apply, up to its newest."""
    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    [leaf] = graph.leaf_nodes("news")
    return [name for app, name in graph.forwards_plan(leaf) if app == "news"]


def migrate(target):
    call_command("migrate", "news", target, verbosity=0, interactive=False)


def applied():
    return {name for app, name in MigrationLoader(connection).applied_migrations if app == "news"}


def content():
    """What readers see of every article, and what the other tables hold, as plain values."""
    with translation.override("en"):
        articles = list(
            Article.objects.order_by("pk").values_list(
                "pk",
                "slug",
                "status",
                "publish_at",
                "title_zh_hans",
                "title_en",
                "body_zh_hans",
                "body_en",
                "column_id",
            )
        )
    return {
        "articles": articles,
        "tags": sorted(Article.tags.through.objects.values_list("article_id", "tag_id")),
        "columns": Column.objects.count(),
        "tag_rows": Tag.objects.count(),
        "search": SearchDocument.objects.count(),
        "public": {
            code: sorted(Article.objects.published().available_in(code).values_list("pk", flat=True))
            for code in ("zh-hans", "en")
        },
    }


@pytest.fixture
def demo_content(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert demo.load() > 0
    loaded = content()
    assert len(loaded["articles"]) >= 10 and loaded["search"] and loaded["tags"] and loaded["public"]["en"]
    return loaded


def test_one_step_back_and_forward_keeps_every_article(demo_content):
    names = news_migrations()
    migrate(names[-2])
    assert names[-1] not in applied()
    migrate(names[-1])
    assert applied() == set(names)
    assert content() == demo_content
    # The apps that depend on the newest news migration (policies) went back with it.
    call_command("migrate", verbosity=0, interactive=False)
    assert content() == demo_content


def test_every_migration_reverses_on_demo_content_and_applies_again(demo_content):
    names = news_migrations()
    assert len(names) >= 2
    # One step at a time, so that each migration's reverse meets the data the one after left.
    for target in [*reversed(names[:-1]), "zero"]:
        migrate(target)
        assert applied() == set(names[: names.index(target) + 1] if target != "zero" else [])
    # Forward again with every app: going to zero also took back the apps that depend on news (investment, policies).
    call_command("migrate", verbosity=0, interactive=False)
    assert applied() == set(names)
    # The rebuilt schema is complete: the demo loads into it again and the site serves it.
    assert demo.load() > 0
    again = content()
    assert len(again["articles"]) == len(demo_content["articles"])
    assert again["public"]["en"] and again["search"] == demo_content["search"]
