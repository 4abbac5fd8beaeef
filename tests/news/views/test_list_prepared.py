"""The article lists' prepared queries (news/list_queries.py): a column's, a tag's and a region's pages
the same with ``PORTAL_PREPARED_QUERIES`` on and off, and each prepared query reading what the ORM
reads."""

import gc
from datetime import timedelta

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import Http404
from django.utils import timezone, translation

from news import list_queries
from news.models import Article, ArticleDailyReads, Region, Tag
from news.models.querysets import NEWEST_FIRST
from news.pagecache import version
from news.pagecache.fragments import CARD_FIELDS
from tests.factories import make_article, make_column, make_zone
from tests.prepared import pages_either_way

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(site):
    """25 articles in the site's column (two pages), some tagged and in a region, one written only in
    Chinese, one without a summary, reads over the last days; a column that carries three of them
    (一稿多发) besides its own, and an empty column."""
    at = timezone.now() - timedelta(days=3)
    tag = Tag.objects.create(slug="trade", name_zh_hans="贸易", name_en="Trade")
    region = Region.objects.create(slug="yanbian", name_zh_hans="延边州", name_en="Yanbian")
    articles = [
        make_article(site, publish_at=at + timedelta(hours=n), region=region if n % 2 else None) for n in range(25)
    ]
    for article in articles[::3]:
        article.tags.add(tag)
    articles[4].summary_en = ""
    articles[4].save()
    make_article(site, languages=("zh-hans",), publish_at=at, region=region).tags.add(tag)
    carrying = make_column("policies")
    make_article(carrying, publish_at=at + timedelta(minutes=30))
    for article in articles[20:23]:
        article.further_columns.add(carrying)
    make_column("empty")
    make_zone(region=region, name_en="Hunchun Border Zone")
    today = timezone.localdate()
    ArticleDailyReads.objects.bulk_create(
        ArticleDailyReads(article=article, day=today - timedelta(days=n), count=n + 1)
        for n, article in enumerate(articles[15:24])
    )
    return {"articles": articles, "tag": tag, "region": region, "carrying": carrying}


LIST_PAGES = [
    "/{lang}/column/investment-dynamics/",
    "/{lang}/column/investment-dynamics/?page=2",
    "/{lang}/column/investment-dynamics/?page=3",  # past the end: 404
    "/{lang}/column/policies/",  # carries articles of another column
    "/{lang}/column/empty/",
    "/{lang}/column/empty/?page=2",
    "/{lang}/column/nope/",
    "/{lang}/column/investment-dynamics/?page=x",
    "/{lang}/tag/trade/",
    "/{lang}/tag/trade/?page=2",
    "/{lang}/region/yanbian/",
    "/{lang}/region/nope/",
]


def test_list_pages_are_byte_for_byte_the_same_either_way(client, settings, lists):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    addresses = [page.format(lang=lang) for lang in ("zh-hans", "en") for page in LIST_PAGES]
    prepared, public, plain = pages_either_way(client, settings, addresses)
    assert prepared == public == plain  # the same bytes from the same number of queries
    statuses = {address: status for address, (status, _body, _count) in prepared.items()}
    assert [address for address, status in statuses.items() if status == 404] == [
        f"/{lang}/{page}"
        for lang in ("zh-hans", "en")
        for page in ("column/investment-dynamics/?page=3", "column/empty/?page=2", "column/nope/")
        + ("column/investment-dynamics/?page=x", "tag/trade/?page=2", "region/nope/")
    ]
    page = prepared["/en/column/policies/"][1].decode()
    assert all(article.title_en in page for article in lists["articles"][20:23])
    column = prepared["/en/column/investment-dynamics/"][1].decode()
    sidebar = column[column.index("Most read in the last 30 days") :]
    assert sidebar.index(lists["articles"][23].title_en) < sidebar.index(lists["articles"][22].title_en)
    assert "Hunchun Border Zone" in prepared["/en/region/yanbian/"][1].decode()


def orm_rows(articles, bottom, top):
    """What ``IndexedPaginator`` read before the list's queries were prepared."""
    ids = articles.values("pk")[bottom:top]
    return list(Article.objects.filter(pk__in=ids).order_by(*NEWEST_FIRST).values_list("pk", *CARD_FIELDS))


@pytest.mark.parametrize("prepared", [True, False, "plain"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_lists_count_and_rows_are_what_the_orm_reads(settings, lists, prepared, language):
    settings.PORTAL_PREPARED_QUERIES = prepared
    now = timezone.now()
    subjects = {"column": lists["articles"][0].column, "tags": lists["tag"], "region": lists["region"]}
    with translation.override(language):
        for lookup, subject in subjects.items():
            articles = Article.objects.public(now=now).for_listing().filter(**{lookup: subject})
            found = list_queries.ArticleList(lookup, subject.pk, now)
            assert found.count() == articles.count() > 0
            for bottom, top in ((0, 20), (20, 40), (5, 9)):
                assert found.rows(bottom, top) == orm_rows(articles, bottom, top)
        carried = Article.objects.carried_ids(lists["carrying"])
        assert list_queries.carried_ids(lists["carrying"]) == carried and len(carried) == 3
        listed = list_queries.ArticleList("column", lists["carrying"].pk, now, carried)
        articles = Article.objects.public(now=now).in_column(lists["carrying"], carried)
        assert listed.count() == articles.count() == 4
        assert listed.rows(0, 20) == orm_rows(articles, 0, 20)


@pytest.mark.parametrize("prepared", [True, False, "plain"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_most_read_is_what_the_orm_reads(settings, lists, prepared, language):
    settings.PORTAL_PREPARED_QUERIES = prepared
    now = timezone.now()
    site, carrying = lists["articles"][0].column, lists["carrying"]
    with translation.override(language):
        for column, carried in ((site, []), (carrying, Article.objects.carried_ids(carrying))):
            orm = Article.objects.public().in_column(column, carried).most_read(days=30).links()[:5]
            assert [tuple(link) for link in list_queries.most_read(column, carried, now)] == list(orm)
    assert len(list_queries.most_read(site, [], now)) == 5


@pytest.mark.parametrize("prepared", [True, False, "plain"])
def test_the_subject_is_what_get_object_or_404_finds(settings, lists, prepared):
    settings.PORTAL_PREPARED_QUERIES = prepared
    column = list_queries.subject_or_404(list_queries.column_by_slug, "policies")
    # An annotation comes as the database gives it in the public form (SQLite: 1 and 0): read as a truth.
    assert column == lists["carrying"] and column.carries
    assert not list_queries.subject_or_404(list_queries.column_by_slug, "empty").carries
    assert list_queries.subject_or_404(list_queries.tag_by_slug, "trade") == lists["tag"]
    assert list_queries.subject_or_404(list_queries.region_by_slug, "yanbian") == lists["region"]
    with pytest.raises(Http404):
        list_queries.subject_or_404(list_queries.tag_by_slug, "nope")


def test_page_queries_are_kept_for_so_many_pages_and_then_let_go(settings, lists):
    """A page of a list is a prepared query of its own (its LIMIT and OFFSET are in the SQL): at most
    ``PAGES_KEPT`` are kept, and the compiled forms of those let go leave with them."""
    settings.PORTAL_PREPARED_QUERIES = True
    now = timezone.now()
    subject = lists["articles"][0].column_id
    store = connections[DEFAULT_DB_ALIAS].__dict__  # the wrapper's (``connection`` is a proxy)
    before = len(store.get("_prepared_queries", ()))
    for bottom in range(list_queries.PAGES_KEPT + 10):
        list_queries.ArticleList("column", subject, now).rows(bottom, bottom + 1)
    gc.collect()
    assert len(store["_prepared_queries"]) <= before + list_queries.PAGES_KEPT


def test_most_read_follows_an_edit_at_once_and_new_reads_within_a_minute(client, settings, site, monkeypatch):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    today = timezone.localdate()
    popular, quiet = make_article(site, title_en="Popular"), make_article(site, title_en="Quiet")
    ArticleDailyReads.objects.create(article=popular, day=today, count=5)

    def sidebar():
        page = client.get("/en/column/investment-dynamics/").content.decode()
        return page[page.index("Most read in the last 30 days") : page.index("</ol>", page.index("most-read"))]

    assert "Popular" in sidebar() and "Quiet" not in sidebar()
    # Reads reach the database a minute late at most (news/visits.py); the list follows them as late.
    ArticleDailyReads.objects.create(article=quiet, day=today, count=9)
    assert "Quiet" not in sidebar()
    later = (timezone.now() + timedelta(seconds=list_queries.MOST_READ_SECONDS + 1)).timestamp()
    monkeypatch.setattr(version, "now", lambda: later)
    assert sidebar().index("Quiet") < sidebar().index("Popular")
    # An edit shows at once: a new title, an article withdrawn.
    popular.title_en = "Popular, renamed"
    popular.save()
    assert "Popular, renamed" in sidebar()
    quiet.status = Article.Status.DRAFT
    quiet.save()
    assert "Quiet" not in sidebar()
