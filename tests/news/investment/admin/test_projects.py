"""The project editor: the article workflow, its publishing rules, conflict refusal, versions,
"confirm still valid", previews."""

from datetime import timedelta

import pytest
from django.utils import timezone
from reversion.models import Version

from news.investment.models import CooperationMode, Project
from news.investment.models.projects import site_zone
from tests.factories import RegionFactory, SectorFactory, make_desk, make_project, make_staff

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate(timezone.now(), site_zone())


def form_data(project=None, **overrides):
    """What the project change form posts, from ``project`` or for a new Chinese-and-English draft."""
    publish_at = timezone.localtime(project.publish_at if project else timezone.now())
    data = {
        "status": project.status if project else "draft",
        "publish_at_0": publish_at.strftime("%Y-%m-%d"),
        "publish_at_1": publish_at.strftime("%H:%M:%S"),
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        "priority": "0",
        "based_on": project.lock_version if project else 0,
        "sectors": [s.pk for s in project.sectors.all()] if project else [],
        "cooperation_modes": [m.pk for m in project.cooperation_modes.all()] if project else [],
        "region": project.region_id if project else "",
        "desk": project.desk_id if project else "",
        "total_investment": project.total_investment if project else "",
        "investment_sought": "",
        "stage": project.stage if project else "concept",
        "land_area_mu": "",
        "deal_status": project.deal_status if project else "open",
        "deal_status_date": "",
        "valid_until": (project.valid_until if project else today() + timedelta(days=365)).isoformat(),
        "verified_on": "",
        "slug": project.slug if project else "",
        "legacy_url": "",
        "external_id": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    for field in ("title", "summary", "body", "site", "promoter", "withdrawn_reason", "cover_alt", "cover_caption",
                  "cover_credit"):  # fmt: skip
        for code in ("zh_hans", "en"):
            data[f"{field}_{code}"] = (getattr(project, f"{field}_{code}") or "") if project else ""
    data.update(overrides)
    return data


@pytest.fixture
def new_project_data(db):
    return form_data(
        title_zh_hans="长春锂电池项目",
        summary_zh_hans="年产10GWh锂电池",
        body_zh_hans="<p>项目背景</p>",
        title_en="Changchun battery plant",
        summary_en="10 GWh of lithium batteries a year",
        body_en="<p>Background</p>",
        sectors=[SectorFactory().pk],
        cooperation_modes=[CooperationMode.objects.get(slug="equity-jv").pk],
        region=RegionFactory().pk,
        desk=make_desk().pk,
        total_investment="350000",
    )


def test_a_senior_editor_publishes_a_new_project_with_its_code_and_a_version(senior_client, new_project_data):
    response = senior_client.post("/admin/investment/project/add/", {**new_project_data, "_workflow": "publish"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    project = Project.objects.get()
    assert project.status == "published" and project.code.startswith("JL") and project.slug == "changchun-battery-plant"
    assert Version.objects.get_for_object(project).count() == 1
    assert project.created_by == senior_client.user
    assert senior_client.get(project.get_absolute_url("en")).status_code == 200


def test_publishing_without_a_cooperation_mode_is_refused_and_changes_nothing(senior_client, new_project_data):
    data = {**new_project_data, "cooperation_modes": [], "_workflow": "publish"}
    response = senior_client.post("/admin/investment/project/add/", data)
    assert response.status_code == 200 and not Project.objects.exists()
    assert "cooperation_modes" in response.context["adminform"].form.errors


def test_an_editor_may_save_a_draft_but_not_publish(editor_client, new_project_data):
    response = editor_client.post("/admin/investment/project/add/", {**new_project_data, "_workflow": "publish"})
    assert response.status_code == 200 and not Project.objects.exists()
    response = editor_client.post("/admin/investment/project/add/", {**new_project_data, "_workflow": "review"})
    assert response.status_code == 302 and Project.objects.get().status == "review"


def test_a_save_based_on_an_older_version_is_refused(senior_client):
    project = make_project()
    stale = form_data(project)
    assert (
        senior_client.post(
            f"/admin/investment/project/{project.pk}/change/", form_data(project, summary_en="First")
        ).status_code
        == 302
    )
    response = senior_client.post(f"/admin/investment/project/{project.pk}/change/", {**stale, "summary_en": "Second"})
    assert response.status_code == 200
    assert "edit_conflict" in {e.code for e in response.context["adminform"].form.non_field_errors().as_data()}
    project.refresh_from_db()
    assert project.summary_en == "First"


def test_confirm_still_valid_sets_the_dates_and_keeps_a_version(senior_client):
    project = make_project(valid_until=today() + timedelta(days=5))
    response = senior_client.post(
        "/admin/investment/project/", {"action": "confirm_still_valid", "_selected_action": [project.pk]}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.verified_on == today() and project.valid_until.year == today().year + 1
    assert Version.objects.get_for_object(project).count() == 1


def test_the_expiring_filter_and_the_preview(senior_client):
    soon = make_project(valid_until=today() + timedelta(days=3))
    later = make_project()
    listing = senior_client.get("/admin/investment/project/?validity=expiring").text
    assert soon.code in listing and later.code not in listing
    draft = make_project(status="draft", title_en="Secret draft")
    preview = senior_client.get(f"/admin/investment/project/{draft.pk}/preview/en/")
    assert preview.status_code == 200 and "Secret draft" in preview.text
    assert "no-store" in preview["Cache-Control"] and "noindex" in preview["X-Robots-Tag"]
    change = senior_client.get(f"/admin/investment/project/{draft.pk}/change/").text
    signed = change.split("/en/projects/preview/", 1)[1].split('"', 1)[0]
    from django.test import Client

    assert "Secret draft" in Client().get(f"/en/projects/preview/{signed}").text
    assert Client().get("/en/projects/preview/forged/").status_code == 404


def test_the_chinese_admin_lists_projects(client):
    user = make_staff("Senior editor", "zh-senior")
    client.force_login(user)
    make_project()
    response = client.get("/admin/investment/project/", headers={"accept-language": "zh-hans"})
    assert response.status_code == 200


@pytest.mark.parametrize("published_before", [False, True])
def test_the_list_action_publishes_a_draft_project_keeping_the_date_readers_knew(senior_client, published_before):
    # workflow.apply is shared with articles: it read Article-only fields (first_published_at) and
    # the project list's Publish action raised AttributeError.
    known = timezone.now() - timedelta(days=40)
    project = make_project(status="published", publish_at=known) if published_before else make_project(status="draft")
    if published_before:
        Project.objects.filter(pk=project.pk).update(status="draft")
    response = senior_client.post(
        "/admin/investment/project/",
        {"action": "workflow_publish", "_selected_action": [project.pk]},
        follow=True,
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.status == "published"
    if published_before:
        assert project.publish_at == known  # published again, not announced as new
    else:
        assert timezone.now() - project.publish_at < timedelta(minutes=1)
    assert project.first_published_at is not None
