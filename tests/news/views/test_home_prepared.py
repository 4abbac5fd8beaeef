"""The home page's prepared queries (news/home_queries.py): the same page with ``PORTAL_PREPARED_QUERIES``
on and off, and the same queries."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from news import home_queries
from news.models import Article
from news.pagecache.fragments import FEATURED_CARD_FIELDS
from tests.factories import make_article, make_column
from tests.prepared import pages_either_way

pytestmark = pytest.mark.django_db


def test_home_pages_are_byte_for_byte_the_same_either_way(client, settings, site_settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    columns = [make_column(), make_column(), make_column()]
    at = timezone.now() - timedelta(days=2)
    # More ids than one padded list holds (home_queries.IDS_STEP), a featured article, one written
    # only in Chinese, and one carried by another column as a further column (一稿多发).
    articles = [
        make_article(column=columns[n % 3], publish_at=at + timedelta(hours=n), featured=n % 4 == 0) for n in range(13)
    ]
    make_article(column=columns[0], languages=("zh-hans",), publish_at=at + timedelta(hours=20))
    articles[1].further_columns.add(columns[0])
    assert len(articles) + 1 > home_queries.IDS_STEP

    prepared, public, plain = pages_either_way(client, settings, ("/zh-hans/", "/en/"))
    assert all(status == 200 for status, _body, _count in prepared.values())
    assert prepared == public == plain  # the same bytes from the same number of queries
    page = prepared["/en/"][1].decode()
    assert articles[1].get_absolute_url("en") in page and articles[12].get_absolute_url("en") in page


@pytest.mark.parametrize("prepared", [True, False, "plain"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_card_rows_are_what_the_orm_reads_padded_or_not(settings, prepared, language):
    settings.PORTAL_PREPARED_QUERIES = prepared
    articles = [make_article() for _ in range(home_queries.IDS_STEP)]
    articles.append(make_article(languages=("zh-hans",)))
    pks = [article.pk for article in articles]
    with translation.override(language):
        orm = Article.objects.filter(pk__in=pks).values_list("pk", *FEATURED_CARD_FIELDS)
        assert sorted(home_queries.card_rows(pks)) == sorted(orm)
        assert sorted(home_queries.card_rows(pks[:3])) == sorted(orm.filter(pk__in=pks[:3]))
    assert home_queries.card_rows([]) == []
