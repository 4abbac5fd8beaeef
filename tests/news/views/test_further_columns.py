"""One article in several columns (一稿多发): the primary column owns the address and the breadcrumb,
further columns list it in their pages, archives, feeds and home blocks."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article
from tests.factories import make_article, make_column
from tests.servers import clear_cache

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def policies(site):
    return make_column("policies", name_zh_hans="政策法规", name_en="Policies", order=5)


@pytest.fixture
def shared(site, policies):
    """An article of 'policies' that 'investment-dynamics' (the site's column) carries too."""
    article = make_article(policies, title_en="Shared policy", title_zh_hans="共享政策")
    article.further_columns.add(site)
    return article


def xml(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 - our own output


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def titles_in_order(page, titles):
    return sorted((page.index(title), title) for title in titles if title in page)


class TestLists:
    def test_a_further_column_lists_the_article_among_its_own_newest_first(self, client, site, policies):
        now = timezone.now()
        older = make_article(site, title_en="Own older", publish_at=now - timedelta(days=3))
        newer = make_article(site, title_en="Own newer", publish_at=now - timedelta(days=1))
        carried = make_article(policies, title_en="Carried middle", publish_at=now - timedelta(days=2))
        carried.further_columns.add(site)
        page = text(client.get("/en/column/investment-dynamics/"))
        order = [title for _at, title in titles_in_order(page, ["Own older", "Own newer", "Carried middle"])]
        assert order == ["Own newer", "Carried middle", "Own older"]
        # The link is the article's one address, and the primary column's own list has it too.
        assert f'href="{carried.get_absolute_url("en")}"' in page
        assert "Carried middle" in text(client.get("/en/column/policies/"))
        assert older.pk and newer.pk

    def test_pages_and_count_take_the_carried_articles_in(self, client, site, policies):
        now = timezone.now()
        for i in range(25):
            make_article(site, title_en=f"Own {i:02d}", publish_at=now - timedelta(hours=2 * i + 2))
        carried = make_article(policies, title_en="Carried one", publish_at=now - timedelta(hours=41))
        carried.further_columns.add(site)
        first, second = (
            text(client.get(url))
            for url in ("/en/column/investment-dynamics/", "/en/column/investment-dynamics/?page=2")
        )
        assert "Carried one" not in first and "Carried one" in second  # the 21st newest of 26
        assert "Own 19" in first and "Own 20" in second
        assert first.count("Own ") + second.count("Own ") >= 25

    def test_a_draft_or_a_language_it_lacks_keeps_it_out(self, client, site, policies):
        chinese = make_article(policies, languages=("zh-hans",), title_zh_hans="只有中文")
        draft = make_article(policies, status=Article.Status.DRAFT, title_en="A carried draft")
        for article in (chinese, draft):
            article.further_columns.add(site)
        assert "A carried draft" not in text(client.get("/en/column/investment-dynamics/"))
        assert "只有中文" not in text(client.get("/en/column/investment-dynamics/"))
        assert "只有中文" in text(client.get("/zh-hans/column/investment-dynamics/"))

    def test_archives_of_the_further_column_hold_it(self, client, shared, site):
        month = timezone.localtime(shared.publish_at)
        column_page = text(client.get("/en/column/investment-dynamics/"))
        assert f"/en/column/investment-dynamics/{month.year}/{month.month:02d}/" in column_page
        for url in (
            f"/en/column/investment-dynamics/{month.year}/",
            f"/en/column/investment-dynamics/{month.year}/{month.month:02d}/",
        ):
            assert "Shared policy" in text(client.get(url))

    def test_the_address_and_breadcrumb_stay_the_primary_columns(self, client, shared):
        page = text(client.get(shared.get_absolute_url("en")))
        breadcrumb = page[page.index('class="breadcrumb"') :]
        breadcrumb = breadcrumb[: breadcrumb.index("</nav>")]
        assert "/en/column/policies/" in breadcrumb and "investment-dynamics" not in breadcrumb
        assert f'<link rel="canonical" href="http://testserver{shared.get_absolute_url("en")}">' in page


class TestFeedsSitemapHome:
    def test_the_further_columns_feed_carries_it_under_its_primary_category(self, client, shared, site):
        own = make_article(site, title_en="Own news")
        root = xml(client.get("/en/column/investment-dynamics/feed/"))
        items = {item.findtext("title"): item for item in root.iter("item")}
        assert set(items) == {"Shared policy", "Own news"}
        assert items["Shared policy"].findtext("category") == "Policies"
        assert items["Shared policy"].findtext("link").endswith(shared.get_absolute_url("en"))
        assert own.pk

    def test_the_sitemap_lists_the_article_once(self, client, shared, pages):
        index = xml(client.get("/sitemap.xml"))
        locations = []
        for section in index.iter(f"{SITEMAP}loc"):
            root = xml(client.get(section.text.replace("http://testserver", "")))
            locations += [url.findtext(f"{SITEMAP}loc") for url in root.iter(f"{SITEMAP}url")]
        mine = [url for url in locations if f"/news/{shared.pk}/" in url]
        assert sorted(mine) == sorted(f"http://testserver{shared.get_absolute_url(code)}" for code in ("zh-hans", "en"))

    def test_home_blocks_show_it_in_every_column_it_is_in(self, client, site, policies):
        now = timezone.now()
        for i in range(6):
            make_article(site, title_en=f"Own {i}", publish_at=now - timedelta(days=i + 1))
        carried = make_article(policies, title_en="Carried newest", publish_at=now - timedelta(hours=1))
        carried.further_columns.add(site)
        only_carried = make_column("notices", name_en="Notices", name_zh_hans="通知公告", order=9)
        carried.further_columns.add(only_carried)
        page = text(client.get("/en/"))
        blocks = {}
        for chunk in page.split('<section class="column-block"')[1:]:
            blocks[chunk.split('id="column-')[1].split('"')[0]] = chunk.split("</section>")[0]
        assert "Carried newest" in blocks["investment-dynamics"]
        assert "Own 5" not in blocks["investment-dynamics"]  # six a block: the oldest own one gave way
        assert "Carried newest" in blocks["policies"] and "Carried newest" in blocks["notices"]


class TestCacheAndQueries:
    def test_adding_or_removing_a_further_column_turns_the_cached_page_over(self, client, site, policies):
        article = make_article(policies, title_en="Moving around")
        url = "/en/column/investment-dynamics/"
        assert "Moving around" not in text(client.get(url))
        assert client.get(url)["X-Page-Cache"] == "hit"
        article.further_columns.add(site)
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss" and "Moving around" in text(response)
        article.further_columns.remove(site)
        assert "Moving around" not in text(client.get(url))

    @staticmethod
    def count(client, url):
        clear_cache()
        client.get(url)  # a prepared query's first calls (tests/news/views/test_reader.py TestQueryCounts.learn)
        clear_cache()
        with CaptureQueriesContext(connection) as queries:
            text(client.get(url))
        return len(queries)

    @pytest.mark.parametrize(
        "url",
        [
            "/en/column/investment-dynamics/",
            "/en/column/investment-dynamics/?page=2",
            "/en/",
            "/en/column/investment-dynamics/feed/",
        ],
    )
    def test_the_number_of_queries_does_not_grow_with_the_articles(self, client, site, policies, url):
        now = timezone.now()
        for i in range(22):
            make_article(site, publish_at=now - timedelta(hours=i + 1))
        make_article(policies).further_columns.add(site)
        small = self.count(client, url)
        Article.objects.bulk_create(
            Article(
                column=site if i % 2 else policies,
                status=Article.Status.PUBLISHED,
                publish_at=now - timedelta(days=1, minutes=i),
                title_zh_hans=f"标题{i}",
                body_zh_hans="<p>正文</p>",
                title_en=f"Title {i}",
                body_en="<p>Body</p>",
            )
            for i in range(300)
        )
        for article in Article.objects.filter(column=policies)[:40]:
            article.further_columns.add(site)
        assert self.count(client, url) == small
        # A column that carries articles reads their ids, then a page's ids apart from its rows: two
        # queries more than a plain column (13 with the cache empty, held by tests/news/views/test_reader.py).
        if "column" in url and "feed" not in url:
            assert small <= 15
