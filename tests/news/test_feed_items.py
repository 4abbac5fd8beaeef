"""Feed items kept per article (news/feeds.py): written again only when what they show changed,
however the row changed, and the feed byte for byte what Django's syndication writes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.feeds import CarriableRssFeed, LatestArticlesFeed
from news.models import Article
from tests.factories import image_file, make_article, make_column

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold(settings):
    """Every request renders its feed (the page cache off, as the harness's cold pages)."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


FEEDS = [
    "/en/feed/",
    "/zh-hans/feed/",
    "/en/column/investment-dynamics/feed/",
    "/zh-hans/column/investment-dynamics/feed/",
    "/en/column/carrying/feed/",  # a column that carries an article of another (一稿多发)
]


@pytest.fixture
def written(monkeypatch):
    """The titles of the items each request wrote through Django's syndication."""
    titles = []
    item_xml = CarriableRssFeed.item_xml

    def counting(self, item):
        titles.append(item["title"])
        return item_xml(self, item)

    monkeypatch.setattr(CarriableRssFeed, "item_xml", counting)
    return titles


@pytest.fixture
def articles(site):
    now = timezone.now()
    found = [
        make_article(
            site,
            title_en=f"Story {n}",
            title_zh_hans=f"新闻{n}",
            author_en="Li Ming, Wang Fang" if n == 1 else "",
            cover_image=image_file() if n % 2 == 0 else "",
            publish_at=now - timedelta(hours=n + 1),
        )
        for n in range(3)
    ]
    found[1].further_columns.add(make_column(slug="carrying"))
    return found


def test_only_the_changed_articles_item_is_written_again(client, articles, written):
    first = client.get("/en/feed/").content
    assert written == ["Story 0", "Story 1", "Story 2"]
    assert client.get("/en/feed/").content == first and len(written) == 3
    articles[1].title_en = "Story one, corrected"
    articles[1].save()
    changed = client.get("/en/feed/").content.decode()
    assert written[3:] == ["Story one, corrected"]
    assert changed.index("Story 0") < changed.index("Story one, corrected") < changed.index("Story 2")


def test_an_update_behind_the_orm_and_a_restore_are_followed(client, articles, written):
    before = client.get("/en/feed/").content
    Article.objects.filter(pk=articles[2].pk).update(title_en="Renamed behind the ORM")  # updated_at unchanged
    assert b"Renamed behind the ORM" in client.get("/en/feed/").content
    assert written[3:] == ["Renamed behind the ORM"]
    Article.objects.filter(pk=articles[2].pk).update(title_en="Story 2")  # as a restore of a backup puts it back
    assert client.get("/en/feed/").content == before


def test_a_replaced_cover_changes_the_enclosure(client, articles, settings):
    assert b"cover" in client.get("/en/feed/").content
    article = articles[0]
    article.cover_image = image_file("larger.png", size=(640, 360), image_format="PNG")
    article.save()
    text = client.get("/en/feed/").content.decode()
    assert f'length="{article.cover_image.size}" type="image/png"' in text
    assert article.cover_image.url in text


def test_each_language_and_host_has_its_own_items(client, articles, written):
    english = client.get("/en/feed/").content.decode()
    chinese = client.get("/zh-hans/feed/").content.decode()
    assert "Story 0" in english and "新闻0" in chinese and "Story 0" not in chinese
    other = client.get("/en/feed/", HTTP_HOST="localhost").content.decode()
    assert "http://localhost/en/news/" in other and "http://testserver/" not in other
    assert len(written) == 9


@pytest.mark.parametrize("url", FEEDS)
def test_kept_items_make_the_feed_django_writes(client, articles, monkeypatch, url):
    written = client.get(url)
    kept = client.get(url)
    monkeypatch.setattr(LatestArticlesFeed, "keep_items", False)
    plain = client.get(url)
    assert written.content == kept.content == plain.content and b"<item>" in plain.content
    assert written["Last-Modified"] == kept["Last-Modified"] == plain["Last-Modified"]


@pytest.mark.parametrize("url", FEEDS)
def test_a_feed_whose_items_are_kept_runs_no_more_queries(client, articles, url):
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    assert len(kept) <= len(first)
