"""Archives, tag and region pages, read counts and the most-read list."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from news import visits
from news.models import Article, ArticleDailyReads, Region, Tag
from tests.factories import make_article, make_column, make_zone
from tests.servers import clear_cache

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
BROWSER = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"}


class TestArchives:
    @pytest.fixture
    def dated(self, site):
        return {
            "may": make_article(site, title_en="May story", publish_at=datetime(2025, 5, 31, 23, 30, tzinfo=SHANGHAI)),
            "june": make_article(site, title_en="June story", publish_at=datetime(2025, 6, 1, 0, 30, tzinfo=SHANGHAI)),
            "other_year": make_article(site, title_en="Older story", publish_at=datetime(2024, 6, 1, tzinfo=SHANGHAI)),
            "chinese_only": make_article(
                site, languages=("zh-hans",), publish_at=datetime(2025, 6, 2, tzinfo=SHANGHAI)
            ),
        }

    def test_year_archive(self, client, dated):
        page = client.get("/en/column/investment-dynamics/2025/").content.decode()
        assert "May story" in page and "June story" in page and "Older story" not in page
        assert "<h1>Investment Dynamics: 2025</h1>" in page

    def test_month_archive_uses_shanghai_dates(self, client, dated):
        june = client.get("/en/column/investment-dynamics/2025/06/").content.decode()
        assert "June story" in june and "May story" not in june  # 23:30 on May 31 in Shanghai is May
        assert "May story" in client.get("/en/column/investment-dynamics/2025/05/").content.decode()

    @pytest.mark.parametrize(
        "url",
        ["/en/column/investment-dynamics/2023/", "/en/column/investment-dynamics/2025/13/", "/en/column/nope/2025/"],
    )
    def test_empty_or_impossible_archives_are_404(self, client, dated, url):
        assert client.get(url).status_code == 404

    def test_the_column_page_links_its_archive(self, client, dated):
        page = client.get("/en/column/investment-dynamics/").content.decode()
        assert 'href="/en/column/investment-dynamics/2025/"' in page
        assert 'href="/en/column/investment-dynamics/2025/06/"' in page
        assert 'href="/en/column/investment-dynamics/2024/06/"' in page


def hreflangs(page):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', page))


def switcher(page):
    nav = page[page.index('class="language-switcher"') : page.index("</nav>", page.index('class="language-switcher"'))]
    return {lang: href for href, lang in re.findall(r'<a href="([^"]*)" hreflang="([^"]+)"', nav)}


class TestOneAddressPerArchive:
    @pytest.fixture
    def months(self, site):
        return {
            "both": make_article(site, publish_at=datetime(2025, 9, 3, tzinfo=SHANGHAI)),
            "chinese": make_article(site, languages=("zh-hans",), publish_at=datetime(2025, 3, 3, tzinfo=SHANGHAI)),
            "english": make_article(site, languages=("en",), publish_at=datetime(2024, 4, 3, tzinfo=SHANGHAI)),
        }

    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    @pytest.mark.parametrize(
        ("spelling", "canonical"),
        [
            ("2025/9/", "2025/09/"),
            ("02025/09/", "2025/09/"),
            ("2025/009/", None),
            ("02025/", "2025/"),
            ("2025/9/?from=feed", "2025/09/?from=feed"),
        ],
    )
    def test_other_spellings_redirect_to_the_one_address(self, client, months, language, spelling, canonical):
        response = client.get(f"/{language}/column/investment-dynamics/{spelling}")
        if canonical is None:
            assert response.status_code == 404
        else:
            assert response.status_code == 301
            assert response["Location"] == f"/{language}/column/investment-dynamics/{canonical}"

    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    @pytest.mark.parametrize(
        ("spelling", "canonical"),
        [
            ("column/investment-dynamics/?page=1", "column/investment-dynamics/"),
            ("column/investment-dynamics/?page=01&from=feed", "column/investment-dynamics/?from=feed"),
            ("column/investment-dynamics/2025/9/?page=1", "column/investment-dynamics/2025/09/"),
            ("tag/cars/?page=001", "tag/cars/"),
            ("region/changchun/?page=1", "region/changchun/"),
            ("search/?q=%E5%90%89%E6%9E%97&page=1", "search/?q=%E5%90%89%E6%9E%97"),
        ],
    )
    def test_the_page_number_has_one_spelling(self, client, months, language, spelling, canonical):
        Tag.objects.create(slug="cars", name_zh_hans="汽车", name_en="Cars")
        Region.objects.create(slug="changchun", name_zh_hans="长春市", name_en="Changchun")
        response = client.get(f"/{language}/{spelling}")
        assert response.status_code == 301 and response["Location"] == f"/{language}/{canonical}"
        assert client.get(response["Location"]).status_code == 200

    @pytest.mark.parametrize(("language", "other", "tag"), [("zh-hans", "en", "en"), ("en", "zh-hans", "zh-Hans")])
    def test_canonical_switcher_and_hreflang_agree(self, client, months, language, other, tag):
        page = client.get(f"/{language}/column/investment-dynamics/2025/09/").content.decode()
        own = f"http://testserver/{language}/column/investment-dynamics/2025/09/"
        assert f'<link rel="canonical" href="{own}">' in page
        assert hreflangs(page)[tag] == f"http://testserver/{other}/column/investment-dynamics/2025/09/"
        assert own in hreflangs(page).values()
        assert switcher(page)[tag] == f"/{other}/column/investment-dynamics/2025/09/"
        column = client.get(f"/{language}/column/investment-dynamics/").content.decode()
        assert f'href="/{language}/column/investment-dynamics/2025/09/"' in column

    @pytest.mark.parametrize(
        ("url", "missing", "tag", "fallback"),
        [
            (
                "/zh-hans/column/investment-dynamics/2025/03/",
                "/en/column/investment-dynamics/2025/03/",
                "en",
                "/en/column/investment-dynamics/",
            ),
            ("/zh-hans/column/investment-dynamics/2025/", None, "en", "/en/column/investment-dynamics/2025/"),
            (
                "/en/column/investment-dynamics/2024/04/",
                "/zh-hans/column/investment-dynamics/2024/04/",
                "zh-Hans",
                "/zh-hans/column/investment-dynamics/",
            ),
            (
                "/en/column/investment-dynamics/2024/",
                "/zh-hans/column/investment-dynamics/2024/",
                "zh-Hans",
                "/zh-hans/column/investment-dynamics/",
            ),
        ],
    )
    def test_an_archive_missing_in_a_language_is_never_linked_there(self, client, months, url, missing, tag, fallback):
        page = client.get(url).content.decode()
        assert switcher(page)[tag] == fallback
        if missing:
            assert client.get(missing).status_code == 404
            assert tag not in hreflangs(page)
        else:
            assert hreflangs(page)[tag] == "http://testserver" + fallback
        assert client.get(fallback).status_code == 200

    @pytest.mark.parametrize(("language", "tag", "other"), [("zh-hans", "en", "en"), ("en", "zh-Hans", "zh-hans")])
    def test_an_article_in_one_language_sends_the_switcher_to_its_column(self, client, site, language, tag, other):
        article = make_article(site, languages=(language,))
        page = client.get(article.get_absolute_url(language)).content.decode()
        assert list(hreflangs(page)) == [{"zh-hans": "zh-Hans", "en": "en"}[language]]
        assert switcher(page)[tag] == f"/{other}/column/investment-dynamics/"


# A cold region page: the content version, the region, its zones, the count and the page of its
# articles, the chrome (settings, columns, pages, the visits total), the next scheduled change,
# and the articles of the cards not kept (all, with the cache empty: the page reads what its
# cards show first).
REGION_PAGE_QUERIES = 11


class TestTagsAndRegions:
    def test_tag_and_region_pages_list_public_articles_in_the_language(self, client, site):
        tag = Tag.objects.create(slug="clean-energy", name_zh_hans="清洁能源", name_en="Clean energy")
        region = Region.objects.create(slug="baicheng", name_zh_hans="白城市", name_en="Baicheng")
        tagged = make_article(site, title_en="Wind farm", region=region)
        tagged.tags.add(tag)
        hidden = make_article(site, title_en="Draft wind farm", status=Article.Status.DRAFT, region=region)
        hidden.tags.add(tag)
        chinese = make_article(site, languages=("zh-hans",), title_zh_hans="光伏", region=region)
        chinese.tags.add(tag)
        for url in ("/en/tag/clean-energy/", "/en/region/baicheng/"):
            page = client.get(url).content.decode()
            assert "Wind farm" in page and "Draft" not in page and "光伏" not in page
        assert "光伏" in client.get("/zh-hans/region/baicheng/").content.decode()
        article_page = client.get(tagged.get_absolute_url("en")).content.decode()
        assert 'href="/en/tag/clean-energy/">Clean energy</a>' in article_page
        assert 'href="/en/region/baicheng/">Baicheng</a>' in article_page
        assert client.get("/en/tag/nope/").status_code == 404

    @pytest.mark.parametrize("kind", ["tag", "region"])
    def test_the_count_kept_per_content_version_follows_an_edit_at_once(self, client, site, kind):
        # The count of a tag's or region's articles (its pages) follows an edit at once.
        region = Region.objects.create(slug="yanbian", name_zh_hans="延边州", name_en="Yanbian")
        tag = Tag.objects.create(slug="trade", name_zh_hans="贸易", name_en="Trade")
        for i in range(20):
            article = make_article(site, title_en=f"Story {i}", region=region)
            article.tags.add(tag)
        slug = {"tag": "trade", "region": "yanbian"}[kind]
        assert client.get(f"/en/{kind}/{slug}/?page=2").status_code == 404
        extra = make_article(site, title_en="The twenty-first", region=region)
        extra.tags.add(tag)
        second = client.get(f"/en/{kind}/{slug}/?page=2")
        assert second.status_code == 200 and "Story 0" in second.text
        Article.objects.filter(pk=extra.pk).first().delete()
        assert client.get(f"/en/{kind}/{slug}/?page=2").status_code == 404

    def test_a_region_page_lists_its_public_zones_and_links_its_projects(
        self, client, site, django_assert_max_num_queries
    ):
        region = Region.objects.create(slug="yanbian", name_zh_hans="延边州", name_en="Yanbian")
        elsewhere = Region.objects.create(slug="siping", name_zh_hans="四平市", name_en="Siping")
        make_article(site, title_en="Border trade", region=region)
        zone = make_zone(region=region, name_en="Hunchun Border Zone", name_zh_hans="珲春边境经济合作区")
        chinese_only = make_zone(region=region, languages=("zh-hans",), name_zh_hans="延吉高新区")
        make_zone(region=region, name_en="Draft Zone", status="draft")
        make_zone(region=elsewhere, name_en="Siping Zone")
        clear_cache()
        client.get("/en/region/yanbian/")  # a prepared query's first call (test_reader.py TestQueryCounts.learn)
        clear_cache()
        with django_assert_max_num_queries(REGION_PAGE_QUERIES):
            english = client.get("/en/region/yanbian/").text
        assert f'<a href="{zone.get_absolute_url("en")}">Hunchun Border Zone</a>' in english
        assert "延吉" not in english and "Draft Zone" not in english and "Siping Zone" not in english
        assert 'href="/en/projects/?region=yanbian"' in english and 'href="/en/zones/?region=yanbian"' in english
        chinese = client.get("/zh-hans/region/yanbian/").text
        assert chinese_only.get_absolute_url("zh-hans") in chinese and "投资延边州" in chinese
        # A tag page has no such section.
        tag = Tag.objects.create(slug="trade", name_zh_hans="贸易", name_en="Trade")
        assert "region-invest" not in client.get(f"/en/tag/{tag.slug}/").text


class TestReadCounts:
    def test_an_article_view_counts_a_read_and_a_visit(self, client, site):
        article = make_article(site)
        response = client.get(article.get_absolute_url("en"), headers=BROWSER)
        assert "X-Article-Id" not in response
        assert visits.pending_reads(article.pk) == 1 and visits.pending_total() == 1
        client.get(article.get_absolute_url("en"), headers=BROWSER)  # a reload
        assert visits.pending_reads(article.pk) == 1
        visits.flush(force=True)
        assert ArticleDailyReads.objects.get(article=article).count == 1
        page = client.get(article.get_absolute_url("zh-hans"), headers=BROWSER).content.decode()
        assert '阅读次数： <span class="read-count">1</span>' in page

    def test_the_count_shown_adds_stored_and_pending_reads(self, client, site):
        article = make_article(site)
        ArticleDailyReads.objects.create(article=article, day="2026-01-01", count=41)
        client.get(article.get_absolute_url("en"), headers={"user-agent": "Mozilla/5.0 first"})
        page = client.get(article.get_absolute_url("en"), headers=BROWSER).content.decode()
        assert 'Views: <span class="read-count">42</span>' in page

    def test_bots_do_not_read(self, client, site):
        article = make_article(site)
        client.get(article.get_absolute_url("en"), headers={"user-agent": "Baiduspider"})
        assert visits.pending_reads(article.pk) == 0

    def test_reads_of_a_deleted_article_are_dropped_not_failed(self, client, site):
        article = make_article(site)
        client.get(article.get_absolute_url("en"), headers=BROWSER)
        article.delete()
        visits.flush(force=True)
        assert not ArticleDailyReads.objects.exists()
        assert visits.pending_total() == 0

    def test_most_read_in_the_column_over_the_last_30_days(self, client, site):
        today = timezone.localdate()
        popular = make_article(site, title_en="Popular now")
        steady = make_article(site, title_en="Steady reads")
        old_hit = make_article(site, title_en="Old hit")
        elsewhere = make_article(make_column("policies"), title_en="Other column hit")
        draft = make_article(site, title_en="Draft hit", status=Article.Status.DRAFT)
        rows = [
            (popular, today, 50),
            (steady, today - timedelta(days=29), 30),
            (old_hit, today - timedelta(days=30), 500),
        ]
        rows += [(elsewhere, today, 900), (draft, today, 900)]
        ArticleDailyReads.objects.bulk_create([ArticleDailyReads(article=a, day=d, count=c) for a, d, c in rows])
        assert list(Article.objects.public("en").filter(column=site).most_read(30)) == [popular, steady]
        page = client.get("/en/column/investment-dynamics/").content.decode()
        sidebar = page[page.index("Most read in the last 30 days") :]
        assert sidebar.index("Popular now") < sidebar.index("Steady reads")
        assert "Old hit" not in sidebar and "Other column hit" not in sidebar and "Draft hit" not in sidebar
