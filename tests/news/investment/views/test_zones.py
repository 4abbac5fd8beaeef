"""The zone directory's reader pages: the directory and its filters, a zone's page with its
figures (each with its year and source), projects, incentives, news, sub-zones, map and desk; the
language rule, the enquiry about a zone, the sitemap, and the page cache turned over by a save or
a scheduled publication."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from news.investment.models import Enquiry
from tests.factories import (
    RegionFactory,
    SectorFactory,
    enquiry_post,
    image_file,
    make_article,
    make_desk,
    make_figure,
    make_project,
    make_zone,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    real_now = timezone.now
    offset = {"by": timedelta(0)}
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset["by"])
    return offset


class TestDirectory:
    def test_lists_public_zones_of_the_pages_language(self, client, site):
        both = make_zone(name_en="Changchun New Area", level="new_area", approved_year=2016)
        make_zone(languages=("zh-hans",), name_zh_hans="只有中文的园区")
        make_zone(status="draft", name_en="Draft zone")
        response = client.get("/en/zones/")
        assert response.status_code == 200
        assert "Changchun New Area" in response.text and "Draft zone" not in response.text
        assert "只有中文的园区" not in response.text and "只有中文的园区" in client.get("/zh-hans/zones/").text
        assert both.get_absolute_url("en") in response.text
        assert "National new area" in response.text and "Approved 2016" in response.text

    def test_counts_the_projects_open_in_each_zone(self, client, site):
        zone = make_zone(name_en="Busy zone")
        make_project(zone=zone)
        make_project(zone=zone)
        make_project(zone=zone, deal_status="signed", deal_status_date=timezone.localdate())
        make_project(zone=zone, status="draft")
        assert "2 projects open" in client.get("/en/zones/").text

    def test_filters_by_level_region_and_leading_sector(self, client, site):
        region, sector = RegionFactory(), SectorFactory()
        child = SectorFactory(parent=sector)
        high_tech = make_zone(name_en="Tech zone", level="high_tech")
        in_region = make_zone(name_en="Regional zone", region=region)
        by_sector = make_zone(name_en="Sector zone")
        by_sector.leading_sectors.set([child])
        assert re.findall(r"Tech zone|Regional zone|Sector zone", client.get("/en/zones/?level=high_tech").text) == [
            "Tech zone"
        ]
        assert "Regional zone" in client.get(f"/en/zones/?region={region.slug}").text
        assert "Tech zone" not in client.get(f"/en/zones/?region={region.slug}").text
        only_sector = client.get(f"/en/zones/?sector={sector.slug}").text
        assert "Sector zone" in only_sector and "Tech zone" not in only_sector
        assert high_tech and in_region

    def test_an_unknown_choice_is_reported_and_ignored(self, client, site):
        make_zone(name_en="Any zone")
        response = client.get("/en/zones/?level=moon-base")
        assert response.status_code == 200 and "Any zone" in response.text and 'role="alert"' in response.text

    def test_a_constant_number_of_queries(self, client, site, django_assert_max_num_queries):
        client.cookies["csrftoken"] = "x"  # keeps the page cache out of it
        make_zone()
        client.get("/en/")
        with django_assert_max_num_queries(8) as few:
            client.get("/en/zones/")
        limit = len(few.captured_queries)
        for _n in range(6):
            zone = make_zone(parent=make_zone())
            zone.leading_sectors.set([SectorFactory(), SectorFactory()])
            make_project(zone=zone)
        client.get("/en/")
        with django_assert_max_num_queries(limit):
            response = client.get("/en/zones/")
        assert "13 zones" in response.text


class TestZonePage:
    def test_facts_figures_with_year_and_source_and_the_desk(self, client, site):
        desk = make_desk(name_en="Zone Investment Office")
        parent = make_zone(name_en="Parent area")
        zone = make_zone(
            name_en="Hi-tech zone",
            parent=parent,
            approved_year=1991,
            planned_area_km2=499,
            desk=desk,
            lat=43.88,
            lng=125.35,
        )
        this_year = timezone.localdate().year
        make_figure(zone, this_year - 1, value=1234, source_en="City Statistics Bureau")
        make_figure(zone, this_year - 4, indicator="fdi", value=5)
        text = client.get(zone.get_absolute_url("en")).text
        assert "National economic and technological development zone" in text and "1991" in text
        assert "499 km²" in text and "Parent area" in text and parent.get_absolute_url("en") in text
        # Every number carries its year and its source; an old one says so.
        assert re.search(rf"1,?234 CNY 100 million <span class=\"figure-year\">\({this_year - 1}\)</span>", text)
        assert "City Statistics Bureau" in text
        assert re.search(rf"\({this_year - 4}\)</span> <span class=\"figure-old\">older than two years", text)
        assert "Zone Investment Office" in text and f'href="/en/enquiry/zone/{zone.slug}/"' in text
        # A link out to 天地图, never a map drawn on the page.
        assert "https://map.tianditu.gov.cn/?l=14&amp;x=125.350000&amp;y=43.880000" in text
        assert "<iframe" not in text and "tianditu.gov.cn/" not in text.split("<body", 1)[0]

    def test_joins_its_projects_incentives_news_and_sub_zones(self, client, site, column):
        zone = make_zone()
        make_project(zone=zone, title_en="Battery plant in the zone")
        make_project(title_en="Plant elsewhere")
        make_project(zone=zone, title_en="Draft plant", status="draft")
        make_zone(parent=zone, name_en="Inner park")
        policy = make_article(column=column, title_en="Tax policy for the zone")
        news = make_article(column=column, title_en="The zone opens a new hall")
        hidden = make_article(column=column, title_en="Draft news", status="draft")
        zone.incentives.set([policy])
        zone.related_articles.set([news, hidden])
        text = client.get(zone.get_absolute_url("en")).text
        assert "Battery plant in the zone" in text and "Plant elsewhere" not in text and "Draft plant" not in text
        assert "Inner park" in text and "Tax policy for the zone" in text and "The zone opens a new hall" in text
        assert "Draft news" not in text

    def test_a_project_page_names_and_links_its_zone(self, client, site):
        zone = make_zone(name_en="Home zone")
        project = make_project(zone=zone)
        text = client.get(project.get_absolute_url("en")).text
        assert f'<a href="{zone.get_absolute_url("en")}">Home zone</a>' in text

    def test_an_uploaded_map_shows_its_review_number(self, client, site):
        zone = make_zone(map_review_number="吉S（2024）001号")
        type(zone).objects.filter(pk=zone.pk).update(map_image="zones/maps/map.png", map_width=10, map_height=10)
        assert "吉S（2024）001号" in client.get(zone.get_absolute_url("en")).text

    def test_pictures_and_the_map_come_in_their_resized_copies(self, client, site):
        from news.investment.models import ZonePicture

        zone = make_zone(map_review_number="吉S（2024）001号")
        zone.map_image.save("map.png", image_file("map.png", size=(1200, 900), image_format="PNG"))
        picture = ZonePicture(zone=zone, alt_en="The new hall", alt_zh_hans="新展厅")
        picture.image.save("hall.jpg", image_file("hall.jpg", size=(1000, 600)))
        text = client.get(zone.get_absolute_url("en")).text
        stem = picture.image.url.rsplit(".", 1)[0]
        assert f'srcset="{stem}_w480.webp 480w, {stem}_w960.webp 960w, {stem}_w1000.webp 1000w"' in text
        assert 'alt="The new hall"' in text and 'alt="Map of ' in text
        map_stem = zone.map_image.url.rsplit(".", 1)[0]
        assert f"{map_stem}_w960.png 960w" in text
        for url in (f"{stem}_w480.webp", f"{map_stem}_w480.png"):  # the copies the page names exist
            assert zone.map_image.storage.exists(url.removeprefix(settings.MEDIA_URL))

    def test_not_available_in_english_says_so_without_falling_back(self, client, site):
        zone = make_zone(languages=("zh-hans",))
        response = client.get(zone.get_absolute_url("en"))
        assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
        assert zone.overview_zh_hans not in response.text
        assert zone.get_absolute_url("zh-hans") in response.text

    def test_drafts_are_404(self, client, site):
        assert client.get(make_zone(status="draft").get_absolute_url("en")).status_code == 404

    def test_a_constant_number_of_queries(self, client, site, django_assert_max_num_queries, column):
        client.cookies["csrftoken"] = "x"
        simple = make_zone()
        rich = make_zone()
        rich.leading_sectors.set([SectorFactory(), SectorFactory()])
        for year in range(2018, 2025):
            make_figure(rich, year)
        for _n in range(3):
            make_project(zone=rich)
            make_zone(parent=rich)
        rich.incentives.set([make_article(column=column) for _n in range(3)])
        client.get("/en/")
        with django_assert_max_num_queries(12) as few:
            client.get(simple.get_absolute_url("en"))
        limit = len(few.captured_queries)
        with django_assert_max_num_queries(limit):
            client.get(rich.get_absolute_url("en"))


class TestEnquiryAboutAZone:
    def test_routes_to_the_zones_desk(self, client, site):
        make_desk(is_default=True)
        desk = make_desk()
        zone = make_zone(desk=desk, name_en="Asked zone")
        form = client.get(f"/en/enquiry/zone/{zone.slug}/")
        assert form.status_code == 200 and "Asked zone" in form.text and desk.name_en in form.text
        response = client.post(f"/en/enquiry/zone/{zone.slug}/", enquiry_post())
        assert response.status_code == 302
        enquiry = Enquiry.objects.get()
        assert enquiry.zone == zone and enquiry.desk == desk
        assert re.search(r"ZX\d{4}-\d{5}", client.get(response["Location"]).text)

    def test_a_draft_zone_has_no_form(self, client, site):
        assert client.get(f"/en/enquiry/zone/{make_zone(status='draft').slug}/").status_code == 404


class TestSitemapAndCache:
    def test_sitemap_lists_public_zones_with_their_languages(self, client, site):
        both = make_zone()
        chinese = make_zone(languages=("zh-hans",))
        sitemap = client.get("/sitemap-zones-en.xml").text
        assert both.get_absolute_url("en") in sitemap and chinese.slug not in sitemap
        assert 'hreflang="zh-Hans"' in sitemap
        assert chinese.get_absolute_url("zh-hans") in client.get("/sitemap-zones-zh-hans.xml").text
        assert "sitemap-zones-en.xml" in client.get("/sitemap.xml").text

    def test_a_saved_zone_shows_at_once(self, client, site):
        zone = make_zone(name_en="Before")
        assert "Before" in client.get("/en/zones/").text
        assert client.get("/en/zones/").get("X-Page-Cache") == "hit"
        zone.name_en = "After"
        zone.save()
        assert "After" in client.get("/en/zones/").text

    def test_a_scheduled_zone_appears_at_its_second(self, client, site, clock):
        make_zone(name_en="Already here")
        make_zone(name_en="Scheduled zone", publish_at=timezone.now() + timedelta(minutes=10))
        assert "Scheduled zone" not in client.get("/en/zones/").text
        assert client.get("/en/zones/").get("X-Page-Cache") == "hit"
        clock["by"] = timedelta(minutes=10, seconds=1)
        response = client.get("/en/zones/")
        assert response.get("X-Page-Cache") == "miss" and "Scheduled zone" in response.text


def test_english_pages_never_name_a_zone_in_chinese(client, site):
    # A zone written only in Chinese fell back to its Chinese name (and a link to a page that
    # says "not available") on English project, zone and enquiry pages.
    chinese_only = make_zone(languages=("zh-hans",), name_zh_hans="只有中文的园区", slug="chinese-only")
    child = make_zone(name_en="Inner Park", parent=chinese_only)
    project = make_project(zone=chinese_only)
    pages = [project.get_absolute_url("en"), child.get_absolute_url("en"), "/en/enquiry/zone/chinese-only/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "只有中文的园区" not in response.content.decode(), url
    assert "只有中文的园区" in client.get(project.get_absolute_url("zh-hans")).content.decode()
