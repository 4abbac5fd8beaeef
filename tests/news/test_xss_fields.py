"""Stored XSS, server side, where a browser adds nothing: address fields, feeds, page metadata, parameters.

The corpus is tests/xss.py; tests/browser/test_xss.py renders the same payloads in Chromium.
"""

import json
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from news.models import Article, Column, SiteSettings
from news.text import clean_text
from tests.factories import admin_form_data, make_article, make_column, make_staff
from tests.xss import PAYLOADS, page_problems, problems

pytestmark = pytest.mark.django_db

HOSTILE_ADDRESSES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript://example.com/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ftp://example.com/x",
]
ENGLISH = {"accept-language": "en"}
ADDRESS_MESSAGE = "Only web addresses that start with http:// or https:// can be used."


def settings_form(**overrides):
    data = {
        "site_name_zh_hans": "吉林省投资促进网",
        "site_name_en": "Jilin Investment",
        "sponsor_zh_hans": "",
        "sponsor_en": "",
        "contact_address_zh_hans": "",
        "contact_address_en": "",
        "contact_phone": "",
        "contact_email": "",
        "icp_record": "吉ICP备1号",
        "icp_url": "https://beian.miit.gov.cn/",
        "public_security_record": "吉公网安备1号",
        "public_security_url": "https://beian.mps.gov.cn/",
        "government_site_code": "2200000001",
        "government_site_code_url": "https://example.gov.cn/",
    }
    return {**data, **overrides}


@pytest.fixture
def admin_client_of_site(db):
    """Logged in as a site administrator, who edits the footer settings."""
    client = Client()
    client.force_login(make_staff("Site administrator"))
    return client


class TestAddressFields:
    """Links editors type (footer record links, an article's source) take web addresses only."""

    @pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
    @pytest.mark.parametrize("field", ["icp_url", "public_security_url", "government_site_code_url"])
    def test_the_settings_form_refuses_other_schemes(self, site_settings, admin_client_of_site, field, address):
        response = admin_client_of_site.post(
            "/admin/news/sitesettings/1/change/", settings_form(**{field: address}), headers=ENGLISH
        )
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert errors == {field: [ADDRESS_MESSAGE]}
        assert SiteSettings.load().icp_url == "https://beian.miit.gov.cn/"

    @pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
    def test_the_article_form_refuses_other_schemes(self, senior_client, site, address):
        article = make_article(site)
        data = admin_form_data(article, source_url=address)
        response = senior_client.post(f"/admin/news/article/{article.pk}/change/", data, headers=ENGLISH)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors == {"source_url": [ADDRESS_MESSAGE]}
        assert Article.objects.get(pk=article.pk).source_url == ""

    @pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
    def test_model_validation_refuses_them_with_the_same_message(self, site, address):
        # Imports (news/transfer.py) and scripts validate with full_clean().
        article = make_article(site)
        article.source_url = address
        translation.activate("en")
        with pytest.raises(ValidationError) as refused:
            article.full_clean()
        assert refused.value.message_dict == {"source_url": [ADDRESS_MESSAGE]}
        settings = SiteSettings(site_name_zh_hans="站", site_name_en="Site", government_site_code_url=address)
        with pytest.raises(ValidationError) as refused:
            settings.full_clean()
        assert refused.value.message_dict == {"government_site_code_url": [ADDRESS_MESSAGE]}

    def test_the_refusal_is_in_the_editors_language(self, site_settings, admin_client_of_site):
        data = settings_form(icp_url="javascript:alert(1)")
        page = admin_client_of_site.post(
            "/admin/news/sitesettings/1/change/", data, headers={"accept-language": "zh-hans"}
        )
        assert "只能使用以 http:// 或 https:// 开头的网址。" in page.content.decode()

    @pytest.mark.parametrize("address", ["https://beian.miit.gov.cn/", "http://example.com/a?b=c#d", "example.com"])
    def test_web_addresses_are_kept(self, senior_client, site, address):
        article = make_article(site)
        response = senior_client.post(
            f"/admin/news/article/{article.pk}/change/", admin_form_data(article, source_url=address)
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Article.objects.get(pk=article.pk).source_url.startswith(("http://", "https://"))

    @pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
    def test_an_address_stored_around_validation_is_never_a_link(self, client, site, address):
        """A raw database write (``update()``) skips validation: the pages still link only to web addresses."""
        article = make_article(site, source_en="Jilin Daily")
        Article.objects.filter(pk=article.pk).update(source_url=address)
        SiteSettings.objects.filter(pk=1).update(
            icp_url=address, public_security_record="x", public_security_url=address
        )
        for path in (article.get_absolute_url("en"), "/en/"):
            html = client.get(path).content.decode()
            assert page_problems(html) == [], path
            assert "Jilin Daily" in html or path == "/en/"


def feed_items(response):
    """The feed parsed as XML (it must be well-formed), as ``[{element: text}]`` per item, and the channel."""
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    channel = root.find("channel")
    items = [{child.tag: child.text or "" for child in item} for item in channel.iter("item")]
    return {child.tag: child.text or "" for child in channel}, items


class TestFeeds:
    """Feeds are XML: payloads come out well-formed and, where RSS means HTML, as text rather than markup."""

    def test_payloads_in_titles_summaries_and_columns(self, client, site):
        column = make_column("hostile", name_en=PAYLOADS[0], description_en=PAYLOADS[1])
        for payload in PAYLOADS:
            make_article(column, title_en=payload, summary_en=payload, author_en=payload[:100])
        make_article(column, title_en=PAYLOADS[2])  # no summary: the description falls back to the title
        for path in ("/en/feed/", "/en/column/hostile/feed/"):
            channel, items = feed_items(client.get(path))
            assert len(items) == 30
            for item in items:
                # RSS titles are text; a description is HTML, so a text summary arrives escaped.
                assert item["title"] in PAYLOADS
                assert problems(item["description"]) == [], item["description"]
                assert unescape(item["description"]) in PAYLOADS  # shown as the text it is
            assert problems(channel["description"]) == []
        channel, _items = feed_items(client.get("/en/column/hostile/feed/"))
        assert channel["title"].startswith(PAYLOADS[0])


class MetaParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta, self.json_ld, self.title, self._in = {}, [], "", None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key:
            self.meta[key] = attrs.get("content")
        if tag == "script" and attrs.get("type") == "application/ld+json" or tag == "title":
            self._in = tag

    def handle_data(self, data):
        if self._in == "script":
            self.json_ld.append(json.loads(data))
        elif self._in == "title":
            self.title += data

    def handle_endtag(self, tag):
        self._in = None


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_titles_stay_text_in_meta_tags_and_json_ld(client, site, payload):
    """Open Graph, Twitter and description tags and the JSON-LD block give the payload back as text."""
    column = make_column(name_en=payload[:100])
    article = make_article(column, title_en=payload, summary_en=payload, author_en=payload[:100])
    html = client.get(article.get_absolute_url("en")).content.decode()
    page = MetaParser()
    page.feed(html)
    title = clean_text(payload, multiline=False)  # a title is one line (news/text.py)
    assert page.meta["og:title"] == page.meta["twitter:title"] == title
    assert page.meta["og:description"] == page.meta["description"] == payload
    assert page.title.startswith(title)
    (data,) = page.json_ld
    assert data["headline"] == title and data["description"] == payload
    names = [person["name"] for person in data["author"] if person["@type"] == "Person"]
    assert names and all(name in title[:100] for name in names) and data["articleSection"] == title[:100]
    assert page_problems(html) == []


LIST_PATHS = [
    "/en/?page={}",
    "/en/column/{column}/?page={}",
    "/zh-hans/tag/{tag}/?page={}",
    "/en/region/{region}/?page={}",
    "/en/search/?q=English&page={}",
    "/zh-hans/search/?q={}&column={}&year={}",
    "/en/column/{column}/{}/",
    "/en/column/{column}/2026/{}/",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_page_and_filter_parameters(client, site, settings, payload):
    """Every list and its page, year, month, column and search parameters: an answer with nothing of ours run."""
    from urllib.parse import quote

    from news.models import Region, Tag

    settings.PORTAL_SEARCH_RATE_LIMIT = 0
    tag = Tag.objects.create(slug="t", name_zh_hans="标签", name_en="Tag")
    region = Region.objects.create(slug="r", name_zh_hans="地区", name_en="Region")
    make_article(site, region=region).tags.add(tag)
    value = quote(payload, safe="")
    for template in LIST_PATHS:
        path = template.format(value, value, value, column=site.slug, tag=tag.slug, region=region.slug)
        response = client.get(path)
        assert response.status_code in (200, 404), path
        html = response.content.decode()
        assert page_problems(html) == [], path
        assert payload not in html or payload == "javascript:window.__xss()", path


def test_column_descriptions_and_page_texts_are_escaped_in_page_metadata(client, site, pages):
    """The column description and a page's text reach the description tags as text."""
    Column.objects.filter(pk=site.pk).update(description_en=PAYLOADS[0], name_en=PAYLOADS[4])
    html = client.get(f"/en/column/{site.slug}/").content.decode()
    page = MetaParser()
    page.feed(html)
    assert page.meta["description"] == PAYLOADS[0] and page.meta["og:title"] == PAYLOADS[4]
    assert page_problems(html) == []
