"""Sitemap sections of the project library and the zone directory, per language: the lists, every
project in ``Project.objects.public(language)`` and every zone in
``DevelopmentZone.objects.public(language)``, with their hreflang alternates (only the versions
that exist). An expired or withdrawn project leaves at the second its validity ends, as it
leaves the list."""

from django.db.models import Max
from django.urls import reverse

from ..i18n import all_columns_of
from ..sitemaps import LanguageSitemap
from .models import DevelopmentZone, Project


class ProjectListSitemap(LanguageSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["investment:project-list"]

    def url_for(self, item):
        return reverse(item)


class ProjectSitemap(LanguageSitemap):
    priority = 0.7

    def items(self):
        return Project.objects.public(self.language).defer(*all_columns_of("body")).order_by("-publish_at", "-pk")

    def languages_for(self, project):
        return project.available_languages()

    def lastmod(self, project):
        return project.updated_at

    def get_latest_lastmod(self):
        return Project.objects.public(self.language).aggregate(latest=Max("updated_at"))["latest"]


class ZoneListSitemap(ProjectListSitemap):
    def items(self):
        return ["investment:zone-list"]


class ZoneSitemap(LanguageSitemap):
    priority = 0.6

    def items(self):
        # A few dozen zones at most: their texts are read to list the languages each exists in.
        return DevelopmentZone.objects.public(self.language).order_by("order", "pk")

    def languages_for(self, zone):
        return zone.available_languages()

    def lastmod(self, zone):
        return zone.updated_at

    def get_latest_lastmod(self):
        return DevelopmentZone.objects.public(self.language).aggregate(latest=Max("updated_at"))["latest"]
