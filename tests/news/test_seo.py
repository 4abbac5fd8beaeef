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

from news.models import Article
from news.seo import byline_names
from tests.factories import make_article

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
