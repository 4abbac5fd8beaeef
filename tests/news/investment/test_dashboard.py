"""The investor services' panels on the admin home, each scoped to what the person may see."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from news.investment import dashboard
from news.investment.models import Enquiry
from news.investment.models.projects import site_zone
from tests.factories import make_desk, make_enquiry, make_figure, make_project, make_staff, make_zone

pytestmark = pytest.mark.django_db


def titles(panels):
    with translation.override("en"):
        return {str(panel["title"]): panel for panel in panels}


def overdue(desk, **fields):
    enquiry = make_enquiry(desk=desk, **fields)
    Enquiry.objects.filter(pk=enquiry.pk).update(due_at=timezone.now() - timedelta(hours=1))
    return enquiry


@pytest.fixture
def two_desks(db):
    officer = make_staff("Enquiry officer", "officer")
    make_desk(is_default=True)
    mine, theirs = make_desk(members=[officer]), make_desk()
    return officer, overdue(mine), overdue(theirs)


def test_an_officer_sees_only_the_overdue_enquiries_of_its_desks(two_desks, client):
    officer, mine, theirs = two_desks
    panel = titles(dashboard.panels(officer))["Overdue enquiries"]
    assert panel["count"] == 1 and [item["label"] for item in panel["items"]] == [mine.reference]
    # Neither projects nor zones are the officer's.
    assert set(titles(dashboard.panels(officer))) == {"Overdue enquiries", "Unanswered for more than 60 days"}
    client.force_login(officer)
    home = client.get("/admin/").text
    assert mine.reference in home and theirs.reference not in home


def test_a_site_administrator_sees_every_desks_and_what_is_old(two_desks):
    _officer, mine, theirs = two_desks
    old = make_enquiry(desk=mine.desk)
    Enquiry.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=61))
    panels = titles(dashboard.panels(make_staff("Site administrator", "siteadmin")))
    assert {item["label"] for item in panels["Overdue enquiries"]["items"]} == {mine.reference, theirs.reference}
    assert [item["label"] for item in panels["Unanswered for more than 60 days"]["items"]] == [old.reference]


def test_projects_expiring_within_30_days_and_zones_with_stale_figures(client):
    today = timezone.localdate(timezone.now(), site_zone())
    leaving = make_project(valid_until=today + timedelta(days=29))
    make_project(valid_until=today + timedelta(days=31))
    stale_zone, fresh_zone = make_zone(name_zh_hans="旧数据园区"), make_zone()
    make_figure(stale_zone, today.year - 4)
    make_figure(fresh_zone, today.year - 1)
    editor = make_staff("Senior editor", "senior")
    panels = titles(dashboard.panels(editor))
    assert "Overdue enquiries" not in panels
    assert [item["label"] for item in panels["Projects expiring within 30 days"]["items"]] == [str(leaving)]
    assert panels["Zones with figures older than two years"]["count"] == 1
    client.force_login(editor)
    home = client.get("/admin/").text
    assert leaving.code in home and "旧数据园区" in home


def test_one_query_per_panel_and_its_count(django_assert_max_num_queries, two_desks):
    officer = two_desks[0]
    with django_assert_max_num_queries(4 + 2):  # two panels; the permissions once
        dashboard.panels(officer)
