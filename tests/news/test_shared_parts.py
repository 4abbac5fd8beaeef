"""What makes an uncached page cheap: addresses remembered per process (news/addresses.py), the
header, menu and footer kept per content version ({% chrome %} in templates/includes/), and
template filters that write what Django's would with less work."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix
from django.utils import timezone, translation

from news import addresses, context_processors
from news.models import Column, SiteSettings
from tests.factories import make_article, make_column

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_addresses():
    addresses.forget()
    yield
    set_script_prefix("/")
    addresses.forget()


def test_an_address_is_what_reverse_gives_in_each_language_and_under_a_prefix():
    article = make_article(slug="jilin-expo")
    for prefix in ("/", "/portal/"):
        set_script_prefix(prefix)
        for language in ("zh-hans", "en"):
            with translation.override(language):
                for _ in range(2):  # worked out, then remembered
                    assert article.get_absolute_url() == reverse(
                        "news:article-detail", kwargs={"pk": article.pk, "slug": "jilin-expo"}
                    )
                    assert article.column.get_absolute_url() == reverse(
                        "news:column-detail", kwargs={"slug": article.column.slug}
                    )
    with translation.override("en"):
        assert article.get_absolute_url() == f"/portal/en/news/{article.pk}/jilin-expo/"
        assert article.get_absolute_url("zh-hans") == f"/portal/zh-hans/news/{article.pk}/jilin-expo/"


def test_a_new_url_configuration_forgets_the_addresses(settings):
    column = make_column(slug="projects")
    with translation.override("en"):
        assert column.get_absolute_url() == "/en/column/projects/"
        settings.ROOT_URLCONF = "tests.news.urls_moved"
        assert column.get_absolute_url() == "/en/moved/column/projects/"


def test_edits_to_the_chrome_show_on_the_next_page(client, site):
    assert "门户网站" not in client.get("/zh-hans/").content.decode()
    settings_row = SiteSettings.load()
    settings_row.site_name_zh_hans = "新的门户网站"
    settings_row.save()
    site.name_zh_hans = "新栏目名"
    site.save()
    page = client.get("/zh-hans/").content.decode()
    assert '<a class="site-name" href="/zh-hans/">新的门户网站</a>' in page
    assert "新栏目名" in page
    assert "新的门户网站" in page.split('<footer class="site-footer">')[1]


def test_the_menu_marks_the_page_it_is_on(client, site):
    other = make_column(slug="policies")
    article = make_article(column=other)

    def marked(path):
        menu = client.get(path).content.decode().split('<nav class="column-nav"')[1].split("</nav>")[0]
        return {
            line.split('href="')[1].split('"')[0]: line.split('"')[3] if "aria-current" in line else None
            for line in menu.splitlines()
            if "href=" in line
        }

    for _ in range(2):  # rendered, then from the fragment cache
        assert marked("/en/") == {
            "/en/": "page",
            site.get_absolute_url(): None,
            "/en/column/policies/": None,
            "/en/projects/": None,
            "/en/zones/": None,
            "/en/enquiry/": None,
        }
        assert marked("/en/projects/")["/en/projects/"] == "page"
        assert marked("/en/zones/")["/en/zones/"] == "page"
        assert marked(site.get_absolute_url())[site.get_absolute_url()] == "page"
        assert marked(site.get_absolute_url())["/en/column/policies/"] is None
        assert marked(article.get_absolute_url())["/en/column/policies/"] == "true"
        assert marked(article.get_absolute_url())["/en/"] is None


def test_without_a_content_version_nothing_is_kept(client, site, settings):
    """With the shared cache away there is no version to key on: each page renders its chrome."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    with mock.patch("news.context_processors.content_version", return_value=None):
        client.get("/en/")
        SiteSettings.objects.update(site_name_en="Renamed without a signal")
        Column.objects.update(name_en="Column renamed without a signal")
        page = client.get("/en/").content.decode()
    assert "Renamed without a signal</a>" in page
    assert "Column renamed without a signal" in page


def test_the_chrome_is_kept_per_content_version_and_language(client, site):
    """{% chrome %}: an edit behind the ORM (no signal, no new version) is not seen; a new version,
    as any save makes, renders the header, menu and footer afresh, in each language."""
    from news.pagecache.version import bump_content_version

    client.get("/en/")
    client.get("/zh-hans/")
    SiteSettings.objects.update(site_name_en="Renamed quietly", site_name_zh_hans="悄悄改名")
    page = client.get("/en/").content.decode()
    assert '<a class="site-name" href="/en/">Renamed quietly</a>' not in page
    assert "悄悄改名" not in client.get("/zh-hans/").content.decode().split('<footer class="site-footer">')[1]
    bump_content_version()
    page = client.get("/en/").content.decode()
    assert '<a class="site-name" href="/en/">Renamed quietly</a>' in page
    assert "悄悄改名" in client.get("/zh-hans/").content.decode().split('<footer class="site-footer">')[1]


def test_the_chrome_kept_is_bounded(monkeypatch):
    monkeypatch.setattr(context_processors, "CHROME_FRAGMENTS_KEPT", 3)
    rendered = []

    def part(version, key):
        return context_processors.chrome_fragment(version, key, lambda: rendered.append(key) or f"<{key}>")

    assert [part("v1", key) for key in ("a", "b", "c", "a")] == ["<a>", "<b>", "<c>", "<a>"]
    assert rendered == ["a", "b", "c"]
    part("v1", "d")  # past the bound: all forgotten, then kept again
    assert part("v1", "a") == "<a>" and rendered == ["a", "b", "c", "d", "a"]
    assert part("v2", "a") == "<a>" and rendered[-1] == "a" and len(rendered) == 6  # a new version: afresh


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 26, 16, 30, 5, tzinfo=UTC),  # the next day in Beijing
        datetime(2026, 3, 1, 2, 0, tzinfo=UTC),
    ],
)
def test_date_filters_write_what_the_date_filter_writes(moment):
    with timezone.override("Asia/Shanghai"):
        context = Context({"moment": moment})
        fast = Template('{% load portal %}{{ moment|isoformat }} {{ moment|strftime:"%Y-%m-%d %H:%M:%S" }}')
        slow = Template('{{ moment|date:"c" }} {{ moment|date:"Y-m-d H:i:s" }}')
        assert fast.render(context) == slow.render(context)
    assert Template("{% load portal %}[{{ nothing|isoformat }}{{ nothing|strftime:'%Y' }}]").render(Context()) == "[]"


def test_machine_readable_dates_are_valid_html_date_times():
    """A moment saved as "now" has microseconds; HTML allows at most three digits of a fraction
    (the Nu checker refused ``<time datetime="…:59.250000+08:00">``): written to the second."""
    moment = datetime(2026, 6, 30, 15, 59, 59, 250000, tzinfo=UTC)
    with timezone.override("Asia/Shanghai"):
        context = Context({"moment": moment, "day": moment.date()})
        written = Template("{% load portal %}{{ moment|isoformat }}|{% time_element moment %}|{{ day|isoformat }}")
        assert written.render(context) == (
            '2026-06-30T23:59:59+08:00|<time datetime="2026-06-30T23:59:59+08:00">2026-06-30</time>|2026-06-30'
        )


@pytest.mark.parametrize("text", ["", "短", "x" * 200, "x" * 201, "é" * 150 + "e\u0301" * 80, "<b>&" * 70])
def test_clip_is_truncatechars(text):
    context = Context({"text": text})
    assert Template("{% load portal %}{{ text|clip:200 }}").render(context) == Template(
        "{{ text|truncatechars:200 }}"
    ).render(context)
