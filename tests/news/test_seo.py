"""news/seo.py: JSON-LD that tells the truth: whole headlines, one Person per name, bylines per language."""

import io
import json
import re
from importlib import import_module

import feedparser
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.template import Context, Engine
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from news import seo
from news.context_processors import language_links
from news.models import Article, Column, SiteSettings, Tag
from news.seo import byline_names, page_meta, share_image
from tests.factories import make_article, make_column, make_policy

pytestmark = pytest.mark.django_db


def json_ld(client, url):
    page = client.get(url).content.decode()
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)), page


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("李雪晴 姜明远", ["李雪晴", "姜明远"]),
        ("李雪晴、姜明远", ["李雪晴", "姜明远"]),
        ("记者 李雪晴 姜明远", ["李雪晴", "姜明远"]),
        ("本报记者：王明", ["王明"]),
        ("文/王明 图/李华", ["王明", "李华"]),
        ("文静", ["文静"]),
        ("김민준 이서연", ["김민준", "이서연"]),
        ("Li Xueqing", ["Li Xueqing"]),
        ("Li Xueqing, Jiang Mingyuan", ["Li Xueqing", "Jiang Mingyuan"]),
        ("Li Xueqing and Jiang Mingyuan", ["Li Xueqing", "Jiang Mingyuan"]),
        ("Alexander Anderson", ["Alexander Anderson"]),
        ("", []),
    ],
)
def test_byline_names(byline, names):
    assert byline_names(byline) == names


class TestArticleJsonLd:
    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    def test_the_whole_headline(self, client, site, language):
        titles = {
            "zh-hans": "吉林省与中国五矿集团、中国中化控股有限责任公司、国家电力投资集团有限公司签署战略合作协议推动新能源汽车及零部件产业集群发展再上新台阶",
            "en": "Jilin Signs Strategic Cooperation Agreements with China Minmetals, Sinochem Holdings and "
            "State Power Investment Corporation to Develop the New-Energy Vehicle Cluster",
        }
        article = make_article(site, title_zh_hans=titles["zh-hans"], title_en=titles["en"])
        data, _page = json_ld(client, article.get_absolute_url(language))
        assert data["headline"] == titles[language] and len(titles["en"]) > 110

    def test_one_person_per_name_and_bylines_per_language(self, client, site):
        article = make_article(site, author_zh_hans="李雪晴 姜明远", author_en="Li Xueqing, Jiang Mingyuan")
        zh, _page = json_ld(client, article.get_absolute_url("zh-hans"))
        assert zh["author"] == [{"@type": "Person", "name": "李雪晴"}, {"@type": "Person", "name": "姜明远"}]
        en, _page = json_ld(client, article.get_absolute_url("en"))
        assert en["author"] == [
            {"@type": "Person", "name": "Li Xueqing"},
            {"@type": "Person", "name": "Jiang Mingyuan"},
        ]

    def test_an_english_page_never_shows_the_chinese_byline(self, client, site):
        article = make_article(site, author_zh_hans="李雪晴 姜明远")
        data, page = json_ld(client, article.get_absolute_url("en"))
        assert "李雪晴" not in page and "Author:" not in page
        assert data["author"] == [{"@type": "Organization", "name": data["publisher"]["name"]}]
        entry = feedparser.parse(client.get("/en/feed/").content).entries[0]
        assert "李雪晴" not in entry.get("author", "")
        zh = feedparser.parse(client.get("/zh-hans/feed/").content).entries[0]
        assert zh.author == "李雪晴、姜明远"  # its people listed as the Chinese page lists them


class TestBylinesCarriedOver:
    def test_the_migration_keeps_a_chinese_byline_off_the_english_page(self, site):
        chinese, latin = make_article(site), make_article(site)
        # As rows were before the migration: the one byline in the original column only.
        raw = Article.objects.rewrite(False)
        raw.filter(pk=chinese.pk).update(author="李雪晴 姜明远", author_zh_hans=None, author_en=None)
        raw.filter(pk=latin.pk).update(author="Li Ming", author_zh_hans=None, author_en=None)
        state = MigrationLoader(connection).project_state(("news", "0012_article_author_per_language"))
        import_module("news.migrations.0012_article_author_per_language").split_bylines(state.apps, None)
        chinese.refresh_from_db()
        latin.refresh_from_db()
        assert chinese.author_zh_hans == "李雪晴 姜明远" and not chinese.author_en
        assert latin.author_zh_hans == latin.author_en == "Li Ming"

    @pytest.mark.parametrize(
        ("author", "zh", "en"),
        [
            ("王明", "王明", ""),
            ("Li Ming", "Li Ming", "Li Ming"),
            (
                {"zh-hans": "李雪晴 姜明远", "en": "Li Xueqing, Jiang Mingyuan"},
                "李雪晴 姜明远",
                "Li Xueqing, Jiang Mingyuan",
            ),
        ],
    )
    def test_an_import_of_either_form(self, tmp_path, site, author, zh, en):
        record = {
            "external_id": "a",
            "column": site.slug,
            "title": {"zh-hans": "标题", "en": "Title"},
            "author": author,
        }
        (tmp_path / "a.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n")
        call_command("import_articles", str(tmp_path / "a.jsonl"), stdout=io.StringIO(), stderr=io.StringIO())
        article = Article.objects.get()
        assert (article.author_zh_hans or "", article.author_en or "") == (zh, en)
        call_command("export_articles", str(tmp_path / "b.jsonl"), stdout=io.StringIO())
        exported = json.loads((tmp_path / "b.jsonl").read_text())["author"]
        assert exported == {code: value for code, value in (("zh-hans", zh), ("en", en)) if value}


# The templates seo.page_meta replaced (templates/includes/meta.html, government_meta.html and
# government_column_meta.html before 2026-12), verbatim: it must write what they wrote.
TEMPLATES_REPLACED = {
    "includes/meta.html": '{% load portal %}{% with title=meta.title|default:site_settings.site_name description=meta.description|default:site_settings.site_name|clip:200 %}\n  <meta name="description" content="{{ description }}">\n  <link rel="canonical" href="{% if meta.canonical %}{{ meta.canonical }}{% else %}{% absolute_url request.path %}{% endif %}">\n  <meta property="og:site_name" content="{{ site_settings.site_name }}">\n  <meta property="og:title" content="{{ title }}">\n  <meta property="og:description" content="{{ description }}">\n  <meta property="og:type" content="{{ meta.type|default:\'website\' }}">\n  <meta property="og:url" content="{% if meta.canonical %}{{ meta.canonical }}{% else %}{% absolute_url request.path %}{% endif %}">\n  <meta property="og:image" content="{{ meta.image|default:default_share_image }}">\n  <meta property="og:locale" content="{{ LANGUAGE_CODE|og_locale }}">\n  {% for link in language_links %}{% if link.alternate and not link.is_current %}<meta property="og:locale:alternate" content="{{ link.code|og_locale }}">{% endif %}{% endfor %}\n  <meta name="twitter:card" content="summary_large_image">\n  <meta name="twitter:title" content="{{ title }}">\n  <meta name="twitter:description" content="{{ description }}">\n  <meta name="twitter:image" content="{{ meta.image|default:default_share_image }}">\n  {% include "includes/government_meta.html" %}\n  {% if meta.json_ld %}{% json_ld meta.json_ld %}{% endif %}\n{% endwith %}\n',
    "includes/government_meta.html": '{# The page metadata of the State Council\'s government-website guidelines (国办发〔2017〕47号, 网页设计规范): site tags on every page, column tags on a column\'s pages, article tags on an article. The guidelines\' Description is the description tag above (meta names are case-insensitive). #}\n  <meta name="SiteName" content="{{ site_settings.site_name }}">\n  <meta name="SiteDomain" content="{{ request.get_host }}">\n  <meta name="SiteIDCode" content="{{ site_settings.government_site_code }}">\n{% if article.column %}{% include "includes/government_column_meta.html" with page_column=article.column %}{% elif column.pk %}{% include "includes/government_column_meta.html" with page_column=column %}{% endif %}\n{% if article.pk %}\n  <meta name="ArticleTitle" content="{{ article.title }}">\n  <meta name="PubDate" content="{{ article.publish_at|date:\'Y-m-d H:i\' }}">\n  <meta name="ContentSource" content="{{ article.source|default:site_settings.site_name }}">\n  <meta name="Keywords" content="{% if document and document.keywords %}{{ document.keywords }}{% else %}{% for tag in tags %}{{ tag.name }}{% if not forloop.last %} {% endif %}{% endfor %}{% endif %}">\n  <meta name="Author" content="{{ article.author|default:site_settings.site_name }}">\n{% endif %}\n',
    "includes/government_column_meta.html": '  <meta name="ColumnName" content="{{ page_column.name }}">\n  <meta name="ColumnDescription" content="{{ page_column.description|default:page_column.name }}">\n  <meta name="ColumnKeywords" content="{{ page_column.name }}">\n  <meta name="ColumnType" content="{{ page_column.get_kind_display }}">\n',
}


class TestPageMeta:
    """``{% page_meta %}`` (news/seo.py ``page_meta``) writes, byte for byte, what the three
    templates it replaced wrote, for every kind of context base.html renders it in."""

    @pytest.fixture
    def render_both(self, rf, site_settings):
        engine = Engine(
            loaders=[("django.template.loaders.locmem.Loader", TEMPLATES_REPLACED)],
            libraries={"portal": "news.templatetags.portal"},
        )
        template = engine.get_template("includes/meta.html")

        def render_both(language="en", **values):
            with translation.override(language):
                request = rf.get(f"/{language}/some/page/?q=1")
                context = {
                    "request": request,
                    "site_settings": values.pop("settings", site_settings),
                    "LANGUAGE_CODE": language,
                    "language_links": SimpleLazyObject(lambda: language_links(request)),
                    "default_share_image": SimpleLazyObject(lambda: share_image(request)),
                    **values,
                }
                return template.render(Context(context)), page_meta(Context(context))

        return render_both

    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    def test_pages_without_meta_or_with_some(self, render_both, language):
        for values in (
            {},
            {"meta": {}},
            {"meta": {"title": gettext_lazy("Policy library")}},
            {"meta": {"title": "A <b> & \"quoted\" 'title'", "description": "x" * 201}},
            {"meta": {"description": "短" * 200, "type": "article", "canonical": "https://a.example/?a=1&b=2"}},
            {"meta": {"description": mark_safe("<em>safe</em> & sound"), "image": "https://a.example/i.png?x=<"}},
            {"meta": {"description": mark_safe("&amp;" * 60)}},
            {"meta": {"title": "", "description": None, "json_ld": {"name": "</script><b>&", "x": "\u2028"}}},
            {"meta": {"title": "T"}, "language_links": []},
            {"settings": SiteSettings()},
        ):
            old, new = render_both(language, **values)
            assert new == old, values

    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    def test_column_pages(self, render_both, site, language):
        site.description_en = site.description_zh_hans = ""
        for column in (site, make_column("policy-documents", kind=Column.Kind.POLICY, description_en="<i>Rules</i>")):
            old, new = render_both(language, column=column, meta={"title": column.name})
            assert new == old and "ColumnType" in new
        for column in (Column(), "investment-dynamics", None):  # unsaved, a search form's value, none
            old, new = render_both(language, column=column)
            assert new == old and "ColumnType" not in new

    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    def test_article_pages(self, rf, render_both, site, language):
        article = make_article(site, author_en="Li Ming", source_en="Jilin <Daily>", title_en="Signed & sealed")
        bare = make_article(site, author_en="", author_zh_hans="", source_en="", source_zh_hans="")
        policy = make_policy(meta={"keywords_zh_hans": "外资 投资", "keywords_en": ""})
        tags = [Tag(name_en="Cars & parts", name_zh_hans="汽车"), Tag(name_en="Jilin", name_zh_hans="吉林")]
        document = policy.document
        for values in (
            {"article": article, "tags": tags, "column": article.column},
            {"article": article, "tags": [], "meta": seo.article_meta(rf.get("/"), article, "Site")},
            {"article": bare},
            {"article": policy, "document": document, "tags": tags},
            {"article": policy, "document": None, "tags": tags},
            {"article": Article(title_en="Unsaved")},
            {"article": "", "column": site},
        ):
            old, new = render_both(language, **values)
            assert new == old, values
