"""Project list actions that record a deal (signed or landed with its date; withdrawn with its date
and reason), version comparison of projects and zones, and the 天地图 link of a project."""

from datetime import timedelta

import pytest
from django.utils import timezone
from reversion.models import Version

from news.investment.models import Project
from news.investment.models.projects import site_zone
from tests.factories import make_project, make_staff, make_zone

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/investment/project/"


def today():
    return timezone.localdate(timezone.now(), site_zone())


def test_mark_signed_asks_the_date_then_records_it_with_a_version(senior_client):
    project = make_project(title_en="Battery plant")
    chosen = {"action": "mark_signed", "_selected_action": [project.pk]}
    page = senior_client.post(CHANGELIST, chosen)
    assert page.status_code == 200 and 'name="deal_status_date"' in page.text
    project.refresh_from_db()
    assert project.deal_status == "open"
    day = today() - timedelta(days=2)
    response = senior_client.post(
        CHANGELIST, {**chosen, "apply": "1", "deal_status": "signed", "deal_status_date": day.isoformat()}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.deal_status == "signed" and project.deal_status_date == day and project.lock_version == 1
    assert Version.objects.get_for_object(project).count() == 1
    assert "Battery plant" not in senior_client.get("/en/projects/").text


def test_a_date_in_the_future_is_refused_and_nothing_changes(senior_client):
    project = make_project()
    response = senior_client.post(
        CHANGELIST,
        {
            "action": "mark_signed",
            "_selected_action": [project.pk],
            "apply": "1",
            "deal_status": "landed",
            "deal_status_date": (today() + timedelta(days=1)).isoformat(),
        },  # fmt: skip
    )
    assert response.status_code == 200 and "日期不能晚于今天" in response.text
    project.refresh_from_db()
    assert project.deal_status == "open" and project.deal_status_date is None


def test_withdraw_needs_a_reason(senior_client):
    project = make_project()
    data = {"action": "withdraw", "_selected_action": [project.pk], "apply": "1", "deal_status_date": today()}
    refused = senior_client.post(CHANGELIST, {**data, "reason_zh-hans": "", "reason_en": ""})
    assert refused.status_code == 200
    project.refresh_from_db()
    assert project.deal_status == "open"
    senior_client.post(CHANGELIST, {**data, "reason_zh-hans": "", "reason_en": "The land was rezoned."})
    project.refresh_from_db()
    assert project.deal_status == "withdrawn" and project.withdrawn_reason_en == "The land was rezoned."
    page = senior_client.get(project.get_absolute_url("en"))
    assert page.status_code == 200 and "The land was rezoned." in page.text and page["X-Robots-Tag"] == "noindex"


def test_an_editor_cannot_change_a_published_project(editor_client):
    project = make_project()
    editor_client.post(
        CHANGELIST,
        {
            "action": "mark_signed",
            "_selected_action": [project.pk],
            "apply": "1",
            "deal_status": "signed",
            "deal_status_date": today().isoformat(),
        },  # fmt: skip
    )
    assert Project.objects.get(pk=project.pk).deal_status == "open"


def test_versions_of_a_project_compare_field_by_field(senior_client):
    project = make_project(summary_en="First summary")
    senior_client.post(CHANGELIST, {"action": "confirm_still_valid", "_selected_action": [project.pk]})
    project.refresh_from_db()
    project.summary_en = "Second summary"
    import reversion

    with reversion.create_revision():
        project.save()
    older, newer = sorted(Version.objects.get_for_object(project).values_list("pk", flat=True))
    history = senior_client.get(f"{CHANGELIST}{project.pk}/history/")
    assert f"{CHANGELIST}{project.pk}/history/compare/" in history.text
    page = senior_client.get(f"{CHANGELIST}{project.pk}/history/compare/?a={older}&b={newer}")
    assert page.status_code == 200
    assert "<del>First summary</del>" in page.text and "<ins>Second summary</ins>" in page.text


def test_versions_of_a_zone_compare(db, client):
    client.force_login(make_staff("Site administrator", "siteadmin"))
    zone = make_zone(overview_en="<p>Old text</p>")
    import reversion

    with reversion.create_revision():
        zone.save()
    zone.overview_en = "<p>New text</p>"
    with reversion.create_revision():
        zone.save()
    older, newer = sorted(Version.objects.get_for_object(zone).values_list("pk", flat=True))
    page = client.get(f"/admin/investment/developmentzone/{zone.pk}/history/compare/?a={older}&b={newer}")
    assert "<del>Old text</del>" in page.text and "<ins>New text</ins>" in page.text


def test_a_projects_coordinates_link_out_to_tianditu(senior_client):
    project = make_project(lat=43.88, lng=125.35)
    page = senior_client.get(f"{CHANGELIST}{project.pk}/change/").text
    assert "https://map.tianditu.gov.cn/?l=14&amp;x=125.350000&amp;y=43.880000" in page
    assert "<iframe" not in page
