"""Sitemaps (django.contrib.sitemaps): one section per kind of page and language.

Each URL lists its hreflang alternates: every language the page exists in. Articles
appear only in the sections of the languages they are written in.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import translation

from .i18n import all_columns_of, availability_name, bcp47, language_codes
from .models import Article, Column, Page


class LanguageSitemap(Sitemap):
    # Up to two URLs per item fit well under the 50,000 a sitemap file may hold.
    limit = 20000

    def __init__(self, language):
        self.language = language

    def languages_for(self, item):
        return language_codes()

    def url_for(self, item):
        return item.get_absolute_url()

    def location(self, item):
        with translation.override(self.language):
            return self.url_for(item)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        prefix = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for info in urls:
            item = info["item"]
            info["alternates"] = []
            for code in self.languages_for(item):
                with translation.override(code):
                    info["alternates"].append({"location": prefix + self.url_for(item), "lang_code": bcp47(code)})
        return urls


class HomeSitemap(LanguageSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["news:home"]

    def url_for(self, item):
        return reverse(item)


class ColumnSitemap(LanguageSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Column.objects.all()


class PageSitemap(LanguageSitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return Page.objects.defer(*all_columns_of("body"))

    def lastmod(self, page):
        return page.updated_at


class ArticleSitemap(LanguageSitemap):
    priority = 0.6

    def items(self):
        # What a URL and its alternates need, nothing more (no bodies, no summaries).
        availability = [availability_name(code) for code in language_codes()]
        return (
            Article.objects.public(self.language)
            .order_by("-publish_at", "-pk")
            .only("slug", "publish_at", "updated_at", *availability)
        )

    def languages_for(self, article):
        return [code for code in language_codes() if getattr(article, availability_name(code))]

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        return Article.objects.public(self.language).aggregate(latest=Max("updated_at"))["latest"]


def sitemaps():
    from .investment.sitemaps import ProjectListSitemap, ProjectSitemap, ZoneListSitemap, ZoneSitemap

    sections = {}
    for code in language_codes():
        sections[f"home-{code}"] = HomeSitemap(code)
        sections[f"columns-{code}"] = ColumnSitemap(code)
        sections[f"pages-{code}"] = PageSitemap(code)
        sections[f"articles-{code}"] = ArticleSitemap(code)
        sections[f"project-list-{code}"] = ProjectListSitemap(code)
        sections[f"projects-{code}"] = ProjectSitemap(code)
        sections[f"zone-list-{code}"] = ZoneListSitemap(code)
        sections[f"zones-{code}"] = ZoneSitemap(code)
    return sections
