"""The page metadata of the government-website guidelines (国办发〔2017〕47号): site tags on every
reader page, column tags on a column's pages and articles, article tags on articles."""

import re

import pytest

from tests.factories import make_article, make_policy

pytestmark = pytest.mark.django_db

SITE = {"SiteName", "SiteDomain", "SiteIDCode"}
COLUMN = {"ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"}
ARTICLE = {"ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author"}


def tags(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    found = dict(re.findall(r'<meta name="([A-Za-z]+)" content="([^"]*)"', response.text))
    assert found.get("description"), url  # the guidelines' Description (meta names ignore case)
    return found


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_every_reader_page_carries_the_site_tags(client, site, site_settings, lang):
    article = make_article(site)
    for url in (
        f"/{lang}/",
        f"/{lang}/column/{site.slug}/",
        article.get_absolute_url(lang),
        f"/{lang}/page/about/",
        f"/{lang}/search/?q=jilin",
        f"/{lang}/policies/",
        f"/{lang}/projects/",
    ):
        found = tags(client, url)
        assert set(found) >= SITE, url
        assert found["SiteName"] == site_settings.site_name
        assert found["SiteDomain"] == "testserver"


def test_column_and_article_tags(client, site, site_settings):
    site_settings.government_site_code = "2200000001"
    site_settings.save()
    article = make_article(site, author_en="Li Ming", source_en="Jilin Daily", title_en="Signed")
    column_page = tags(client, f"/en/column/{site.slug}/")
    assert set(column_page) >= COLUMN and not ARTICLE & set(column_page)
    assert column_page["ColumnName"] == "Investment Dynamics" and column_page["ColumnType"] == "News"
    page = tags(client, article.get_absolute_url("en"))
    assert set(page) >= COLUMN | ARTICLE
    assert page["SiteIDCode"] == "2200000001"
    assert page["ArticleTitle"] == "Signed" and page["Author"] == "Li Ming" and page["ContentSource"] == "Jilin Daily"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", page["PubDate"])
    assert not COLUMN & set(tags(client, "/en/"))


def test_a_policy_page_names_its_column_type_and_keywords(client, site):
    article = make_policy(meta={"keywords_zh_hans": "外资 投资", "keywords_en": "foreign investment"})
    assert tags(client, article.get_absolute_url("zh-hans"))["ColumnType"] == "政策文件"
    assert tags(client, article.get_absolute_url("en"))["Keywords"] == "foreign investment"
