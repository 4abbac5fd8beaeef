"""The policy library: facets without JavaScript, in force by default, a document number typed
any usual way found first, index numbers as addresses, feeds per topic, the page cache and a
constant number of queries; no silent language fallback."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import Article
from news.policies.models import DocumentRelation, TopicCategory
from news.policies.validity import site_today
from tests.factories import make_issuer, make_policy
from tests.servers import clear_cache

pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200
    return response.text


def test_in_force_by_default_and_all_on_request(client, site):
    make_policy(title_en="Current measures")
    make_policy(title_en="Old measures", meta={"expiry_date": site_today() - timedelta(days=1)})
    repealed = make_policy(title_en="Repealed measures")
    DocumentRelation.objects.create(
        from_article=make_policy(title_en="New measures"), to_article=repealed, kind="repeals"
    )
    page = titles(client.get("/en/policies/"))
    assert "Current measures" in page and "New measures" in page
    assert "Old measures" not in page and "Repealed measures" not in page
    everything = titles(client.get("/en/policies/?validity=all"))
    assert "Old measures" in everything and "Repealed measures" in everything
    assert "Repealed measures" in titles(client.get("/en/policies/?validity=repealed"))
    assert "Current measures" not in titles(client.get("/en/policies/?validity=repealed"))


def test_facets(client, site):
    lead = make_issuer(slug="provincial-government")
    joint = make_issuer(slug="commerce-department")
    customs = TopicCategory.objects.get(code="0803")
    make_policy(title_en="Joint notice", meta={"lead_issuer": lead, "genre": "notice", "is_normative": True})
    make_policy(title_en="Customs opinion", meta={"topic": customs, "genre": "opinion"})
    Article.objects.get(title_en="Joint notice").document.co_issuers.add(joint)
    assert "Joint notice" in titles(client.get("/en/policies/?issuer=commerce-department"))
    assert "Customs opinion" not in titles(client.get("/en/policies/?issuer=commerce-department"))
    trade = titles(client.get("/en/policies/?topic=trade-customs-tourism"))  # a top level holds its subtopics
    assert "Joint notice" in trade and "Customs opinion" in trade
    assert "Joint notice" not in titles(client.get("/en/policies/?topic=customs"))
    assert "Customs opinion" not in titles(client.get("/en/policies/?normative=on"))
    assert "Joint notice" not in titles(client.get("/en/policies/?genre=opinion"))
    assert "Joint notice" in titles(client.get("/en/policies/?year=2025"))
    # The topic's own address, prefiltered.
    assert "Customs opinion" in titles(client.get("/en/policies/topic/customs/"))
    assert "Joint notice" not in titles(client.get("/en/policies/topic/customs/"))


def test_an_unknown_choice_is_said_and_ignored(client, site):
    make_policy(title_en="Current measures")
    page = titles(client.get("/en/policies/?issuer=nobody&genre=poem"))
    assert "Current measures" in page and "not recognised" in page


@pytest.mark.parametrize(
    "typed", ["吉政发 2025 7", "吉政发2025 7", "2025年7号", "吉政发[2025]7号", "吉政发〔2025〕7号"]
)
def test_a_document_number_typed_any_usual_way_finds_the_document_first(client, site, typed):
    issuer = make_issuer(short_name="吉政发")
    make_policy(
        title_zh_hans="关于转发吉政发〔2025〕7号的通知",
        body_zh_hans="<p>根据吉政发〔2025〕7号 2025 7 文件精神。</p>",
        meta={"lead_issuer": issuer, "document_number": "吉政发〔2025〕11号"},
    )
    make_policy(
        title_zh_hans="吉林省招商引资综合改革实施方案",
        meta={"lead_issuer": issuer, "document_number": "吉政发〔2025〕7号"},
    )
    page = titles(client.get(f"/zh-hans/policies/?q={quote(typed)}"))
    assert "吉林省招商引资综合改革实施方案" in page
    position = page.index("吉林省招商引资综合改革实施方案")
    if "关于转发" in page:
        assert position < page.index("关于转发吉政发")


def test_the_index_number_address_leads_to_the_document(client, site):
    article = make_policy(
        meta={"index_number": "000014349/2017-00156", "lead_issuer": make_issuer(org_code="000014349")}
    )
    response = client.get("/en/policies/index/000014349/2017-00156/")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url("en")
    assert client.get("/en/policies/index/000014349/2017-99999/").status_code == 404
    draft = make_policy(status=Article.Status.DRAFT, meta={"index_number": "000014349/2017-00157"})
    assert draft.document.index_number
    assert client.get("/en/policies/index/000014349/2017-00157/").status_code == 404


def test_the_topic_feed_lists_documents_in_force(client, site):
    make_policy(title_en="Current measures")
    make_policy(title_en="Old measures", meta={"expiry_date": site_today() - timedelta(days=1)})
    feed = client.get("/en/policies/topic/trade-customs-tourism/feed/").text
    assert "Current measures" in feed and "Old measures" not in feed


def test_no_silent_language_fallback(client, site):
    make_policy(title_zh_hans="只有中文的文件", languages=("zh-hans",))
    assert "只有中文的文件" not in titles(client.get("/en/policies/"))
    assert "只有中文的文件" in titles(client.get("/zh-hans/policies/"))


def test_the_library_is_cached_and_turns_over_on_a_save(client, site):
    article = make_policy(title_en="Current measures")
    client.get("/en/policies/")
    assert client.get("/en/policies/").get("X-Page-Cache") == "hit"
    DocumentRelation.objects.create(from_article=make_policy(), to_article=article, kind="repeals")
    page = client.get("/en/policies/")
    assert page.get("X-Page-Cache") == "miss" and "Current measures" not in page.text


def count(client, url):
    clear_cache()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url", ["/en/policies/", "/zh-hans/policies/?q=%E6%8E%AA%E6%96%BD", "/en/policies/topic/customs/"]
)
def test_queries_do_not_grow_with_the_library(client, site, url):
    customs = TopicCategory.objects.get(code="0803")
    make_policy(title_en="措施 one", title_zh_hans="措施一", meta={"topic": customs})
    small = count(client, url)
    for number in range(25):
        make_policy(title_en=f"措施 {number}", title_zh_hans=f"措施{number}", meta={"topic": customs})
    assert count(client, url) == small


def test_a_document_without_a_number_lists_no_number(client, site):
    """The list gives a number only where there is one; 无 stays in the document's own metadata table."""
    make_policy(title_zh_hans="无文号的通知", meta={"document_number": "无"})
    make_policy(title_zh_hans="有文号的通知", meta={"document_number": "吉政发〔2025〕7号"})
    facts = re.findall(r'<p class="project-facts">(.*?)</p>', client.get("/zh-hans/policies/").text, re.S)
    spans = [re.findall(r"<span[^>]*>(.*?)</span>", fact, re.S) for fact in facts]
    assert len(spans) == 2
    assert not any(span.strip() == "无" for fact in spans for span in fact)
    assert any("吉政发〔2025〕7号" in span for fact in spans for span in fact)


def test_the_topic_addresses_migration_0006_renamed_lead_to_where_their_documents_are(client, site):
    from news.policies.views import MOVED_TOPICS

    slugs = set(TopicCategory.objects.values_list("slug", flat=True))
    assert not slugs & set(MOVED_TOPICS) and set(MOVED_TOPICS.values()) <= slugs
    # 金融 (banking) had its documents moved to 财政、金融、审计 › 其他 (test_topic_migration.py).
    assert TopicCategory.objects.get(slug=MOVED_TOPICS["banking"]).code == "0499"
    make_policy(title_en="Credit notice", meta={"topic": TopicCategory.objects.get(slug="finance-other")})
    response = client.get("/en/policies/topic/banking/?q=credit&page=1&utm_source=x&topic=customs")
    assert response.status_code == 301
    # The library's own parameters kept, any other dropped (a cached redirect echoes nothing).
    assert response["Location"] == "/en/policies/topic/finance-other/?q=credit&page=1"
    assert "Credit notice" in titles(client.get(response["Location"]))
    feed = client.get("/zh-hans/policies/topic/energy-saving/feed/")
    assert feed.status_code == 301
    assert feed["Location"] == "/zh-hans/policies/topic/energy-saving-and-resource-use/feed/"
    assert client.get(feed["Location"]).status_code == 200
    assert client.get("/en/policies/topic/no-such-topic/").status_code == 404
    assert client.get("/en/policies/topic/no-such-topic/feed/").status_code == 404
