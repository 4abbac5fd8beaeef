import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import set_script_prefix
from django.utils import timezone, translation

from news.models import Article, SiteSettings
from news.pagecache import fragments
from news.views.reader import HomeView
from tests.factories import image_file, make_article, make_column
from tests.servers import clear_cache

pytestmark = pytest.mark.django_db


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def hreflangs(response):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', response.content.decode()))


class TestLanguageChoice:
    @pytest.mark.parametrize(
        ("accept", "target"),
        [("en-US,en;q=0.9", "/en/"), ("zh-CN,zh;q=0.9", "/zh-hans/"), ("fr-FR", "/zh-hans/"), ("", "/zh-hans/")],
    )
    def test_root_sends_the_reader_to_the_preferred_language(self, client, site, accept, target):
        response = client.get("/", headers={"accept-language": accept} if accept else {})
        assert response.status_code == 302
        assert response["Location"] == target

    def test_set_language_sits_outside_the_prefixes(self, client, site):
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"})
        assert response.status_code == 302
        assert response.cookies["django_language"].value == "en"


class TestHome:
    @pytest.mark.parametrize(
        ("prefix", "lang", "name"), [("zh-hans", "zh-Hans", "投资动态"), ("en", "en", "Investment Dynamics")]
    )
    def test_renders_in_each_language(self, client, site, prefix, lang, name):
        make_article(site, title_zh_hans="吉林新闻", title_en="Jilin news")
        response = client.get(f"/{prefix}/")
        assert response.status_code == 200
        assert html_lang(response) == lang
        assert name in response.content.decode()
        assert hreflangs(response) == {"zh-Hans": "http://testserver/zh-hans/", "en": "http://testserver/en/"}

    def test_shows_featured_and_the_latest_of_each_column(self, client, site):
        other = make_column("policies", name_zh_hans="政策法规", name_en="Policies")
        featured = make_article(site, featured=True, title_en="The featured one")
        old = make_article(site, title_en="Old news", publish_at=timezone.now() - timedelta(days=400))
        recent = [make_article(site, title_en=f"Recent {i}") for i in range(6)]
        policy = make_article(other, title_en="A policy")
        page = client.get("/en/").content.decode()
        assert page.count("The featured one") == 1  # featured; pushed out of its column's six newest
        assert featured.get_absolute_url() in page
        assert all(article.title_en in page for article in recent)
        assert "Old news" not in page and old.get_absolute_url() not in page
        assert "A policy" in page and "Policies" in page
        assert page.index("Investment Dynamics") < page.index("Policies") or policy

    def test_an_edit_of_a_featured_article_shows_at_once(self, client, site):
        # The featured ids are kept per content version and each card per object (by what it
        # shows): a save makes both new.
        featured = make_article(site, featured=True, title_en="Before the edit", cover_image=image_file())
        assert "Before the edit" in client.get("/en/").content.decode()
        featured.title_en = "After the edit"
        featured.cover_alt_en = "A new description of the cover"
        featured.save()
        page = client.get("/en/").content.decode()
        assert "After the edit" in page and "Before the edit" not in page
        assert 'alt="A new description of the cover"' in page
        featured.featured = False
        featured.save()
        assert 'class="featured-item"' not in client.get("/en/").content.decode()

    def test_a_newly_featured_article_shows_at_once(self, client, site):
        make_article(site, featured=True, title_en="Featured first")
        assert client.get("/en/").content.decode().count('class="featured-item"') == 1
        later = make_article(site, title_en="Featured later")
        later.featured = True
        later.save()
        page = client.get("/en/").content.decode()
        assert page.count('class="featured-item"') == 2
        assert page.index("Featured later") < page.index("Featured first")  # newest first

    @pytest.mark.parametrize("count", [1, 3])
    def test_featured_cards_load_only_the_first_cover_at_once(self, client, site, count):
        for i in range(count):
            make_article(site, featured=True, title_en=f"Featured {i}", cover_image=image_file())
        for _ in range(2):  # rendered, then from the kept cards
            page = client.get("/en/").content.decode()
            covers = re.findall(r"<img [^>]*>", page.split('class="featured-list"')[1].split("</ul>")[0])
            assert len(covers) == count and "&lt;" not in page.split('class="featured-list"')[1][:200]
            assert ['loading="lazy"' in cover for cover in covers] == [False] + [True] * (count - 1)

    def test_only_articles_available_in_the_language_are_listed(self, client, site):
        make_article(site, languages=("zh-hans",), title_zh_hans="只有中文的文章")
        make_article(site, title_zh_hans="双语文章", title_en="Bilingual article")
        zh = client.get("/zh-hans/").content.decode()
        en = client.get("/en/").content.decode()
        assert "只有中文的文章" in zh and "双语文章" in zh
        assert "Bilingual article" in en
        assert "只有中文的文章" not in en and "中文" not in re.sub(r'<a [^>]*lang="zh-Hans"[^>]*>.*?</a>', "", en)

    @pytest.fixture
    def cards_written(self, monkeypatch, settings):
        """With the page cache off, the (pk, language) of each card ``{% cards %}`` and
        ``{% featured_cards %}`` were asked for, kept or not: none when the blocks are kept whole."""
        settings.PORTAL_PAGE_CACHE_SECONDS = 0
        asked = []
        cards = fragments.cards

        def counting(rows, template_name, *args, **kwargs):
            asked.extend((pk, translation.get_language()) for pk, _digest in rows)
            return cards(rows, template_name, *args, **kwargs)

        monkeypatch.setattr(fragments, "cards", counting)
        return asked

    def test_the_blocks_are_kept_whole_and_follow_what_they_show(self, client, site, cards_written):
        featured = make_article(site, featured=True, title_en="The featured one")
        story = make_article(site, title_en="A story", title_zh_hans="一则新闻")
        first = client.get("/en/").content.decode()
        assert {pk for pk, _language in cards_written} == {featured.pk, story.pk}
        written = len(cards_written)
        assert client.get("/en/").content.decode() == first and len(cards_written) == written
        # Each language its own blocks.
        assert "一则新闻" in client.get("/zh-hans/").content.decode()
        assert {language for _pk, language in cards_written[written:]} == {"zh-hans"}
        # Changed behind the ORM (a restore, an update()): the blocks follow the rows they show.
        Article.objects.filter(pk=story.pk).update(title_en="A story, corrected")
        page = client.get("/en/").content.decode()
        assert "A story, corrected" in page and "The featured one" in page
        Article.objects.filter(pk=featured.pk).update(featured=False)
        assert 'class="featured-item"' not in client.get("/en/").content.decode()
        Article.objects.filter(pk=story.pk).delete()
        assert "A story" not in client.get("/en/").content.decode()

    def test_kept_blocks_follow_a_scheduled_publication_and_the_column_name(self, client, site, cards_written):
        make_article(site, title_en="Out already")
        make_article(site, title_en="Out in an hour", publish_at=timezone.now() + timedelta(hours=1))
        page = client.get("/en/").content.decode()
        assert "Out already" in page and "Out in an hour" not in page
        later = timezone.now() + timedelta(hours=2)
        with mock.patch.object(timezone, "now", lambda: later):
            assert "Out in an hour" in client.get("/en/").content.decode()
        site.name_en = "Investment News"
        site.save()
        page = client.get("/en/").content.decode()
        assert "More in Investment News" in page and "More in Investment Dynamics" not in page

    def test_the_kept_blocks_key_names_the_script_prefix(self, site):
        rows = [(1, "slug", "标题", "Title", timezone.now(), "", "")]
        blocks = [(site, rows)]
        with translation.override("en"):
            key = HomeView.kept_key(rows, blocks)
            set_script_prefix("/portal/")
            try:
                assert HomeView.kept_key(rows, blocks) != key
            finally:
                set_script_prefix("/")
            assert HomeView.kept_key(rows, blocks) == key
        with translation.override("zh-hans"):
            assert HomeView.kept_key(rows, blocks) != key

    def test_drafts_and_future_articles_are_not_shown(self, client, site):
        make_article(site, title_en="Draft piece", status=Article.Status.DRAFT)
        make_article(site, title_en="Tomorrow's piece", publish_at=timezone.now() + timedelta(days=1))
        page = client.get("/en/").content.decode()
        assert "Draft piece" not in page and "Tomorrow" not in page


class TestColumn:
    def test_newest_first_twenty_a_page(self, client, site):
        now = timezone.now()
        for i in range(25):
            make_article(site, title_en=f"Story {i:02d}", publish_at=now - timedelta(hours=i + 1))
        first = client.get("/en/column/investment-dynamics/").content.decode()
        titles = re.findall(r"Story (\d\d)", first)
        assert titles == [f"{i:02d}" for i in range(20)]
        second = client.get("/en/column/investment-dynamics/?page=2").content.decode()
        assert re.findall(r"Story (\d\d)", second) == [f"{i:02d}" for i in range(20, 25)]
        assert 'rel="prev"' in second

    def test_every_page_holds_what_a_plain_slice_would(self, client, site):
        now = timezone.now()
        for i in range(45):
            # Pairs with the same time: the tie-break on the id must hold across pages too.
            make_article(site, title_en=f"Story {i:02d}", publish_at=now - timedelta(hours=1 + i // 2))
        expected = [a.title_en for a in Article.objects.public("en").filter(column=site)]
        shown = []
        for number in (1, 2, 3):
            # ?page=1 redirects to the column's one address (test_browsing.py).
            page = client.get(f"/en/column/investment-dynamics/?page={number}", follow=True).content.decode()
            shown += re.findall(r"Story \d\d", page)
        assert shown == expected and len(shown) == 45

    @pytest.mark.parametrize("page", ["abc", "0", "-1", "3", "99999999999999999999999", "1.5", "%00", "last'"])
    def test_bad_or_out_of_range_page_is_a_404_page(self, client, site, page):
        make_article(site)
        response = client.get(f"/en/column/investment-dynamics/?page={page}")
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()

    def test_unknown_column_is_404_in_the_readers_language(self, client, site):
        response = client.get("/zh-hans/column/nope/")
        assert response.status_code == 404
        assert html_lang(response) == "zh-Hans"
        assert "页面不存在" in response.content.decode()


class TestArticle:
    def test_the_event_date_is_shown_when_it_is_not_the_publishing_day(self, client, site):
        from datetime import date, datetime
        from zoneinfo import ZoneInfo

        published = datetime(2018, 4, 10, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # 2018-04-09 in UTC
        earlier = make_article(site, publish_at=published, event_date=date(2018, 3, 30))
        same_day = make_article(site, publish_at=published, event_date=date(2018, 4, 10))
        undated = make_article(site, publish_at=published)
        en = client.get(earlier.get_absolute_url("en")).content.decode()
        zh = client.get(earlier.get_absolute_url("zh-hans")).content.decode()
        assert '<span class="event-date">Event date: <time datetime="2018-03-30">2018/03/30</time></span>' in en
        assert '<span class="event-date">事件日期： <time datetime="2018-03-30">2018/03/30</time></span>' in zh
        for article in (same_day, undated):  # the publishing day in Beijing, or no event date: said once
            for language in ("en", "zh-hans"):
                assert 'class="event-date"' not in client.get(article.get_absolute_url(language)).content.decode()

    def test_header_line_body_and_breadcrumb(self, client, site):
        from datetime import datetime
        from zoneinfo import ZoneInfo

        article = make_article(
            site,
            title_en="Beijing SoEs to Jilin",
            body_en="<p>On the morning of March 30th</p>",
            author_en="Li Ming",
            author_zh_hans="李明",
            source_en="Jilin Daily",
            source_zh_hans="吉林日报",
            publish_at=datetime(2018, 4, 10, 9, 40, tzinfo=ZoneInfo("Asia/Shanghai")),
        )
        en = client.get(article.get_absolute_url("en")).content.decode()
        assert "<h1>Beijing SoEs to Jilin</h1>" in en
        assert re.search(r"Date:\s*<time[^>]*>2018/04/10 09:40:00</time>", en)
        assert "Author: Li Ming" in en and "Source: Jilin Daily" in en and "李明" not in en
        assert "<p>On the morning of March 30th</p>" in en
        assert re.search(
            r'class="breadcrumb".*?href="/en/">Home</a>.*?href="/en/column/investment-dynamics/">Investment Dynamics',
            en,
            re.S,
        )
        zh = client.get(article.get_absolute_url("zh-hans")).content.decode()
        assert "日期：" in zh and re.search(r"作者：\s*李明", zh) and re.search(r"来源：\s*吉林日报", zh)

    def test_links_to_the_same_article_in_the_other_language(self, client, site):
        article = make_article(site, title_en="Two languages")
        page = client.get(article.get_absolute_url("en")).content.decode()
        zh_url = article.get_absolute_url("zh-hans")
        assert f'<a href="{zh_url}" hreflang="zh-Hans" lang="zh-Hans">' in page
        assert hreflangs(page_response := client.get(article.get_absolute_url("en"))) == {
            "zh-Hans": f"http://testserver{zh_url}",
            "en": f"http://testserver{article.get_absolute_url('en')}",
        }
        assert page_response.status_code == 200

    def test_article_missing_english(self, client, site):
        article = make_article(site, languages=("zh-hans",), title_zh_hans="只有中文")
        response = client.get(f"/en/news/{article.pk}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert html_lang(response) == "en"
        assert "not available in this language" in page
        assert '<meta name="robots" content="noindex">' in page
        assert response["X-Robots-Tag"] == "noindex"
        assert f'href="/zh-hans/news/{article.pk}/"' in page
        assert "只有中文" not in page  # no Chinese content on the English page
        assert hreflangs(response) == {"zh-Hans": f"http://testserver/zh-hans/news/{article.pk}/"}
        assert article.title_zh_hans not in client.get("/en/column/investment-dynamics/").content.decode()

    def test_a_changed_slug_redirects_permanently(self, client, site):
        article = make_article(site, slug="new-slug")
        for old in (f"/en/news/{article.pk}/old-slug/", f"/en/news/{article.pk}/"):
            response = client.get(old)
            assert response.status_code == 301
            assert response["Location"] == f"/en/news/{article.pk}/new-slug/"

    @pytest.mark.parametrize(
        "fields",
        [
            {"status": Article.Status.DRAFT},
            {"status": Article.Status.REVIEW},
            {"publish_at": timezone.now() + timedelta(days=1)},
            {"unpublish_at": timezone.now() - timedelta(minutes=1), "publish_at": timezone.now() - timedelta(days=1)},
        ],
    )
    def test_unpublished_articles_are_404(self, client, site, fields):
        article = make_article(site, **fields)
        assert client.get(article.get_absolute_url("en")).status_code == 404

    def test_previous_and_next_in_the_column(self, client, site):
        now = timezone.now()
        older = make_article(site, title_en="Older", publish_at=now - timedelta(days=3))
        middle = make_article(site, title_en="Middle", publish_at=now - timedelta(days=2))
        newer = make_article(site, title_en="Newer", publish_at=now - timedelta(days=1))
        make_article(make_column(), title_en="Elsewhere", publish_at=now - timedelta(days=1, hours=12))
        make_article(site, languages=("zh-hans",), publish_at=now - timedelta(days=2, hours=12))
        page = client.get(middle.get_absolute_url("en")).content.decode()
        assert f'<a href="{older.get_absolute_url()}" rel="prev">Older</a>' in page
        assert f'<a href="{newer.get_absolute_url()}" rel="next">Newer</a>' in page
        assert "Elsewhere" not in page


class TestPagesAndFooter:
    @pytest.mark.parametrize(
        ("url", "text"), [("/zh-hans/page/contact/", "联系我们正文"), ("/en/page/privacy/", "Privacy Statement text")]
    )
    def test_static_pages(self, client, site, url, text):
        response = client.get(url)
        assert response.status_code == 200
        assert text in response.content.decode()

    def test_footer_as_in_the_seed(self, client, site):
        page = client.get("/en/").content.decode()
        footer = page[page.index('<footer class="site-footer">') :]
        assert 'href="/en/">Home</a>' in footer
        assert 'href="/en/page/contact/">Contact Us</a>' in footer
        assert 'href="/en/page/privacy/">Privacy Statement</a>' in footer
        assert "All rights reserved: Jilin Provincial Investment Promotion Website" in footer
        assert '<a href="https://beian.miit.gov.cn/" rel="noopener">吉ICP备10003975号</a>' in footer
        assert "Total visits:" in footer
        assert "Public security record" not in footer and "identification code" not in footer

    def test_record_numbers_appear_only_when_configured(self, client, site, site_settings):
        site_settings.public_security_record = "吉公网安备 22010202000001号"
        site_settings.public_security_url = "https://beian.mps.gov.cn/#/query/webSearch?code=22010202000001"
        site_settings.government_site_code = "2200000001"
        site_settings.government_site_code_url = ""
        site_settings.save()
        footer = client.get("/zh-hans/").content.decode()
        assert "公安备案号" in footer and "吉公网安备 22010202000001号</a>" in footer
        assert "网站标识码" in footer and "2200000001" in footer

    def test_pages_render_without_any_settings_row(self, client, column):
        SiteSettings.objects.all().delete()
        assert client.get("/en/").status_code == 200


class TestErrors:
    def test_server_error_page_in_the_readers_language(self, client, site, monkeypatch):
        from news.views import reader as views

        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(views.HomeView, "get_context_data", broken)
        client.raise_request_exception = False
        response = client.get("/zh-hans/")
        assert response.status_code == 500
        page = response.content.decode()
        assert html_lang(response) == "zh-Hans"
        assert "服务器错误" in page
        assert "吉林省投资促进网" in page  # the site's header and footer


class TestQueryCounts:
    """Reader pages run the same small number of queries with 5 or 500 articles, bodies never in lists."""

    @staticmethod
    def learn(client, url):
        """One uncached request before a count: with PORTAL_PREPARED_QUERIES=false, a prepared
        query's public form reads its plain queryset too on its first call in a process and on the
        first value of a column it has only seen empty (news/db/prepared.py), which is not what
        the page costs."""
        clear_cache()
        client.get(url)

    @staticmethod
    def count(client, url):
        clear_cache()  # measure the uncached path: the visit total is cached after the first page
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    @pytest.mark.parametrize(
        "path",
        [
            "/{lang}/",
            "/{lang}/column/investment-dynamics/",
            "article",
            "/{lang}/page/about/",
            "/{lang}/column/investment-dynamics/{year}/",
            "/{lang}/column/investment-dynamics/{year}/{month:02d}/",
        ],
    )
    @pytest.mark.parametrize("lang", ["zh-hans", "en"])
    def test_constant(self, client, site, django_assert_max_num_queries, path, lang):
        other = make_column("policies")
        for i in range(5):
            make_article(site if i % 2 else other, featured=i < 2, cover_image=image_file())
        target = make_article(site)
        month = timezone.localtime(target.publish_at)
        url = (
            target.get_absolute_url(lang)
            if path == "article"
            else path.format(lang=lang, year=month.year, month=month.month)
        )
        self.learn(client, url)
        small = self.count(client, url)
        Article.objects.bulk_create(
            Article(
                column=site if i % 2 else other,
                status=Article.Status.PUBLISHED,
                publish_at=timezone.now() - timedelta(days=1, minutes=i),
                title_zh_hans=f"标题{i}",
                body_zh_hans="<p>正文</p>",
                title_en=f"Title {i}",
                body_en="<p>Body</p>",
                featured=i % 7 == 0,
            )
            for i in range(495)
        )
        # The site chrome (settings, columns, pages, visit total) is 4 of these. The column
        # page adds its most-read list and archive months (remembered per content version:
        # with the cache empty, they and the page cache each look up the next scheduled
        # change); the article page its tags, neighbours, read count, attachments and related;
        # an archive its neighbouring months and whether it has articles in the other language.
        # With the cache empty, the content version is also read from the database (one query;
        # once per emptied cache, news/pagecache/version.py), hence one more than a page whose
        # cache holds the version. A column page and the home page read what their cards show,
        # then the articles of the cards not kept (all of them with the cache empty; one query
        # for all the home page's lists).
        limit = (
            14
            if "{year}" in path
            else 12
            if path == "article"
            else 13
            if "column" in path
            else 11
            if path == "/{lang}/"
            else 10
        )
        self.learn(client, url)
        with django_assert_max_num_queries(limit):
            large = self.count(client, url)
        assert small == large

    @pytest.mark.parametrize("path", ["/en/", "/en/column/investment-dynamics/"])
    def test_lists_never_load_bodies(self, client, site, path):
        for i in range(3):
            make_article(site, featured=i == 0)
        clear_cache()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        article_selects = [q["sql"] for q in queries if q["sql"].startswith('SELECT "news_article"."id"')]
        assert article_selects
        assert not any('"body' in sql.split(" FROM ")[0] for sql in article_selects)
