"""The public form of the prepared queries (``PORTAL_PREPARED_QUERIES = False``, news/db/prepared.py):
for every prepared query of the reader pages, the same rows as the plain queryset and as the compiled
form, value types included, in both languages; and what it refuses."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from news import feeds, home_queries, list_queries, queries
from news.db.prepared import PreparedQuery, PreparedRows
from news.investment import queries as project_queries
from news.investment.models import Project
from news.models import Article, Column, Region, Tag
from news.views import search
from tests.factories import make_article, make_column, make_desk, make_project, make_zone

pytestmark = pytest.mark.django_db

MODULES = (queries, home_queries, list_queries, feeds, project_queries, search)


def every_prepared_query():
    """The reader pages' prepared queries: those each module holds, and a page and a count of each
    list (made on demand, news/list_queries.py)."""
    found = {
        f"{module.__name__}.{name}": value
        for module in MODULES
        for name, value in vars(module).items()
        if isinstance(value, PreparedQuery)
    }
    for lookup in ("column", "tags", "region"):
        found[f"page of {lookup}"] = list_queries._page_rows(lookup, 0, 20)
        found[f"count of {lookup}"] = list_queries._count_row(lookup)
    home_queries.card_rows([1])
    found.update({f"cards by {length}": query for length, query in home_queries._card_rows_by_length.items()})
    return found


@pytest.fixture
def corpus():
    now = timezone.now()
    region = Region.objects.create(name_zh_hans="延边", name_en="Yanbian", slug="yanbian")
    column = make_column(slug="investment-dynamics")
    other = make_column(slug="policies")
    tag = Tag.objects.create(name_zh_hans="能源", name_en="Energy", slug="energy")
    articles = [
        make_article(column=column, region=region, featured=n == 0, publish_at=now - timedelta(hours=n + 1))
        for n in range(4)
    ]
    articles.append(make_article(column=other, publish_at=now - timedelta(hours=9)))
    articles[4].further_columns.add(column)
    for article in articles[:2]:
        article.tags.add(tag)
    articles[0].attachments.create(title_en="Full text", file=ContentFile(b"%PDF-1.4 x", name="text.pdf"))
    zone = make_zone(region=region)
    project = make_project(
        region=region, zone=zone, desk=make_desk(), land_area_mu=Decimal("1250.5"), lat=Decimal("43.8868")
    )
    project.related_articles.add(articles[0])
    return {"now": now, "article": articles[0], "column": column, "region": region, "tag": tag, "project": project}


def values_for(query, corpus, model):
    article, now = corpus["article"], corpus["now"]
    ints = {
        "pk": article.pk,
        "article": article.pk,
        "column": corpus["column"].pk,
        "project": corpus["project"].pk,
        "region": corpus["region"].pk,
    }
    subjects = {Column: corpus["column"], Tag: corpus["tag"], Region: corpus["region"]}
    slugs = {model: subject.slug for model, subject in subjects.items()}
    values = {}
    for name, kind in query.kinds.items():
        if kind is int and name in ints:
            values[name] = ints[name]
        elif kind is int:  # pk0, pk1…: the home page's cards, read by primary key
            values[name] = article.pk
        elif kind is str:
            values[name] = corpus["project"].code if name == "code" else slugs.get(model, "investment-dynamics")
        elif kind is date:
            values[name] = now.date()
        else:
            values[name] = {"at": article.publish_at, "since": now - timedelta(days=30)}.get(name, now)
    return values


def snapshot(rows):
    """Rows with each value's type; an instance as its loaded fields, annotations and related rows."""
    found = []
    for row in rows:
        if isinstance(row, tuple):
            found.append(tuple((type(value), value) for value in row))
            continue
        deferred = row.get_deferred_fields()
        fields = [field for field in row._meta.concrete_fields if field.attname not in deferred]
        loaded = {field.attname: (type(getattr(row, field.attname)), getattr(row, field.attname)) for field in fields}
        related = {
            field.name: getattr(row, field.name) and getattr(row, field.name).pk
            for field in fields
            if field.many_to_one
        }
        own = {field.attname for field in row._meta.concrete_fields} | {"_state"}
        # An annotation comes as the database gives it in the public form (SQLite: a truth as 1 or 0).
        annotations = {name: bool(value) for name, value in vars(row).items() if name not in own and name[0] != "_"}
        found.append((type(row), loaded, related, annotations))
    return found


def run(settings, mode, query, values):
    settings.PORTAL_PREPARED_QUERIES = mode
    query(**values)  # the first call of a form builds it
    with CaptureQueriesContext(connection) as ran:
        rows = snapshot(query(**values))
    return rows, len(ran)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_prepared_query_reads_what_the_plain_queryset_reads(settings, corpus, language):
    checked = []
    with translation.override(language):
        for name, query in every_prepared_query().items():
            model = query.build(**query.stand_ins()).model
            values = values_for(query, corpus, model)
            plain = run(settings, "plain", query, values)
            assert run(settings, False, query, values) == plain, name
            assert run(settings, True, query, values) == plain, name
            checked.append((name, len(plain[0])))
    assert len(checked) >= 20
    # Most read something: a query that found nothing would prove little.
    assert sum(1 for _name, count in checked if count) >= len(checked) * 2 // 3, checked


def test_the_project_row_converts_each_kind_of_column(settings, corpus):
    """The project page's query: decimals, dates, times, booleans, a JSON list (its desk's languages),
    a deferred related model (the zone) and a nullable foreign key left empty."""
    settings.PORTAL_PREPARED_QUERIES = False
    project, now = corpus["project"], corpus["now"]
    (found,) = project_queries.project_on_site(code=project.code, now=now)
    assert found.desk.languages == ["zh-hans", "en"] and found.zone.pk == project.zone_id
    assert str(found.land_area_mu) == "1250.50" and found.lat == Decimal("43.8868")
    assert "name_en" not in found.zone.get_deferred_fields() and found.zone.get_deferred_fields()
    Project.objects.filter(pk=project.pk).update(zone=None)
    with CaptureQueriesContext(connection) as ran:
        (found,) = project_queries.project_on_site(code=project.code, now=now)
        assert found.zone is None
    assert len(ran) == 1


def test_the_sql_is_the_orms_and_runs_once_to_be_seen(settings, corpus):
    settings.PORTAL_PREPARED_QUERIES = False
    query = PreparedQuery(lambda pk: Article.objects.select_related("column").filter(pk=pk), pk=int)
    pk = corpus["article"].pk
    with CaptureQueriesContext(connection) as orm:
        list(Article.objects.select_related("column").filter(pk=pk))
    with CaptureQueriesContext(connection) as first:
        query(pk=pk)
    with CaptureQueriesContext(connection) as then:
        (found,) = query(pk=pk)
        assert found.column.slug == "investment-dynamics"  # set from the row, no query of its own
    # Once: the stand-in values' run, then the query and its plain queryset to compare the first rows.
    assert len(first) == 3 and len(then) == 1
    assert then[0]["sql"] == orm[0]["sql"]


def test_a_row_it_cannot_read_is_refused(settings, corpus):
    settings.PORTAL_PREPARED_QUERIES = False
    nested = PreparedQuery(lambda code: Project.objects.select_related("zone__region").filter(code=code), code=str)
    with pytest.raises(ImproperlyConfigured, match="no one related model"):
        nested(code=corpus["project"].code)
    inlined = PreparedQuery(lambda pk: Article.objects.extra(where=[f"id = {pk}"]), pk=int)  # noqa: S610
    with pytest.raises(ImproperlyConfigured, match="not passed as SQL parameters"):
        inlined(pk=1)


def test_rows_and_instances_are_declared_and_checked(settings):
    settings.PORTAL_PREPARED_QUERIES = True
    with pytest.raises(ImproperlyConfigured, match="PreparedRows"):
        PreparedQuery(lambda pk: Article.objects.rewrite(False).filter(pk=pk).values_list("pk"), pk=int)(pk=1)
    with pytest.raises(ImproperlyConfigured, match="PreparedRows"):
        PreparedRows(lambda pk: Article.objects.filter(pk=pk), pk=int)(pk=1)
