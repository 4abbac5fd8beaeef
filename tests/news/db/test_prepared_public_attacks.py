"""Rows a first version of the public form (``PORTAL_PREPARED_QUERIES = False``) read wrong without
refusing, found by a review: each test asserts the contract (the plain queryset's rows, or
``ImproperlyConfigured``), and each failed on that version."""

from datetime import UTC, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.models import DateField, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast

from news.db.prepared import PreparedQuery, PreparedRows
from news.models import Article, Tag
from tests.news.db.test_prepared_public import corpus, run  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def same_or_refused(settings, query, values):
    """The public form's rows equal the plain queryset's (types included), or it refuses."""
    plain = run(settings, "plain", query, values)
    try:
        public = run(settings, False, query, values)
    except ImproperlyConfigured:
        return
    assert public == plain


def test_a_select_related_block_is_not_taken_for_another_foreign_keys(settings, corpus):  # noqa: F811
    # Region's columns (id, name*, slug, order) are a subsequence of Column's: the region block is
    # read as the article's column (article.column = the region's id, name and slug).
    query = PreparedQuery(lambda pk: Article.objects.select_related("region").filter(pk=pk), pk=int)
    settings.PORTAL_PREPARED_QUERIES = False
    (article,) = query(pk=corpus["article"].pk)
    assert article.column.slug == "investment-dynamics", (article.column.pk, article.column.slug)


def test_a_values_list_expression_of_a_time_has_its_type(settings, corpus):  # noqa: F811
    newest = Subquery(Article.objects.order_by("-publish_at").values("publish_at")[:1])
    query = PreparedRows(
        lambda pk: Article.objects.rewrite(False).filter(pk=pk).annotate(newest=newest).values_list("pk", "newest"),
        pk=int,
    )
    same_or_refused(settings, query, {"pk": corpus["article"].pk})


def test_a_values_list_cast_to_a_date_has_its_type(settings, corpus):  # noqa: F811
    query = PreparedRows(
        lambda pk: Article.objects.rewrite(False).filter(pk=pk).values_list(Cast("publish_at", DateField())), pk=int
    )
    same_or_refused(settings, query, {"pk": corpus["article"].pk})


def test_a_values_list_exists_is_a_bool(settings, corpus):  # noqa: F811
    attached = Exists(Article.tags.through.objects.filter(article_id=OuterRef("pk")))
    query = PreparedRows(
        lambda pk: Article.objects.rewrite(False).filter(pk=pk).annotate(tagged=attached).values_list("tagged"), pk=int
    )
    same_or_refused(settings, query, {"pk": corpus["article"].pk})


def test_a_time_across_a_many_to_many_is_aware(settings, corpus):  # noqa: F811
    query = PreparedRows(lambda pk: Tag.objects.filter(pk=pk).values_list("pk", "articles__publish_at"), pk=int)
    same_or_refused(settings, query, {"pk": corpus["tag"].pk})


def test_an_annotation_of_a_time_is_a_time(settings, corpus):  # noqa: F811
    query = PreparedQuery(
        lambda slug: Tag.objects.filter(slug=slug).annotate(newest=Max("articles__publish_at")), slug=str
    )
    settings.PORTAL_PREPARED_QUERIES = False
    (tag,) = query(slug="energy")
    (plain,) = query.build(slug="energy")
    assert type(tag.newest) is type(plain.newest), (tag.newest, plain.newest)


@pytest.mark.parametrize(
    "build",
    [
        lambda pk: (
            Article.objects.rewrite(False).filter(pk=pk).values_list("id", "slug")
        ),  # tuples, declared as instances
        lambda pk: Article.objects.filter(pk=pk).values("id", "slug"),  # dicts
    ],
    ids=["values_list", "values"],
)
def test_an_undeclared_row_kind_is_refused_by_the_public_form_too(settings, corpus, build):  # noqa: F811
    # Its SQL may be that of a deferred instance's: the first rows, compared with the plain queryset's,
    # tell (modeltranslation's values() may also put the columns in another order: refused at once).
    settings.PORTAL_PREPARED_QUERIES = False
    with pytest.raises(ImproperlyConfigured, match="PreparedRows|primary key"):
        PreparedQuery(build, pk=int)(pk=corpus["article"].pk)


@pytest.mark.parametrize(
    "build",
    [
        lambda pk: Article.objects.filter(pk=pk),  # instances, declared as rows
        lambda pk: Article.objects.rewrite(False).filter(pk=pk).values_list("pk", flat=True),
        lambda pk: Article.objects.rewrite(False).filter(pk=pk).values_list("pk", named=True),
    ],
    ids=["instances", "flat", "named"],
)
def test_an_undeclared_tuple_kind_is_refused_by_the_public_form_too(settings, corpus, build):  # noqa: F811
    settings.PORTAL_PREPARED_QUERIES = False
    with pytest.raises(ImproperlyConfigured):
        PreparedRows(build, pk=int)(pk=corpus["article"].pk)


def test_an_order_column_added_by_distinct_is_not_read_as_a_value(settings, corpus):  # noqa: F811
    query = PreparedRows(
        lambda pk: Article.objects.rewrite(False).filter(pk=pk).distinct().order_by("column__slug").values_list("pk"),
        pk=int,
    )
    same_or_refused(settings, query, {"pk": corpus["article"].pk})


def test_an_order_column_added_by_distinct_does_not_overwrite_a_field(settings, corpus):  # noqa: F811
    query = PreparedQuery(
        lambda pk: Article.objects.filter(pk=pk).distinct().order_by("column__slug"),
        pk=int,
    )
    same_or_refused(settings, query, {"pk": corpus["article"].pk})


@pytest.mark.parametrize("mode", [False, True])
def test_a_value_also_used_transformed_is_not_frozen_as_the_stand_in(settings, corpus, mode):  # noqa: F811
    # slug= takes the value as a parameter; name_en__startswith= passes "<value>%": that parameter is
    # neither a slot nor refused, so the stand-in's pattern stays in every run (both forms).
    query = PreparedQuery(lambda slug: Tag.objects.filter(Q(slug=slug) | Q(name_en__startswith=slug)), slug=str)
    settings.PORTAL_PREPARED_QUERIES = mode
    try:
        found = query(slug="Ener")
    except ImproperlyConfigured:
        return
    assert [tag.pk for tag in found] == [corpus["tag"].pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="DATABASES TIME_ZONE: for databases without time zones")
def test_the_database_time_zone_is_read_as_the_orm_reads_it(settings, corpus):  # noqa: F811
    query = PreparedRows(lambda pk: Article.objects.rewrite(False).filter(pk=pk).values_list("publish_at"), pk=int)
    pk = corpus["article"].pk
    wrapper = connections["default"]  # not the proxy: its cached time zone
    saved = wrapper.settings_dict.get("TIME_ZONE")
    wrapper.settings_dict["TIME_ZONE"] = "Asia/Shanghai"
    for name in ("timezone", "timezone_name"):
        wrapper.__dict__.pop(name, None)
    try:
        plain = run(settings, "plain", query, {"pk": pk})
        public = run(settings, False, query, {"pk": pk})
    finally:
        wrapper.settings_dict["TIME_ZONE"] = saved
        for name in ("timezone", "timezone_name"):
            wrapper.__dict__.pop(name, None)
    (((_, plain_at),),), (((_, public_at),),) = plain[0], public[0]
    assert public_at == plain_at, (public_at.astimezone(UTC), plain_at.astimezone(UTC), timedelta(0))


def deep(row):
    """An instance as its loaded fields with types, its annotations' truth, and each related object
    it holds (select_related) the same way."""
    if not hasattr(row, "_meta"):
        return tuple((type(value), value) for value in row) if isinstance(row, tuple) else (type(row), row)
    deferred = row.get_deferred_fields()
    loaded = {
        field.attname: (type(getattr(row, field.attname)), getattr(row, field.attname))
        for field in row._meta.concrete_fields
        if field.attname not in deferred
    }
    own = {field.attname for field in row._meta.concrete_fields} | {"_state"}
    annotations = {name: bool(value) for name, value in vars(row).items() if name not in own and name[0] != "_"}
    # The objects it holds: Django's cache of related objects (a private attribute, read by this test only).
    held = {name: deep(value) if value is not None else None for name, value in row._state.fields_cache.items()}
    return (type(row), sorted(deferred), loaded, annotations, held)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_prepared_query_holds_the_same_related_objects(settings, corpus, language):  # noqa: F811
    from django.utils import translation

    from tests.news.db.test_prepared_public import every_prepared_query, values_for

    with translation.override(language):
        for name, query in every_prepared_query().items():
            values = values_for(query, corpus, query.build(**query.stand_ins()).model)
            settings.PORTAL_PREPARED_QUERIES = "plain"
            plain = [deep(row) for row in query(**values)]
            settings.PORTAL_PREPARED_QUERIES = False
            query(**values)
            assert [deep(row) for row in query(**values)] == plain, name


def test_the_public_form_survives_a_django_without_the_private_names():
    """The public form is the one to run on a new Django; news/db/prepared.py imports the compiled
    form's private names at module level, so a release that moves one breaks every mode."""
    import subprocess
    import sys

    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings');"
        "import django.db.models.query as q; del q.get_related_populators;"
        "django.setup(); import news.db.prepared"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-300:]
