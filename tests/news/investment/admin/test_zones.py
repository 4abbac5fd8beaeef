"""The zone editor: who may change what (spec 3, rule 1), figures refused without a source, stale
figures flagged, versions, the workflow, previews."""

import pytest
from django.utils import timezone
from reversion.models import Version

from news.investment.models import DevelopmentZone, Indicator
from tests.factories import make_figure, make_staff, make_zone

pytestmark = pytest.mark.django_db


def form_data(zone, figures=(), **overrides):
    """What the zone change form posts for ``zone``, with ``figures`` as new inline rows."""
    publish_at = timezone.localtime(zone.publish_at)
    data = {
        "status": zone.status,
        "publish_at_0": publish_at.strftime("%Y-%m-%d"),
        "publish_at_1": publish_at.strftime("%H:%M:%S"),
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        "order": "0",
        "based_on": zone.lock_version,
        "slug": zone.slug,
        "level": zone.level,
        "parent": "",
        "region": zone.region_id,
        "approved_year": zone.approved_year,
        "approved_on": "",
        "approval_document": "",
        "planned_area_km2": "",
        "built_area_km2": "",
        "leading_sectors": [],
        "website": "",
        "desk": zone.desk_id or "",
        "available_land_mu": "",
        "standard_factory_m2": "",
        "land_as_of": "",
        "lat": "",
        "lng": "",
        "map_review_number": "",
        "sources": "",
        "external_id": "",
        "figures-TOTAL_FORMS": str(len(figures)),
        "figures-INITIAL_FORMS": "0",
        "pictures-TOTAL_FORMS": "0",
        "pictures-INITIAL_FORMS": "0",
    }
    for name in ("name", "short_name", "approved_by", "overview", "location_transport", "infrastructure",
                 "land_and_space", "management_body", "address", "cover_alt", "cover_caption", "cover_credit"):  # fmt: skip
        for code in ("zh_hans", "en"):
            data[f"{name}_{code}"] = getattr(zone, f"{name}_{code}") or ""
    gdp = Indicator.objects.get(slug="gdp").pk
    for index, figure in enumerate(figures):
        row = {"indicator": gdp, "value": "10", "unit": "", "year": "2024", "quarter": "", "source_url": "",
               "source_zh_hans": "", "source_en": "", **figure}  # fmt: skip
        data.update({f"figures-{index}-{key}": value for key, value in row.items()})
    data.update(overrides)
    return data


@pytest.fixture
def admin_client_of(db, client):
    def login(group):
        client.user = make_staff(group, f"user-{group.replace(' ', '-').lower()}")
        client.force_login(client.user)
        return client

    return login


def test_a_figure_without_a_source_is_refused_and_nothing_is_saved(admin_client_of):
    client = admin_client_of("Site administrator")
    zone = make_zone(status="draft", overview_en="<p>Before</p>")
    data = form_data(zone, figures=[{"year": "2024"}], overview_en="<p>After</p>")
    response = client.post(f"/admin/investment/developmentzone/{zone.pk}/change/", data)
    assert response.status_code == 200 and "指标须注明来源。" in response.text  # the admin speaks Chinese
    zone.refresh_from_db()
    assert zone.overview_en == "<p>Before</p>" and not zone.figures.exists()
    data = form_data(zone, figures=[{"year": "2024", "source_en": "City Statistics Bureau"}])
    assert client.post(f"/admin/investment/developmentzone/{zone.pk}/change/", data).status_code == 302
    assert zone.figures.get().source_en == "City Statistics Bureau"
    assert Version.objects.get_for_object(zone).count() == 1


def test_an_editor_edits_prose_but_not_the_zones_identity(admin_client_of):
    client = admin_client_of("Editor")
    zone = make_zone(status="draft", name_en="Old name", level="etdz")
    assert client.get("/admin/investment/developmentzone/add/").status_code == 403
    data = form_data(zone, name_en="New name", level="high_tech", overview_en="<p>New overview</p>")
    assert client.post(f"/admin/investment/developmentzone/{zone.pk}/change/", data).status_code == 302
    zone.refresh_from_db()
    assert zone.overview_en == "<p>New overview</p>" and zone.name_en == "Old name" and zone.level == "etdz"
    assert client.post(f"/admin/investment/developmentzone/{zone.pk}/delete/", {"post": "yes"}).status_code == 403


def test_only_a_senior_editor_publishes(admin_client_of):
    zone = make_zone(status="draft")
    editor = admin_client_of("Editor")
    editor.post(f"/admin/investment/developmentzone/{zone.pk}/change/", {**form_data(zone), "_workflow": "publish"})
    zone.refresh_from_db()
    assert zone.status == "draft"
    senior = admin_client_of("Senior editor")
    response = senior.post(
        f"/admin/investment/developmentzone/{zone.pk}/change/", {**form_data(zone), "_workflow": "publish"}
    )
    assert response.status_code == 302
    zone.refresh_from_db()
    assert zone.status == "published"


def test_stale_figures_are_flagged_in_the_list_and_filter(admin_client_of):
    client = admin_client_of("Site administrator")
    old = make_zone(name_zh_hans="Old figures")
    make_figure(old, timezone.localdate().year - 4)
    fresh = make_zone(name_zh_hans="Fresh figures")
    make_figure(fresh, timezone.localdate().year - 1)
    listing = client.get("/admin/investment/developmentzone/?figures=stale").text
    assert "Old figures" in listing and "Fresh figures" not in listing
    assert 'class="figure-stale"' in listing
    change = client.get(f"/admin/investment/developmentzone/{old.pk}/change/").text
    assert "已过时：超过两年" in change


def test_the_coordinates_link_out_to_tianditu(admin_client_of):
    client = admin_client_of("Site administrator")
    zone = make_zone(lat=43.88, lng=125.35)
    assert "https://map.tianditu.gov.cn/" in client.get(f"/admin/investment/developmentzone/{zone.pk}/change/").text


def test_preview_of_a_draft(admin_client_of):
    client = admin_client_of("Editor")
    zone = make_zone(status="draft", name_en="Hidden zone")
    response = client.get(f"/admin/investment/developmentzone/{zone.pk}/preview/en/")
    assert response.status_code == 200 and "Hidden zone" in response.text and "noindex" in response.text
    assert DevelopmentZone.objects.filter(pk=zone.pk, status="draft").exists()


def test_the_list_action_publishes_zones_and_says_zones(admin_client_of):
    # The zone admin borrows the project admin's action, whose message said "project(s)".
    zone = make_zone(status="draft")
    senior = admin_client_of("Senior editor")
    response = senior.post(
        "/admin/investment/developmentzone/",
        {"action": "workflow_publish", "_selected_action": [zone.pk]},
        headers={"accept-language": "en"},
        follow=True,
    )
    zone.refresh_from_db()
    assert zone.status == "published"
    text = response.content.decode()
    assert "1 development zones: Publish." in text and "project" not in text.split("messagelist")[1][:300]


@pytest.mark.parametrize("quarter", ["", "2"])
def test_two_figures_for_the_same_period_in_one_form_are_refused(admin_client_of, quarter):
    client = admin_client_of("Site administrator")
    zone = make_zone(status="draft")
    row = {"year": "2024", "quarter": quarter, "source_en": "City Statistics Bureau"}
    data = form_data(zone, figures=[row, {**row, "value": "11"}])
    response = client.post(f"/admin/investment/developmentzone/{zone.pk}/change/", data)
    assert response.status_code == 200 and "该园区已有此指标在该期间的数据。" in response.text
    assert not zone.figures.exists()
    # Against a saved figure too.
    assert (
        client.post(f"/admin/investment/developmentzone/{zone.pk}/change/", form_data(zone, [row])).status_code == 302
    )
    response = client.post(f"/admin/investment/developmentzone/{zone.pk}/change/", form_data(zone, [row]))
    assert response.status_code == 200 and "该园区已有此指标在该期间的数据。" in response.text
    assert zone.figures.count() == 1


@pytest.mark.parametrize("change", ["swap", "delete"])
def test_a_row_taking_the_period_another_row_leaves_in_the_same_save_is_refused_not_a_500(admin_client_of, change):
    """Saved rows are written one by one, so a row taking a period another row gives up (its year changed
    or the row deleted) in the same save would meet that row in the unique index: refused with a message."""
    client = admin_client_of("Site administrator")
    zone = make_zone(status="draft")
    newer, older = make_figure(zone, 2024), make_figure(zone, 2023)
    rows = [{"id": newer.pk, "year": "2023"}, {"id": older.pk, "year": "2024" if change == "swap" else "2023"}]
    data = form_data(zone, figures=[{"zone": zone.pk, "source_en": "City Statistics Bureau", **row} for row in rows])
    data["figures-INITIAL_FORMS"] = "2"
    if change == "delete":
        data["figures-1-DELETE"] = "on"
    response = client.post(f"/admin/investment/developmentzone/{zone.pk}/change/", data)
    assert response.status_code == 200
    assert "另一行在保存前仍占用此期间" in response.text
    assert sorted(zone.figures.values_list("pk", "year")) == sorted([(newer.pk, 2024), (older.pk, 2023)])


def test_a_new_row_may_take_the_period_a_saved_row_gives_up(admin_client_of):
    client = admin_client_of("Site administrator")
    zone = make_zone(status="draft")
    figure = make_figure(zone, 2024)
    rows = [{"id": figure.pk, "zone": zone.pk, "year": "2023"}, {"year": "2024", "value": "12"}]
    data = form_data(zone, figures=[{"source_en": "City Statistics Bureau", **row} for row in rows])
    data["figures-INITIAL_FORMS"] = "1"
    assert client.post(f"/admin/investment/developmentzone/{zone.pk}/change/", data).status_code == 302
    assert sorted(zone.figures.values_list("year", "value")) == [(2023, 10), (2024, 12)]
