"""news/text.py: text cleaned on the way in (every text field, every path) and carried by every output."""

import io
import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from news.models import Article, Column, Page, SiteSettings
from news.text import clean_text
from tests.factories import make_article

pytestmark = pytest.mark.django_db

# Word's manual line break, form feed, NEL, the Unicode line and paragraph separators, a NUL,
# an escape and a C1 control: what editors paste from Word, web editors and WeChat.
NASTY = "\x0b\x0c\x85\u2028\u2029\x00\x1b\x9b"
# What a database can hold of it (PostgreSQL refuses NUL in text).
STORABLE = NASTY.replace("\x00", "")


class TestCleanText:
    @pytest.mark.parametrize(
        ("raw", "multiline", "expected"),
        [
            ("吉林\x0b签约", True, "吉林\n签约"),
            ("吉林\x0b签约", False, "吉林 签约"),
            ("line\u2028break\u2029para", True, "line\nbreak\npara"),
            ("tab\tand\r\nnew line", True, "tab\tand\r\nnew line"),
            ("tab\tand\r\nnew line", False, "tab and  new line"),
            ("nul\x00esc\x1bdel\x7fc1\x9b", True, "nulescdelc1"),
            ("\ufffe\uffff", True, ""),
            ("R&amp;D 研发", True, "R&amp;D 研发"),
        ],
    )
    def test_cases(self, raw, multiline, expected):
        assert clean_text(raw, multiline=multiline) == expected

    def test_what_is_not_text_is_left_alone(self):
        assert clean_text(None) is None and clean_text(5) == 5 and clean_text("") == ""


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "a-long-password-1")
    client.force_login(user)
    return client


class TestCleanedOnTheWayIn:
    def test_every_text_field_of_an_article_saved_from_the_shell(self, column):
        article = make_article(
            column,
            title_zh_hans=f"吉林{NASTY}签约",
            title_en=f"Jilin{NASTY}signs",
            summary_en="One\u2028two",
            body_zh_hans="<p>正文\u2028第二行\x0b</p>",
            author="李雪晴\x0b姜明远",
            legacy_url="/old\x0b/a.html",
        )
        article.refresh_from_db()
        assert article.title_zh_hans == "吉林" + " " * 5 + "签约"
        assert article.title_en == "Jilin" + " " * 5 + "signs"
        assert article.summary_en == "One\ntwo"
        assert article.body_zh_hans == "<p>正文\n第二行\n</p>"
        assert article.author == "李雪晴 姜明远"
        assert "\x0b" not in article.legacy_url

    def test_other_models(self, column):
        column.name_zh_hans = "投资\x0b动态"
        column.description_en = "Line\u2028two"
        column.save()
        column.refresh_from_db()
        assert column.name_zh_hans == "投资 动态" and column.description_en == "Line\ntwo"
        page = Page.objects.create(slug="about", title_zh_hans="关于\x0b我们", body_zh_hans="<p>一\u2028二</p>")
        page.refresh_from_db()
        assert page.title_zh_hans == "关于 我们" and page.body_zh_hans == "<p>一\n二</p>"
        settings_row = SiteSettings.load()
        settings_row.site_name_en = "Jilin\x0bInvestment"
        settings_row.save()
        assert SiteSettings.objects.get().site_name_en == "Jilin Investment"

    def test_the_admin(self, staff_client, site):
        from tests.factories import article_form

        response = staff_client.post(
            "/admin/news/article/add/",
            article_form(site, title_zh_hans="吉林\x0b签约", body_en="<p>One\u2028two</p>"),
        )
        assert response.status_code == 302
        article = Article.objects.get()
        assert article.title_zh_hans == "吉林 签约" and article.body_en == "<p>One\ntwo</p>"

    def test_an_import(self, tmp_path, column):
        line = json.dumps(
            {
                "external_id": "a-1",
                "column": column.slug,
                "title": {"zh-hans": "吉林\x0b签约", "en": "Jilin\u2028signs"},
                "body": {"zh-hans": "<p>正文\u2028二</p>"},
            },
            ensure_ascii=False,
        )
        assert "\u2028" in line  # json.dumps writes it raw: the file holds it inside a record
        (tmp_path / "a.jsonl").write_text(line + "\n", encoding="utf-8")
        call_command("import_articles", str(tmp_path / "a.jsonl"), stdout=io.StringIO(), stderr=io.StringIO())
        article = Article.objects.get()
        assert article.title_zh_hans == "吉林 签约" and article.title_en == "Jilin signs"
        assert article.body_zh_hans == "<p>正文\n二</p>"


def _stored_raw(article, **fields):
    """Write ``fields`` around every check, as rows from before the cleaning or a raw update() hold them."""
    Article.objects.filter(pk=article.pk).update(**fields)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
class TestOutputsCarryWhateverIsStored:
    def test_feeds(self, client, site, language):
        article = make_article(site)
        _stored_raw(
            article,
            title_zh_hans=f"吉林{STORABLE}签约",
            title_en=f"Jilin{STORABLE}signs",
            summary_zh_hans=f"摘要{STORABLE}",
            summary_en=f"Summary{STORABLE}",
            author=f"王{STORABLE}明",
        )
        Column.objects.filter(pk=site.pk).update(name_zh_hans=f"投资{STORABLE}", name_en=f"News{STORABLE}")
        for url in (f"/{language}/feed/", f"/{language}/column/{site.slug}/feed/"):
            response = client.get(url)
            assert response.status_code == 200, url
            ET.fromstring(response.content)  # noqa: S314 - our own output, parsed to prove it well-formed
            parsed = feedparser.parse(response.content)
            assert not parsed.bozo, parsed.bozo_exception
            title = parsed.entries[0].title
            assert title.startswith("吉林" if language == "zh-hans" else "Jilin") and "\x0b" not in title

    def test_article_page_and_its_json_ld(self, client, site, language):
        article = make_article(site)
        _stored_raw(
            article, title_zh_hans=f"吉林{STORABLE}签约", title_en=f"Jilin{STORABLE}signs", author=f"王{STORABLE}"
        )
        response = client.get(article.get_absolute_url(language))
        assert response.status_code == 200
        page = response.content.decode()
        start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
        payload = page[start : page.index("</script>", start)]
        assert "\u2028" not in payload and "\u2029" not in payload and "\x85" not in payload
        assert json.loads(payload)["headline"].startswith("吉林" if language == "zh-hans" else "Jilin")

    def test_sitemaps(self, client, site, language):
        article = make_article(site)
        _stored_raw(article, title_zh_hans=f"吉林{STORABLE}", title_en=f"Jilin{STORABLE}")
        response = client.get(f"/sitemap-articles-{language}.xml")
        assert response.status_code == 200
        ET.fromstring(response.content)  # noqa: S314 - our own output


class TestExportAndImportAgain:
    def test_a_line_separator_in_a_body_stays_in_its_record(self, tmp_path, column):
        first = make_article(column)
        second = make_article(column)
        _stored_raw(first, body_zh_hans="<p>一\u2028二\u2029三\x85四</p>", title_en="A\u2028B")
        path = tmp_path / "out.jsonl"
        call_command("export_articles", str(path), stdout=io.StringIO())
        data = path.read_bytes()
        assert data.count(b"\n") == 2 and len(data.decode().splitlines()) == 2  # no tool splits a record
        Article.objects.all().delete()
        out = io.StringIO()
        call_command("import_articles", str(path), stdout=out, stderr=io.StringIO())
        assert "2 articles were created" in out.getvalue() and "0 records rejected" in out.getvalue()
        again = Article.objects.get(external_id=f"article-{first.pk}")
        assert again.body_zh_hans == "<p>一\n二\n三\n四</p>" and again.title_en == "A B"
        assert Article.objects.filter(external_id=f"article-{second.pk}").exists()


class TestSlugs:
    @pytest.mark.parametrize(
        ("title", "slug"),
        [
            ("Jilin Signs 118.4 Billion Yuan of Projects", "jilin-signs-118-4-billion-yuan-of-projects"),
            ("Jilin·Changchun Auto Expo", "jilin-changchun-auto-expo"),
            ("China’s 1,200 5G Base Stations", "chinas-1200-5g-base-stations"),
            ("R&D / Innovation — Summit 2024", "r-d-innovation-summit-2024"),
            ("Growth of 3.5% in Q1–Q3", "growth-of-3-5-in-q1-q3"),
            ("长春 Changchun", "changchun"),
            ("Investment " * 12, "investment-" * 8 + "investment"),
        ],
    )
    def test_figures_and_separators_survive(self, column, title, slug):
        article = make_article(column, title_en=title)
        article.slug = ""
        article.full_clean()
        assert article.slug == slug and len(article.slug) <= 100

    def test_made_by_an_import_and_the_admin(self, staff_client, site, tmp_path):
        from tests.factories import article_form

        staff_client.post("/admin/news/article/add/", article_form(site, title_en="Jilin Signs 118.4 Billion Yuan"))
        assert Article.objects.get().slug == "jilin-signs-118-4-billion-yuan"
        line = {"external_id": "b", "column": site.slug, "title": {"en": "Jilin·Changchun 2.5 Billion"}}
        (tmp_path / "b.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n")
        call_command("import_articles", str(tmp_path / "b.jsonl"), stdout=io.StringIO(), stderr=io.StringIO())
        assert Article.objects.get(external_id="b").slug == "jilin-changchun-2-5-billion"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_static_page_description_is_escaped_once(client, site, pages, language):
    from news.models import Page

    page = Page.objects.get(slug="about")
    setattr(page, f"body_{language.replace('-', '_')}", "<p>R&amp;D <b>centre</b></p><p>&lt;一期&gt;</p>")
    page.save()
    html_text = client.get(f"/{language}/page/about/").content.decode()
    assert '<meta name="description" content="R&amp;D centre &lt;一期&gt;">' in html_text


def test_text_stored_before_is_cleaned_by_the_migration(client, site):
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    article = make_article(site)
    _stored_raw(article, title_zh_hans=f"吉林{STORABLE}签约", body_en="<p>One\u2028two</p>", author_en="Li\x0bMing")
    Column.objects.filter(pk=site.pk).update(name_en="News\x0b")
    state = MigrationLoader(connection).project_state(("news", "0013_clean_stored_text"))
    import_module("news.migrations.0013_clean_stored_text").clean_stored_text(state.apps, None)
    article.refresh_from_db()
    site.refresh_from_db()
    assert article.title_zh_hans == "吉林" + " " * 5 + "签约" and article.body_en == "<p>One\ntwo</p>"
    assert article.author_en == "Li Ming" and site.name_en == "News "
