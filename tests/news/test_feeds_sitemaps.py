"""Feeds, sitemaps, robots.txt and the tags that describe pages, parsed rather than string-matched."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser

import feedparser
import pytest
from django.utils import timezone

from news.models import Article
from tests.factories import image_file, make_article, make_column

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


class TestFeeds:
    def test_site_feed_per_language(self, client, site):
        both = make_article(
            site, title_en="Both languages", summary_en="A summary.", author_en="Li Ming", cover_image=image_file()
        )
        chinese = make_article(site, languages=("zh-hans",), title_zh_hans="只有中文")
        make_article(site, title_en="A draft", status=Article.Status.DRAFT)
        response = client.get("/en/feed/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/rss+xml")
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == "rss20"
        assert feed.feed.language == "en"
        assert [entry.title for entry in feed.entries] == ["Both languages"]
        entry = feed.entries[0]
        assert entry.link == f"http://testserver{both.get_absolute_url('en')}"
        assert entry.summary == "A summary."
        assert entry.author == "Li Ming"
        assert entry.published_parsed[:3] == both.publish_at.utctimetuple()[:3]
        enclosure = entry.enclosures[0]
        assert enclosure.href.startswith("http://testserver/media/covers/") and enclosure.type == "image/jpeg"
        assert int(enclosure.length) == both.cover_image.size
        zh = feedparser.parse(client.get("/zh-hans/feed/").content)
        assert {entry.title for entry in zh.entries} == {both.title_zh_hans, chinese.title_zh_hans}
        assert zh.feed.language == "zh-Hans"

    def test_column_feed(self, client, site):
        make_article(site, title_en="In the column")
        make_article(make_column("policies"), title_en="Elsewhere")
        feed = feedparser.parse(client.get("/en/column/investment-dynamics/feed/").content)
        assert not feed.bozo
        assert [entry.title for entry in feed.entries] == ["In the column"]
        assert feed.feed.title.startswith("Investment Dynamics")
        assert client.get("/en/column/nope/feed/").status_code == 404

    def test_feeds_are_advertised_on_their_pages(self, client, site):
        article = make_article(site)
        home = client.get("/en/").content.decode()
        assert '<link rel="alternate" type="application/rss+xml" href="/en/feed/"' in home
        for url in ("/en/column/investment-dynamics/", article.get_absolute_url("en")):
            page = client.get(url).content.decode()
            assert 'type="application/rss+xml" href="/en/column/investment-dynamics/feed/"' in page


class TestSitemaps:
    def fetch(self, client, url):
        response = client.get(url)
        assert response.status_code == 200, url
        return ET.fromstring(response.content)  # noqa: S314 - our own output

    def test_robots_txt_names_the_sitemap(self, client, db):
        response = client.get("/robots.txt")
        assert response["Content-Type"].startswith("text/plain")
        lines = response.content.decode().splitlines()
        assert "Sitemap: http://testserver/sitemap.xml" in lines
        assert "Disallow: /en/search/" in lines and "Disallow: /admin/" not in lines

    def test_every_published_article_in_each_language_it_exists_in(self, client, site, pages):
        both = make_article(site)
        chinese = make_article(site, languages=("zh-hans",))
        draft = make_article(site, status=Article.Status.DRAFT)
        future = make_article(site, publish_at=timezone.now() + timedelta(days=1))
        index = self.fetch(client, "/sitemap.xml")
        sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
        urls = {}
        for section in sections:
            root = self.fetch(client, section.replace("http://testserver", ""))
            for url in root.iter(f"{SITEMAP}url"):
                alternates = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
                urls[url.find(f"{SITEMAP}loc").text] = (url.findtext(f"{SITEMAP}lastmod"), alternates)
        host = "http://testserver"
        both_zh, both_en = host + both.get_absolute_url("zh-hans"), host + both.get_absolute_url("en")
        assert urls[both_en][1] == {"zh-Hans": both_zh, "en": both_en}
        assert urls[both_zh][1] == {"zh-Hans": both_zh, "en": both_en}
        assert urls[both_en][0] == timezone.localtime(both.updated_at).date().isoformat()
        chinese_zh = host + chinese.get_absolute_url("zh-hans")
        assert urls[chinese_zh][1] == {"zh-Hans": chinese_zh}
        assert host + chinese.get_absolute_url("en") not in urls
        for hidden in (draft, future):
            assert not any(f"/news/{hidden.pk}/" in url for url in urls)
        assert {
            host + "/en/",
            host + "/zh-hans/",
            host + "/en/column/investment-dynamics/",
            host + "/en/page/about/",
        } <= set(urls)


class MetaParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self._in_json = {}, [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.setdefault(attrs.get("property") or attrs.get("name"), []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json = True

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(json.loads(data))
            self._in_json = False


def parse(response):
    parser = MetaParser()
    parser.feed(response.content.decode())
    return parser


class TestPageDescriptions:
    def test_article_page(self, client, site):
        article = make_article(
            site,
            title_en="Matchmaking in Changchun",
            summary_en="Fifty companies met.",
            author_en="Li Ming",
            cover_image=image_file(),
        )
        page = parse(client.get(article.get_absolute_url("en")))
        url = "http://testserver" + article.get_absolute_url("en")
        assert page.meta["description"] == ["Fifty companies met."]
        assert {"rel": "canonical", "href": url} in page.links
        assert page.meta["og:title"] == ["Matchmaking in Changchun"] and page.meta["og:type"] == ["article"]
        assert page.meta["og:url"] == [url] and page.meta["og:locale"] == ["en_US"]
        assert page.meta["og:locale:alternate"] == ["zh_CN"]
        assert page.meta["og:image"][0].startswith("http://testserver/media/covers/")
        assert page.meta["twitter:card"] == ["summary_large_image"]
        (data,) = page.json_ld
        assert data["@type"] == "NewsArticle" and data["headline"] == "Matchmaking in Changchun"
        assert data["inLanguage"] == "en" and data["author"] == [{"@type": "Person", "name": "Li Ming"}]
        assert data["datePublished"] == article.publish_at.isoformat()
        assert data["mainEntityOfPage"] == url

    def test_json_ld_cannot_break_out_of_its_element(self, client, site):
        article = make_article(site, title_en="</script><script>alert(1)</script>")
        html = client.get(article.get_absolute_url("en")).content.decode()
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
        assert "<" not in block and json.loads(block)["headline"].startswith("</script>")

    @pytest.mark.parametrize(
        "url", ["/zh-hans/", "/en/column/investment-dynamics/", "/en/page/about/", "/en/search/?q=x"]
    )
    def test_other_pages_have_the_basic_tags(self, client, site, pages, url):
        page = parse(client.get(url))
        for name in ("description", "og:title", "og:description", "og:image", "og:url", "twitter:card"):
            assert page.meta.get(name) and page.meta[name][0], (url, name)
        assert any(link.get("rel") == "canonical" for link in page.links)
        assert page.meta["og:image"][0].startswith("http://testserver/static/")

    def test_column_page_two_is_its_own_canonical(self, client, site):
        for i in range(21):
            make_article(site, publish_at=timezone.now() - timedelta(hours=i + 1))
        page = parse(client.get("/en/column/investment-dynamics/?page=2"))
        assert {"rel": "canonical", "href": "http://testserver/en/column/investment-dynamics/?page=2"} in page.links
        assert page.meta["og:title"] == ["Investment Dynamics, page 2"]


@pytest.mark.parametrize("url", ["/en/feed/", "/zh-hans/column/investment-dynamics/feed/", "/sitemap-articles-en.xml"])
def test_feeds_and_sitemaps_run_a_constant_number_of_queries(client, site, django_assert_max_num_queries, url):
    for i in range(40):
        make_article(site, author_en=f"Author {i}", cover_image=image_file() if i % 4 == 0 else "")
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
