"""A policy document's page: the metadata block in the page's language, the translation note on
English pages, schema.org Legislation JSON-LD, and a constant number of queries."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.policies.models import DocumentRelation
from tests.factories import make_issuer, make_policy
from tests.servers import clear_cache

pytestmark = pytest.mark.django_db


def json_ld(page):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


@pytest.fixture
def state_council():
    return make_issuer(org_code="000014349", short_name="国发", name_zh_hans="国务院", name_en="State Council")


def test_the_metadata_block_in_each_language(client, site, state_council):
    article = make_policy(meta={"lead_issuer": state_council, "document_number": "国发[2017]39号"})
    zh = client.get(article.get_absolute_url("zh-hans")).text
    for text in (
        "索引号",
        "主题分类",
        "发文机关",
        "成文日期",
        "发文字号",
        "发布日期",
        "国发〔2017〕39号",
        "国务院",
        "现行有效",
    ):
        assert text in zh
    assert "以中文版为准" not in zh
    en = client.get(article.get_absolute_url("en")).text
    for text in (
        "Index No.",
        "Subject",
        "Issuing authority",
        "Date signed",
        "Document No.",
        "State Council",
        "In force",
    ):
        assert text in en
    assert "This is a reference translation. The Chinese text prevails." in en


def test_legislation_json_ld_follows_validity(client, site, state_council):
    article = make_policy(meta={"lead_issuer": state_council, "document_number": "国发〔2017〕39号", "genre": "notice"})
    ld = json_ld(client.get(article.get_absolute_url("en")).text)
    assert ld["@type"] == "Legislation"
    assert ld["legislationIdentifier"] == "国发〔2017〕39号"
    assert ld["legislationDate"] == "2025-04-02"
    assert ld["legislationLegalForce"] == "https://schema.org/InForce"
    assert ld["legislationPassedBy"] == [{"@type": "GovernmentOrganization", "name": "State Council"}]
    assert ld["identifier"].startswith("000014349/")
    DocumentRelation.objects.create(from_article=make_policy(), to_article=article, kind="repeals")
    ld = json_ld(client.get(article.get_absolute_url("en")).text)
    assert ld["legislationLegalForce"] == "https://schema.org/NotInForce"


def test_a_news_article_keeps_its_news_json_ld(client, site):
    from tests.factories import make_article

    assert json_ld(client.get(make_article(site).get_absolute_url("en")).text)["@type"] == "NewsArticle"


def count(client, url):
    clear_cache()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_queries_do_not_grow_with_relations_or_issuers(client, site, lang):
    article = make_policy()
    url = article.get_absolute_url(lang)
    small = count(client, url)
    for kind in ("amends", "implements", "interprets"):
        DocumentRelation.objects.create(from_article=make_policy(), to_article=article, kind=kind)
    DocumentRelation.objects.create(from_article=article, to_article=make_policy(), kind="implements")
    article.document.co_issuers.add(make_issuer(), make_issuer())
    assert count(client, url) == small


def test_a_policy_page_costs_at_most_six_queries_more_than_a_news_article(client, site):
    from tests.factories import make_article

    news = count(client, make_article(site).get_absolute_url("en"))
    assert count(client, make_policy().get_absolute_url("en")) <= news + 6


def test_related_documents_are_named_only_where_they_exist_in_the_page_language(client, site):
    # An English page linked a Chinese-only document: an empty <a> to a "not available" page.
    chinese_only = make_policy(title_zh_hans="仅有中文的旧文件", title_en="", body_en="")
    both = make_policy(title_en="The new measures")
    DocumentRelation.objects.create(from_article=both, to_article=chinese_only, kind="repeals")
    clear_cache()
    english = client.get(both.get_absolute_url("en")).content.decode()
    assert chinese_only.get_absolute_url("en") not in english
    chinese = client.get(both.get_absolute_url("zh-hans")).content.decode()
    assert chinese_only.get_absolute_url("zh-hans") in chinese and "仅有中文的旧文件" in chinese


def test_english_pages_say_none_and_list_joint_issuers_in_english(client, site):
    # "无" and "、" were written into the template, so English readers saw them.
    lead = make_issuer(name_zh_hans="吉林省人民政府", name_en="People's Government of Jilin Province")
    joint = make_issuer(name_zh_hans="吉林省商务厅", name_en="Department of Commerce of Jilin Province")
    article = make_policy(meta={"lead_issuer": lead, "document_number": "无"})
    article.document.co_issuers.add(joint)
    clear_cache()
    english = client.get(article.get_absolute_url("en")).content.decode()
    assert "无" not in english and "、" not in english
    assert "People&#x27;s Government of Jilin Province and Department of Commerce of Jilin Province" in english
    assert ">None<" in english
    chinese = client.get(article.get_absolute_url("zh-hans")).content.decode()
    assert "吉林省人民政府、吉林省商务厅" in chinese and ">无<" in chinese
