"""Prepared queries (news/db/prepared.py): the ORM's SQL, built once, run with each request's values."""

import gc
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from news import queries
from news.db import prepared
from news.db.prepared import PreparedQuery, PreparedRows
from news.models import Article, Tag
from tests.factories import make_article, make_column
from tests.prepared import pages_either_way

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _prepared_queries_on(settings):
    # What is tested here is the prepared path itself, whatever the environment says
    # (`PORTAL_PREPARED_QUERIES=false make test` runs the rest of the suite without it).
    settings.PORTAL_PREPARED_QUERIES = True


def published_in_column(column, now):
    return Article.objects.public(now=now).select_related("column").filter(column_id=column).order_by("-publish_at")


PUBLISHED_IN_COLUMN = PreparedQuery(published_in_column, column=int, now=datetime)


def rows(articles):
    return [(article.pk, article.title, article.column.name, article.publish_at) for article in articles]


def test_same_rows_as_the_orm_for_each_set_of_values():
    first, second = make_column(), make_column()
    now = timezone.now()
    for hours, column in ((1, first), (3, first), (2, second), (-2, first)):  # the last is not due yet
        make_article(column=column, publish_at=now - timedelta(hours=hours))
    for column in (first, second):
        for moment in (now, now - timedelta(minutes=150), now + timedelta(hours=3)):
            prepared = PUBLISHED_IN_COLUMN(column=column.pk, now=moment)
            assert rows(prepared) == rows(published_in_column(column.pk, moment))
    assert len(PUBLISHED_IN_COLUMN(column=first.pk, now=now)) == 2
    assert len(PUBLISHED_IN_COLUMN(column=first.pk, now=now + timedelta(hours=3))) == 3
    assert PUBLISHED_IN_COLUMN(column=first.pk + second.pk, now=now) == []


@pytest.mark.parametrize("mode", [True, False])
def test_the_same_time_object_is_adapted_once_in_a_row_and_each_new_one_afresh(settings, monkeypatch, mode):
    settings.PORTAL_PREPARED_QUERIES = mode
    article = make_article()
    now = timezone.now()
    later = now + timedelta(microseconds=1)
    earlier = now - timedelta(days=400)  # before the article: it finds nothing
    field, ours, adapted = prepared._TIME_FIELDS[datetime], (now, later, earlier), []

    def get_db_prep_value(value, *args, real=field.get_db_prep_value, **kwargs):
        adapted.extend(time for time in ours if time is value)  # not the stand-ins of a first capture
        return real(value, *args, **kwargs)

    monkeypatch.setattr(field, "get_db_prep_value", get_db_prep_value)
    for _ in range(3):
        assert len(PUBLISHED_IN_COLUMN(column=article.column_id, now=now)) == 1
    assert adapted == [now]
    assert len(PUBLISHED_IN_COLUMN(column=article.column_id, now=later)) == 1
    assert PUBLISHED_IN_COLUMN(column=article.column_id, now=earlier) == []
    assert len(PUBLISHED_IN_COLUMN(column=article.column_id, now=now)) == 1
    assert [ours.index(time) for time in adapted] == [0, 1, 2, 0]


def test_runs_the_sql_the_orm_writes_and_fills_in_related_rows():
    article = make_article()
    now = timezone.now()
    with CaptureQueriesContext(connection) as orm:
        list(published_in_column(article.column_id, now))
    with CaptureQueriesContext(connection) as prepared:
        found = PUBLISHED_IN_COLUMN(column=article.column_id, now=now)
        assert found[0].column.name == article.column.name  # select_related: no query of its own
    assert [query["sql"] for query in prepared.captured_queries] == [query["sql"] for query in orm.captured_queries]


@pytest.mark.parametrize("mode", [True, False])
def test_parameters_go_by_name_a_value_used_twice_under_one(settings, mode):
    """The SQL is run with named parameters (news/db/prepared.py ``_named``): each value by its name,
    ``now`` used twice (the due and the withdrawal times) under one name, the status and language
    constants under their own; a literal ``%`` in the SQL (escaped ``%%`` by the ORM) stays one."""
    settings.PORTAL_PREPARED_QUERIES = mode
    article = make_article()
    now = timezone.now()
    query = PreparedRows(
        lambda column, now: (
            Article.objects.public(now=now)
            .filter(column_id=column)
            .annotate(share=RawSQL("'100%%'", ()))
            .rewrite(False)
            .values_list("pk", "share")
        ),
        column=int,
        now=datetime,
    )
    seen = []

    def look(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    query(column=article.column_id, now=now)  # the public form reads the plain queryset once
    with connection.execute_wrapper(look):
        assert query(column=article.column_id, now=now) == [(article.pk, "100%")]
    ((sql, params),) = seen
    assert sql.count("%(now)s") == 2 and "%(column)s" in sql and "%s" not in sql
    assert {"now", "column"} < set(params) and any(name.startswith("constant_") for name in params)
    assert query(column=article.column_id, now=article.publish_at - timedelta(seconds=1)) == []


@pytest.mark.parametrize("mode", [True, False])
def test_a_literal_percent_before_s_or_a_parenthesis_is_no_parameter(settings, mode):
    """``_named`` names the ORM's ``%s`` only: an escaped ``%%s`` or ``%%(now)s`` in the SQL's text is
    a literal (Django's SQLite backend reads ``%s`` the same way), not a parameter to name."""
    settings.PORTAL_PREPARED_QUERIES = mode
    article = make_article()
    query = PreparedRows(
        lambda column, now: (
            Article.objects.public(now=now)
            .filter(column_id=column)
            .annotate(share=RawSQL("'%%s|%%(now)s|%%%%s'", ()))
            .rewrite(False)
            .values_list("pk", "share")
        ),
        column=int,
        now=datetime,
    )
    for _call in range(2):  # the public form reads the plain queryset at the first call
        assert query(column=article.column_id, now=timezone.now()) == [(article.pk, "%s|%(now)s|%%s")]


def test_compiled_per_language():
    """modeltranslation writes a language's columns into the SQL: each language has its own."""
    chinese_only = make_article(languages=("zh-hans",))
    now = timezone.now()
    with translation.override("zh-hans"):
        assert [a.pk for a in PUBLISHED_IN_COLUMN(column=chinese_only.column_id, now=now)] == [chinese_only.pk]
        assert PUBLISHED_IN_COLUMN(column=chinese_only.column_id, now=now)[0].title == chinese_only.title_zh_hans
    with translation.override("en"):
        assert PUBLISHED_IN_COLUMN(column=chinese_only.column_id, now=now) == []


def test_a_prepared_query_that_goes_takes_its_compiled_forms_with_it():
    """The compiled forms are kept on the connection under the prepared query, weakly: a query made
    for a while (a list's page, news/list_queries.py) leaves nothing behind once it is dropped."""
    make_article()
    kept = PreparedQuery(lambda pk: Article.objects.filter(pk=pk), pk=int)
    dropped = PreparedQuery(lambda pk: Article.objects.filter(pk=pk), pk=int)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            kept(pk=1), dropped(pk=1)
    store = connections[DEFAULT_DB_ALIAS].__dict__["_prepared_queries"]  # the wrapper's (``connection`` is a proxy)
    assert len(store[kept]) == len(store[dropped]) == 2  # one per language
    count = len(store)
    del dropped
    gc.collect()
    assert len(store) == count - 1 and kept in store


def test_a_value_written_into_the_sql_text_is_refused():
    # The value in the SQL text on purpose: what the check must catch.
    inlined = PreparedQuery(lambda pk: Article.objects.extra(where=[f"id = {pk}"]), pk=int)  # noqa: S610
    with pytest.raises(ImproperlyConfigured, match="not passed as SQL parameters"):
        inlined(pk=1)


def test_values_list_rows_are_tuples():
    article = make_article()
    rows = PreparedRows(lambda pk: Article.objects.rewrite(False).filter(pk=pk).values_list("pk", "publish_at"), pk=int)
    assert rows(pk=article.pk) == [(article.pk, article.publish_at)]


def test_a_text_value_is_a_parameter_too():
    """A project's code in its address: the text stand-in lands among the parameters."""
    tag = Tag.objects.create(name_en="Energy", name_zh_hans="能源", slug="energy")
    by_slug = PreparedQuery(lambda slug: Tag.objects.filter(slug=slug), slug=str)
    assert by_slug(slug="energy") == [tag]
    assert by_slug(slug="energy'; --") == [] and by_slug(slug="") == []


def test_values_are_checked():
    with pytest.raises(ImproperlyConfigured):
        PreparedQuery(lambda size: Tag.objects.filter(pk__gt=size), size=float)
    with pytest.raises(TypeError, match="expected the values"):
        queries.article_tags(tag=1)
    with pytest.raises(ImproperlyConfigured, match="prefetch"):
        PreparedQuery(lambda pk: Article.objects.prefetch_related("tags").filter(pk=pk), pk=int)(pk=1)
    with pytest.raises(ImproperlyConfigured, match="values_list"):
        PreparedQuery(lambda pk: Article.objects.filter(pk=pk).values("pk"), pk=int)(pk=1)


def test_article_page_neighbours_and_related_match_the_orm(client):
    column = make_column()
    now = timezone.now()
    at = now - timedelta(days=1)
    # Three share one time: the tie-break on id orders them.
    articles = [make_article(column=column, publish_at=at if n < 3 else at - timedelta(hours=n)) for n in range(6)]
    tag = Tag.objects.create(name="Energy", slug="energy")
    elsewhere = make_article(publish_at=now - timedelta(hours=1))  # another column, newer than all
    for article in (articles[1], elsewhere):
        article.tags.add(tag)
    for article in articles:
        siblings = sorted(
            Article.objects.public().filter(column=column), key=lambda other: (other.publish_at, other.pk)
        )
        position = siblings.index(article)
        found = queries.neighbours(article, now)
        previous = siblings[position - 1] if position else None
        following = siblings[position + 1] if position + 1 < len(siblings) else None
        for link, expected in ((found["previous_article"], previous), (found["next_article"], following)):
            assert (link and link.pk) == (expected and expected.pk)
            if expected:
                assert link == (expected.pk, expected.slug, expected.title, expected.publish_at)
                assert link.get_absolute_url() == expected.get_absolute_url()
    related = queries.related_articles(articles[1], now)
    assert elsewhere.pk in [link.pk for link in related]
    assert articles[1].pk not in [link.pk for link in related]
    assert [a.publish_at for a in related] == sorted((a.publish_at for a in related), reverse=True)
    with translation.override("en"):
        assert queries.related_articles(articles[1], now)[0].title == elsewhere.title_en
    response = client.get(articles[1].get_absolute_url())
    assert response.status_code == 200
    assert f'href="{tag.get_absolute_url()}"' in response.content.decode()


@pytest.mark.parametrize("prepared", [True, False, "plain"])
def test_a_previews_neighbours_are_public_ones_even_when_it_is_due_later(settings, prepared):
    # A preview of a scheduled article: its time is after now, so the older neighbour is bounded
    # by now (older_than = min(at, now)), never one scheduled between now and its time.
    settings.PORTAL_PREPARED_QUERIES = prepared
    column = make_column()
    now = timezone.now()
    public = make_article(column=column, publish_at=now - timedelta(days=1))
    make_article(column=column, publish_at=now + timedelta(hours=1))  # scheduled: not public yet
    scheduled = make_article(column=column, publish_at=now + timedelta(hours=2))
    found = queries.neighbours(scheduled, now)
    assert found["previous_article"].pk == public.pk and found["next_article"] is None
    found = queries.neighbours(public, now)
    assert found["previous_article"] is None and found["next_article"] is None


@pytest.mark.parametrize("pk", ["9223372036854775807", "9223372036854775808", "99999999999999999999999"])
def test_an_id_past_the_database_range_is_a_404(client, pk):
    make_article()
    assert client.get(f"/en/news/{pk}/").status_code == 404


def outer_table(sql):
    """The table a query reads: its FROM outside parentheses (subqueries may read others)."""
    depth = 0
    for at, character in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0 and sql.startswith(" FROM ", at):
            return sql[at + 6 :].split()[0].strip('"')
    return None


def test_no_query_for_tags_or_attachments_the_article_has_none_of(client, site):
    bare = make_article(column=site)
    tagged = make_article(column=site)
    tagged.tags.add(Tag.objects.create(name="Energy", slug="energy"))
    tagged.attachments.create(title_en="Full text", file=ContentFile(b"%PDF-1.4 x", name="text.pdf"))

    def tables_read(article):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(article.get_absolute_url("en"))
        assert page.status_code == 200
        return page.content.decode(), {outer_table(q["sql"]) for q in queries if " FROM " in q["sql"]}

    page, tables = tables_read(bare)
    assert "news_tag" not in tables and "news_attachment" not in tables
    page, tables = tables_read(tagged)
    assert {"news_tag", "news_attachment"} <= tables
    assert 'href="/en/tag/energy/"' in page and "Full text" in page


class TestTheSwitch:
    """``PORTAL_PREPARED_QUERIES``: ``False`` runs the ORM's SQL on documented API only, ``"plain"`` the
    plain querysets; neither compiles anything on the ORM's internals (docs/upgrading.md)."""

    @pytest.mark.parametrize("mode", [False, "plain"])
    def test_the_rows_are_the_querysets_and_nothing_is_compiled(self, settings, mode):
        settings.PORTAL_PREPARED_QUERIES = mode
        connections[DEFAULT_DB_ALIAS].__dict__.pop("_prepared_queries", None)
        first = make_column()
        make_article(column=first, publish_at=timezone.now() - timedelta(hours=2))
        now = timezone.now()
        assert rows(PUBLISHED_IN_COLUMN(column=first.pk, now=now)) == rows(published_in_column(first.pk, now))
        links = PreparedRows(lambda pk: Article.objects.links().filter(pk=pk), pk=int)
        with translation.override("en"):
            (link,) = links(pk=Article.objects.get().pk)
        assert isinstance(link, tuple) and link[2].startswith("English title")
        found = queries.published_article(pk=Article.objects.get().pk, now=now)
        assert not found[0].has_tags and found[0].column == first
        assert "_prepared_queries" not in connections[DEFAULT_DB_ALIAS].__dict__

    def test_article_pages_are_byte_for_byte_the_same_either_way(self, client, settings, site_settings):
        settings.PORTAL_PAGE_CACHE_SECONDS = 0
        column = make_column()
        tag = Tag.objects.create(name_zh_hans="能源", name_en="Energy", slug="energy")
        at = timezone.now() - timedelta(days=2)
        articles = [make_article(column=column, publish_at=at + timedelta(hours=n)) for n in range(4)]
        articles[1].tags.add(tag)
        articles[2].tags.add(tag)
        articles[2].attachments.create(title_en="Full text", file=ContentFile(b"%PDF-1.4 x", name="text.pdf"))
        chinese_only = make_article(column=column, languages=("zh-hans",))
        addresses = [article.get_absolute_url(code) for article in articles for code in ("zh-hans", "en")]
        addresses.append(chinese_only.get_absolute_url("en"))

        prepared, public, plain = pages_either_way(client, settings, addresses)
        assert all(status == 200 for status, _body, _count in prepared.values())
        assert prepared == public == plain


def test_sql_whose_parameters_cannot_be_named_is_refused_with_the_reason():
    from news.db.prepared import _named

    # A parameter right after an escaped %: the pattern Django's backend uses skips it too.
    with pytest.raises(ImproperlyConfigured, match="holds 0 %s parameters where the ORM passes 1"):
        _named("SELECT '%%%s'", [1], [None])
    with pytest.raises(ImproperlyConfigured, match="constant_0"):
        _named("SELECT %s", [1], ["constant_0"])
    assert _named("SELECT %s + %s", [1, 2], ["pk", None]) == {
        "sql": "SELECT %(pk)s + %(constant_1)s",
        "constants": {"constant_1": 2},
    }


@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime")
def test_a_time_adapted_again_after_the_time_zone_settings_change(settings):
    """The same ``now`` object after a test changes TIME_ZONE: adapted as the new zone says, not as remembered."""
    naive = datetime(2026, 1, 1, 12)  # read in the current time zone, as the ORM does
    field = prepared._TIME_FIELDS[datetime]
    assert prepared._adapt(connection, naive) == field.get_db_prep_value(naive, connection)
    settings.TIME_ZONE = "UTC" if settings.TIME_ZONE != "UTC" else "Asia/Shanghai"
    assert prepared._adapt(connection, naive) == field.get_db_prep_value(naive, connection)
