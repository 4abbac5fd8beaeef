"""Reader-side additions of the newsroom: legacy redirects, related articles; pasted and hostile HTML."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article, Tag
from news.text import sanitize_html
from tests.factories import make_article, make_column

pytestmark = pytest.mark.django_db


class TestLegacyRedirect:
    def test_the_old_address_moves_permanently_to_the_article(self, client, site):
        article = make_article(site, legacy_url="http://www.jltzcj.gov.cn/tzdt/201804/t20180413_3752855.html")
        assert article.legacy_url == "http://www.jltzcj.gov.cn/tzdt/201804/t20180413_3752855.html"
        article.full_clean()  # keeps the path only
        article.save()
        response = client.get("/tzdt/201804/t20180413_3752855.html")
        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url("zh-hans")

    def test_an_english_only_article_goes_to_its_english_page(self, client, site):
        article = make_article(site, languages=("en",), legacy_url="/en/old/1.html")
        assert client.get("/en/old/1.html")["Location"] == article.get_absolute_url("en")

    def test_unpublished_articles_and_unknown_addresses_stay_404(self, client, site):
        make_article(site, status=Article.Status.DRAFT, legacy_url="/tzdt/draft.html")
        assert client.get("/tzdt/draft.html").status_code == 404
        assert client.get("/tzdt/nothing.html").status_code == 404

    def test_an_existing_page_is_never_taken_over(self, client, site):
        make_article(site, legacy_url="/zh-hans/")
        assert client.get("/zh-hans/").status_code == 200


class TestLegacyAddressSpellings:
    """An old address matches whatever way it was stored or is requested (escape case, raw UTF-8)."""

    @pytest.mark.parametrize(
        "stored",
        [
            "/%e6%96%b0%e9%97%bb/t20180413_1.html",  # as ASP.NET writes escapes
            "/%E6%96%B0%E9%97%BB/t20180413_1.html",
            "http://old.example/新闻/t20180413_1.html",
        ],
    )
    @pytest.mark.parametrize(
        "requested",
        ["/%e6%96%b0%e9%97%bb/t20180413_1.html", "/%E6%96%B0%E9%97%BB/t20180413_1.html", "/新闻/t20180413_1.html"],
    )
    def test_escape_case_and_raw_utf8(self, client, site, stored, requested):
        article = make_article(site, legacy_url=stored)
        article.full_clean()
        article.save()
        response = client.get(requested)
        assert response.status_code == 301 and response["Location"] == article.get_absolute_url("zh-hans")

    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    def test_a_query_and_gbk_escapes(self, client, site, language):
        languages = (language,)
        query = make_article(site, languages=languages, legacy_url="/content.aspx?id=12&name=%e5%90%89%e6%9e%97")
        gbk = make_article(site, languages=languages, legacy_url="/zwgk/%b3%a4%b4%ba.htm")
        for article in (query, gbk):
            article.full_clean()
            article.save()
        assert client.get("/content.aspx?id=12&name=吉林")["Location"] == query.get_absolute_url(language)
        assert client.get("/content.aspx?id=12&name=%E5%90%89%E6%9E%97")["Location"] == query.get_absolute_url(language)
        assert client.get("/zwgk/%B3%A4%B4%BA.htm")["Location"] == gbk.get_absolute_url(language)
        assert client.get("/zwgk/%b3%a4%b4%ba.htm")["Location"] == gbk.get_absolute_url(language)

    def test_rows_stored_before_are_rewritten_by_the_migration(self, client, site):
        from importlib import import_module

        from django.db import connection
        from django.db.migrations.loader import MigrationLoader

        article = make_article(site)
        Article.objects.filter(pk=article.pk).update(legacy_url="/%e6%96%b0%e9%97%bb/a.html")
        assert client.get("/新闻/a.html").status_code == 404
        state = MigrationLoader(connection).project_state(("news", "0011_legacy_url_one_spelling"))
        import_module("news.migrations.0011_legacy_url_one_spelling").normalize_stored(state.apps, None)
        assert Article.objects.get().legacy_url == "/%E6%96%B0%E9%97%BB/a.html"
        assert client.get("/新闻/a.html").status_code == 301


class TestRelatedArticles:
    def test_same_tag_or_column_newest_first_public_and_in_the_page_language(self, client, site):
        other_column = make_column("policies")
        tag = Tag.objects.create(slug="auto", name_zh_hans="汽车", name_en="Cars")
        article = make_article(site)
        article.tags.add(tag)
        now = timezone.now()
        same_column_old = make_article(site, title_en="Same column, old", publish_at=now - timedelta(days=9))
        same_tag_new = make_article(other_column, title_en="Same tag, new", publish_at=now - timedelta(days=1))
        same_tag_new.tags.add(tag)
        make_article(other_column, title_en="Unrelated")
        make_article(site, title_en="A draft", status=Article.Status.DRAFT)
        make_article(site, languages=("zh-hans",), title_zh_hans="只有中文的相关文章")
        page = client.get(article.get_absolute_url("en")).content.decode()
        related = page[page.index('class="related"') :]
        assert related.index("Same tag, new") < related.index("Same column, old")
        assert "Unrelated" not in related and "A draft" not in related and "只有中文" not in related
        assert same_column_old.get_absolute_url("en") in related
        zh = client.get(article.get_absolute_url("zh-hans")).content.decode()
        assert "只有中文的相关文章" in zh[zh.index('class="related"') :]


class TestRichText:
    def test_pasted_word_markup_keeps_structure_and_loses_the_junk(self):
        word = (
            '<p class=MsoNormal style="margin:0;mso-line-height-rule:exactly"><b><span lang=EN-US '
            'style="font-family:宋体;color:red">标题</span></b><o:p></o:p></p>'
            '<table class=MsoTableGrid border=1 style="border-collapse:collapse"><tr><td width=100 '
            'style="width:75pt"><p class=MsoNormal>单元格</p></td></tr></table>'
            "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
            "<ul><li><font face=Arial>第一条</font></li></ul>"
        )
        clean = sanitize_html(word)
        assert clean == (
            '<p><b><span lang="EN-US">标题</span></b></p>'
            "<table><tbody><tr><td><p>单元格</p></td></tr></tbody></table>"
            "<ul><li>第一条</li></ul>"
        )

    @pytest.mark.parametrize(
        "hostile",
        [
            '<img src="x" onerror="alert(1)" alt="a">',
            '<a href="javascript:alert(1)">x</a>',
            '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
            "<iframe src=https://evil.example></iframe>",
            "<svg><script>alert(1)</script></svg>",
            '<p style="background:url(javascript:alert(1))">x</p>',
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            '<form action="https://evil.example"><input name=password></form>',
            "<object data=evil.swf></object><embed src=evil.swf>",
            '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        ],
    )
    def test_hostile_html_is_neutralized_on_every_save(self, site, hostile):
        article = make_article(site, body_en=f"<p>Text</p>{hostile}")
        article.refresh_from_db()
        stored = article.body_en.lower()
        for danger in (
            "onerror",
            "javascript:",
            "data:",
            "<iframe",
            "<script",
            "style=",
            "<form",
            "<input",
            "<object",
            "<embed",
            "<meta",
            "<svg",
        ):
            assert danger not in stored, (danger, stored)


def test_a_nul_byte_in_a_missing_address_is_a_404_on_every_database(client, site):
    # PostgreSQL refuses a NUL in a query: the old-address lookup must never send one.
    for path in ("/en/no-such-page/%00", "/zh-hans/news/%00.html", "/x%00y?z=%00"):
        assert client.get(path).status_code == 404, path
