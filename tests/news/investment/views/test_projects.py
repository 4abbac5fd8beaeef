"""The project library's reader pages: list and filters, a project's page, the brochure, feeds,
sitemaps, the enquiry about a project, and expiry at the second, page cache included."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from news.investment.models import CooperationMode, Enquiry
from news.investment.models.projects import site_zone, validity_end
from tests.factories import SectorFactory, enquiry_post, make_desk, make_project, make_zone

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate(timezone.now(), site_zone())


@pytest.fixture
def clock(monkeypatch):
    """Moves timezone.now() forward by ``clock["by"]``, or stops it at ``clock["at"]``, for the
    views and the page cache alike."""
    real_now = timezone.now
    offset = {"by": timedelta(0), "at": None}
    monkeypatch.setattr(timezone, "now", lambda: offset["at"] or real_now() + offset["by"])
    return offset


class TestList:
    def test_lists_public_projects_of_the_pages_language(self, client, site):
        both = make_project(title_en="Battery plant")
        make_project(languages=("zh-hans",), title_zh_hans="只有中文的项目")
        make_project(status="draft", title_en="Draft plant")
        response = client.get("/en/projects/")
        assert response.status_code == 200
        assert "Battery plant" in response.text and "Draft plant" not in response.text
        assert "只有中文的项目" not in response.text
        assert "只有中文的项目" in client.get("/zh-hans/projects/").text
        assert both.get_absolute_url("en") in response.text
        assert "CNY 350 million" in response.text

    def test_filters_by_sector_with_its_sub_sectors_region_amount_mode_and_stage(self, client, site):
        energy = SectorFactory(slug="energy")
        solar = SectorFactory(slug="solar", parent=energy)
        ppp = CooperationMode.objects.get(slug="ppp")
        small = make_project(title_en="Small solar", sectors=[solar], total_investment=5000, stage="land")
        big = make_project(title_en="Big energy", sectors=[energy], total_investment=600000, cooperation_modes=[ppp])
        other = make_project(title_en="Other food")

        def titles(query):
            text = client.get(f"/en/projects/?{query}").text
            return {p.title_en for p in (small, big, other) if p.title_en in text}

        assert titles("sector=energy") == {"Small solar", "Big energy"}
        assert titles("sector=solar") == {"Small solar"}
        assert titles(f"region={other.region.slug}") == {"Other food"}
        assert titles("amount=lt1") == {"Small solar"}
        assert titles("amount=gt50") == {"Big energy"}
        assert titles("mode=ppp") == {"Big energy"}
        assert titles("stage=land") == {"Small solar"}
        assert titles("sort=largest") == {"Small solar", "Big energy", "Other food"}

    def test_an_unknown_choice_is_reported_and_ignored(self, client, site):
        make_project(title_en="Still listed")
        response = client.get("/en/projects/?sector=nonsense&amount=huge")
        assert response.status_code == 200
        assert "Still listed" in response.text and 'class="form-errors"' in response.text

    def test_the_filters_choices_are_read_once_per_content_version(self, client, site):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        SectorFactory(slug="energy", name_en="Energy")
        client.cookies["csrftoken"] = "x"  # past the page cache: the view runs
        assert 'value="energy"' in client.get("/en/projects/").text
        with CaptureQueriesContext(connection) as second:
            client.get("/en/projects/?stage=land")
        assert not any('"investment_sector"' in q["sql"] and "prefetch" not in q["sql"] for q in second)
        SectorFactory(slug="food", name_en="Food processing")  # a new content version
        text = client.get("/en/projects/").text
        assert 'value="food"' in text and "Food processing" in text
        assert 'value="food" selected' in client.get("/en/projects/?sector=food").text

    def test_the_filter_fields_are_kept_for_what_they_show_and_rendered_again_when_it_changes(
        self, client, site, monkeypatch
    ):
        from news.forms import ReaderSelect

        rendered = []  # what the last request rendered: the lists by name, "closed" for the box
        render_list = ReaderSelect.render
        monkeypatch.setattr(
            ReaderSelect,
            "render",
            lambda self, name, *args, **kwargs: rendered.append(name) or render_list(self, name, *args, **kwargs),
        )
        lists = {"sector", "region", "zone", "amount", "mode", "stage", "sort"}

        def form_of(text):
            return re.search(r'<form class="project-filters".*?</form>', text, re.DOTALL).group(0)

        def fields_rendered(url):
            rendered.clear()
            response = client.get(url)
            assert response.status_code == 200
            names = [template.name for template in response.templates]
            return set(rendered) | (
                {"closed"} if "django/forms/widgets/checkbox.html" in names else set()
            ), response.text

        energy = SectorFactory(slug="energy", name_en="Energy")
        client.cookies["csrftoken"] = "x"  # past the page cache: the view runs
        shown, first = fields_rendered("/en/projects/")
        assert shown == {*lists, "closed"} and 'value="energy">Energy</option>' in first
        shown, again = fields_rendered("/en/projects/")
        assert shown == set() and again == first
        # What the reader asked for is part of each field's key: selected where asked, not elsewhere.
        shown, chosen = fields_rendered("/en/projects/?sector=energy&closed=on")
        assert shown == {"sector", "closed"}
        assert 'value="energy" selected' in chosen and 'name="closed" id="id_closed" checked' in chosen
        assert 'value="energy" selected' not in fields_rendered("/en/projects/")[1]
        shown, reordered = fields_rendered("/en/projects/?closed=on&sector=energy")  # the same choices
        assert shown == set() and form_of(reordered) == form_of(chosen)
        # The language, and a renamed sector (a new content version, new choices for its list only).
        shown, chinese = fields_rendered("/zh-hans/projects/")
        assert shown == {*lists, "closed"} and "全部行业" in chinese and "All sectors" not in chinese
        energy.name_en = "New energy"
        energy.save()
        shown, renamed = fields_rendered("/en/projects/")
        assert shown == {"sector"} and 'value="energy">New energy</option>' in renamed
        # Values nobody offers are reported, on every request, and fill no cache.
        for _ in range(2):
            shown, wrong = fields_rendered("/en/projects/?sector=nonsense")
            assert shown == {*lists, "closed"} and 'class="form-errors"' in wrong

    def test_the_kept_filter_fields_take_one_entry_a_field_and_shown_value(self, client, site):
        """Values the form accepts but shows alike (any ``closed`` value is a ticked box; of a
        repeated parameter the form shows the last) are one entry, not one a spelling, and each
        field is kept on its own: the entries grow with the sum of the choices shown, not with
        their combinations, so an address of arbitrary values that the form accepts fills no cache."""
        from django.core.cache import caches

        from news.investment.filters import ProjectFilterForm

        SectorFactory(slug="energy", name_en="Energy")
        SectorFactory(slug="food", name_en="Food")
        client.cookies["csrftoken"] = "x"  # past the page cache: the view runs
        kept = caches["template_fragments"]
        fields = len(ProjectFilterForm.base_fields)  # the seven lists and the box

        def entries():
            return sum(".project-filter." in key for key in kept._cache)

        first = client.get("/en/projects/?closed=on&sector=energy").text
        assert entries() == fields
        for query in ("closed=1", "closed=true", "closed=whatever-an-attacker-sends", "sector=x&sector=energy"):
            text = client.get(f"/en/projects/?closed=on&{query}&sector=energy").text
            assert text.count('value="energy" selected') == first.count('value="energy" selected') == 1
            assert 'name="closed" id="id_closed" checked' in text
            assert entries() == fields, query
        # The box is part of its key: unticked where not asked, however the lists are kept.
        assert 'id="id_closed" checked' not in client.get("/en/projects/?sector=energy").text
        assert entries() == fields + 1
        # An empty value shows as no value at all, and an unticked box as no box.
        client.get("/en/projects/")
        client.get("/en/projects/?sector=&closed=false")
        client.get("/en/projects/?page=2")
        assert entries() == fields + 2
        # Two choices of two lists, four combinations: one entry for each value not shown yet (the
        # second sector and both orders), not one a combination.
        for sector in ("energy", "food"):
            for sort in ("largest", "verified"):
                text = client.get(f"/en/projects/?sector={sector}&sort={sort}").text
                assert f'value="{sector}" selected' in text and f'value="{sort}" selected' in text
        assert entries() == fields + 2 + 3

    def test_links_carry_the_value_of_a_repeated_parameter_that_the_list_shows(self, client, site):
        SectorFactory(slug="energy", name_en="Energy")
        text = client.get("/en/projects/?sector=x&sector=energy").text
        assert 'value="energy" selected' in text and 'class="form-errors"' not in text
        assert 'hreflang="zh-Hans" href="http://testserver/zh-hans/projects/?sector=energy"' in text
        assert "sector=x" not in text

    def test_the_filter_fields_keys_hold_the_language_even_where_the_choices_read_alike(self, site):
        from news.investment.filters import ProjectFilterForm

        form = ProjectFilterForm({"sector": ""})  # the same choices under both languages below
        keys = {}
        for code in ("en", "zh-hans"):
            with translation.override(code):
                kept = form.kept_fields()
                keys[code] = [key for _field, key in kept["lists"]] + [kept["closed"]]
        assert None not in keys["en"] and not set(keys["en"]) & set(keys["zh-hans"])

    def test_signed_projects_are_shown_only_when_asked(self, client, site):
        make_project(title_en="Signed deal", deal_status="signed", deal_status_date=today())
        assert "Signed deal" not in client.get("/en/projects/").text
        assert "Signed deal" in client.get("/en/projects/?closed=on").text

    def test_the_filter_form_works_without_javascript(self, client, site):
        text = client.get("/en/projects/").text
        form = re.search(r'<form class="project-filters" method="get"[^>]*>', text)
        assert form and 'action="/en/projects/"' in form.group(0)
        assert "<script" not in text.split("<body>", 1)[1].replace('type="application/ld+json"', "")

    def test_paginated_with_a_constant_number_of_queries(self, client, site, django_assert_max_num_queries):
        from django.core.cache import caches

        # A CSRF cookie keeps the page cache out of it.
        client.cookies["csrftoken"] = "x"

        def queries(cards_kept):
            # The first list after an edit reads the chrome and the filters' choices, once per
            # content version; then the page's ids and times with the count (one query, was two),
            # and, for the cards not kept (news/pagecache/fragments.py), their projects and sectors.
            client.get("/en/projects/?closed=on&sort=largest")
            if not cards_kept:
                caches["template_fragments"].clear()
            with django_assert_max_num_queries(1 if cards_kept else 3) as counted:
                response = client.get("/en/projects/?closed=on&sort=largest")
            return len(counted.captured_queries), response

        for _n in range(3):
            make_project()
        few = {kept: queries(kept)[0] for kept in (True, False)}
        for _n in range(22):
            make_project(sectors=[SectorFactory(), SectorFactory()])
        for kept in (True, False):
            count, response = queries(kept)
            assert count == few[kept]
            assert "25 projects" in response.text and "?closed=on&amp;sort=largest&amp;page=2" in response.text

    @pytest.mark.parametrize("count", [0, 1, 20, 21, 45])
    def test_pages_are_those_of_djangos_paginator(self, count, site):
        from django.core.paginator import Paginator

        from news.investment import queries
        from news.investment.models import Project
        from news.investment.views.projects import counted_page

        for _n in range(count):
            make_project()
        # Not listed: signed, withdrawn, expired, written in Chinese only, a draft.
        make_project(deal_status="signed", deal_status_date=today())
        make_project(deal_status="withdrawn", deal_status_date=today(), withdrawn_reason_en="Sold")
        expired = make_project()
        type(expired).objects.filter(pk=expired.pk).update(valid_until=today() - timedelta(days=1))
        make_project(languages=("zh-hans",))
        make_project(status="draft")
        now = timezone.now()
        projects = Project.objects.public("en", now).filter(deal_status__in=Project.SEEKING)
        projects = projects.order_by("-publish_at", "-pk")
        django = Paginator(projects.values_list("pk", "updated_at"), 20)

        def first_page():
            return queries.first_listed_projects(now=now, today=today())

        for number in (None, "", "x", "2.0", "-1", "0", "1", "2", "3", "4", "99"):
            expected = django.get_page(number)
            with translation.override("en"):
                for first in (None, first_page):
                    paginator, page = counted_page(lambda: projects, number, first_page=first)
                    assert paginator.count == django.count and paginator.num_pages == django.num_pages, number
                    assert (page.number, list(page.object_list)) == (expected.number, list(expected.object_list))

    def test_a_card_is_rendered_again_when_its_project_or_a_sector_name_changes(self, client, site):
        energy = SectorFactory(slug="energy", name_en="Energy")
        project = make_project(title_en="Battery plant", sectors=[energy])
        other = make_project(title_en="Food plant")
        client.cookies["csrftoken"] = "x"
        assert "Battery plant" in client.get("/en/projects/").text
        project.title_en = "Battery and cell plant"
        project.save()
        text = client.get("/en/projects/").text
        assert "Battery and cell plant" in text and "Food plant" in text
        energy.name_en = "New energy"
        energy.save()
        assert "New energy" in client.get("/en/projects/").text
        other.delete()
        assert "Food plant" not in client.get("/en/projects/").text


class TestDetail:
    def test_key_facts_desk_and_express_interest(self, client, site):
        desk = make_desk(name_en="Foreign Investment Division", office_hours_en="Working days 8:30-17:00")
        project = make_project(
            desk=desk, land_area_mu=120, investment_sought=8000, verified_on=today(), promoter_en="Jilin Grid Co."
        )
        response = client.get(project.get_absolute_url("en"))
        text = response.text
        assert response.status_code == 200
        for fact in (project.code, "CNY 350 million", "CNY 80 million", "8 ha (120 mu)", "Jilin Grid Co.",
                     "Information verified on", today().isoformat(), "Foreign Investment Division",
                     desk.email, "Working days 8:30-17:00", "Equity joint venture"):  # fmt: skip
            assert fact in text, fact
        assert f'href="/en/enquiry/project/{project.code}/"' in text
        assert "noindex" not in text and "X-Robots-Tag" not in response
        zh = client.get(project.get_absolute_url("zh-hans")).text
        assert "3.5亿元" in zh and "120亩" in zh

    def test_the_address_holds_the_code_and_a_wrong_slug_redirects(self, client, site):
        project = make_project(title_en="Battery Plant")
        assert project.get_absolute_url("en") == f"/en/projects/{project.code}/battery-plant/"
        response = client.get(f"/en/projects/{project.code}/wrong/")
        assert response.status_code == 301 and response["Location"] == project.get_absolute_url("en")
        assert client.get("/en/projects/JL1999-0001/").status_code == 404

    def test_drafts_are_404(self, client, site):
        assert client.get(make_project(status="draft").get_absolute_url("en")).status_code == 404

    def test_not_available_in_english_says_so_without_falling_back(self, client, site):
        project = make_project(languages=("zh-hans",), title_zh_hans="中文项目名")
        response = client.get(f"/en/projects/{project.code}/")
        assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
        assert "not available in this language" in response.text and "中文项目名" not in response.text

    def test_expired_keeps_its_page_with_a_banner_and_noindex(self, client, site, clock):
        project = make_project(valid_until=today(), verified_on=today() - timedelta(days=300))
        assert "project-banner" not in client.get(project.get_absolute_url("en")).text
        clock["by"] = validity_end(today()) - timezone.now() + timedelta(seconds=1)
        response = client.get(project.get_absolute_url("en"))
        assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
        assert "project-banner" in response.text and '<meta name="robots" content="noindex">' in response.text

    def test_withdrawn_keeps_its_page_with_the_reason(self, client, site):
        project = make_project(deal_status="withdrawn", deal_status_date=today(), withdrawn_reason_en="Land sold")
        response = client.get(project.get_absolute_url("en"))
        assert response.status_code == 200 and "Land sold" in response.text and response["X-Robots-Tag"] == "noindex"
        assert project.title_en not in client.get("/en/projects/?closed=on").text

    def test_a_constant_number_of_queries(self, client, site, django_assert_max_num_queries):
        simple = make_project()
        rich = make_project(sectors=[SectorFactory(), SectorFactory(), SectorFactory()])
        rich.cooperation_modes.set(CooperationMode.objects.all())
        client.cookies["csrftoken"] = "x"
        client.get("/en/")
        # The project with its region, desk and zone and whether it has attachments, its sectors,
        # its cooperation modes, its news (news/investment/queries.py); attachments only when it has some.
        with django_assert_max_num_queries(4) as few:
            client.get(simple.get_absolute_url("en"))
        limit = len(few.captured_queries)
        with django_assert_max_num_queries(limit):
            client.get(rich.get_absolute_url("en"))

    def test_the_zones_name_link_and_rename_show_at_once(self, client, site):
        zone = make_zone(name_en="Changchun New Area")
        project = make_project(zone=zone)
        text = client.get(project.get_absolute_url("en")).text
        assert f'<a href="{zone.get_absolute_url("en")}">Changchun New Area</a>' in text
        zone.name_en = "Changchun National New Area"
        zone.save()
        text = client.get(project.get_absolute_url("en")).text
        assert "Changchun National New Area</a>" in text and "Changchun New Area<" not in text
        zone.status = "draft"
        zone.save()
        text = client.get(project.get_absolute_url("en")).text
        assert "<dd>Changchun National New Area</dd>" in text and zone.get_absolute_url("en") not in text

    def test_nothing_of_the_page_is_kept_past_a_raw_update(self, client, site):
        """The page's queries are prepared, not their rows: a change behind the ORM shows on the next render."""
        project = make_project(title_en="Before the update", land_area_mu=120)
        client.cookies["csrftoken"] = "x"  # past the page cache: the view runs
        assert "Before the update" in client.get(project.get_absolute_url("en")).text
        type(project).objects.filter(pk=project.pk).update(title_en="After the update", land_area_mu=150)
        text = client.get(project.get_absolute_url("en")).text
        assert "After the update" in text and "10 ha (150 mu)" in text and "Before the update" not in text

    def test_sectors_and_modes_renamed_show_at_once(self, client, site):
        energy = SectorFactory(name_en="Energy")
        project = make_project(sectors=[energy])
        mode = project.cooperation_modes.first()
        assert "<dd>Energy</dd>" in client.get(project.get_absolute_url("en")).text
        energy.name_en = "New energy"
        energy.save()
        mode.name_en = "Joint venture, renamed"
        mode.save()
        text = client.get(project.get_absolute_url("en")).text
        assert "<dd>New energy</dd>" in text and "Joint venture, renamed" in text


class TestBrochure:
    def test_one_page_with_a_qr_code_to_the_projects_address(self, client, site):
        project = make_project()
        response = client.get(f"/en/projects/{project.code}/print/")
        assert response.status_code == 200
        assert "<svg" in response.text and "http://testserver" + project.get_absolute_url("en") in response.text
        assert response["X-Robots-Tag"] == "noindex"


class TestEnquiry:
    def test_express_interest_preselects_the_project_and_its_desk(self, client, site):
        make_desk(is_default=True)
        desk = make_desk()
        project = make_project(desk=desk)
        form = client.get(f"/en/enquiry/project/{project.code}/")
        assert form.status_code == 200 and project.title_en in form.text
        assert re.search(r'<option value="interest" selected>', form.text)
        response = client.post(f"/en/enquiry/project/{project.code}/", enquiry_post(kind="interest"))
        assert response.status_code == 302
        enquiry = Enquiry.objects.get()
        assert enquiry.project == project and enquiry.desk == desk and enquiry.kind == "interest"

    def test_a_draft_project_has_no_form(self, client, site):
        assert client.get(f"/en/enquiry/project/{make_project(status='draft').code}/").status_code == 404


class TestFeedsAndSitemaps:
    def test_feed_and_sitemap_list_valid_projects_only(self, client, site):
        valid = make_project(title_en="Valid one")
        expired = make_project(title_en="Gone one")
        type(expired).objects.filter(pk=expired.pk).update(valid_until=today() - timedelta(days=1))
        feed = client.get("/en/projects/feed/").text
        assert "Valid one" in feed and "Gone one" not in feed
        sitemap = client.get("/sitemap-projects-en.xml").text
        assert valid.get_absolute_url("en") in sitemap and expired.code not in sitemap
        assert 'hreflang="zh-Hans"' in sitemap
        assert "sitemap-projects-en.xml" in client.get("/sitemap.xml").text


class TestExpiryWithThePageCache:
    def test_an_expired_project_leaves_list_feed_and_sitemap_at_the_second(self, client, site, clock):
        project = make_project(title_en="Leaving project", valid_until=today())
        end = validity_end(today())
        # A stopped clock: a moving one gave the slow requests of a loaded machine a second to
        # answer in before the hit below fell after the end.
        clock["at"] = end - timedelta(seconds=10)
        assert "Leaving project" in client.get("/en/projects/").text
        assert "Leaving project" in client.get("/en/projects/feed/").text
        assert project.code in client.get("/sitemap-projects-en.xml").text
        clock["at"] = end - timedelta(microseconds=1)
        cached = client.get("/en/projects/")
        assert cached.get("X-Page-Cache") == "hit" and "Leaving project" in cached.text
        clock["at"] = end
        response = client.get("/en/projects/")
        assert response.get("X-Page-Cache") == "miss" and "Leaving project" not in response.text
        assert "Leaving project" not in client.get("/en/projects/feed/").text
        assert project.code not in client.get("/sitemap-projects-en.xml").text
        assert client.get(project.get_absolute_url("en")).status_code == 200

    def test_a_saved_project_shows_at_once(self, client, site):
        project = make_project(title_en="Before")
        assert "Before" in client.get("/en/projects/").text
        project.title_en = "After"
        project.save()
        assert "After" in client.get("/en/projects/").text
