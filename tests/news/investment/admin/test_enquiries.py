"""The enquiry inbox: an officer sees only their desks' enquiries; reading and exporting are audited."""

import logging

import pytest

from news.investment.models import Enquiry
from tests.factories import make_desk, make_enquiry, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(caplog):
    caplog.set_level(logging.INFO, logger="portal.audit")
    return lambda name: [
        r.getMessage() for r in caplog.records if r.name == "portal.audit" and f"audit {name} " in r.getMessage()
    ]


@pytest.fixture
def two_desks(db):
    officer_a, officer_b = make_staff("Enquiry officer", "officer-a"), make_staff("Enquiry officer", "officer-b")
    desk_a = make_desk(is_default=True, members=[officer_a])
    desk_b = make_desk(members=[officer_b])
    return (desk_a, officer_a, make_enquiry(desk_a)), (desk_b, officer_b, make_enquiry(desk_b))


def test_an_officer_lists_only_their_desks_enquiries(client, two_desks):
    (_desk_a, officer_a, mine), (_desk_b, _officer_b, theirs) = two_desks
    client.force_login(officer_a)
    listing = client.get("/admin/investment/enquiry/")
    assert listing.status_code == 200
    assert mine.reference in listing.text and theirs.reference not in listing.text


def test_an_officer_cannot_open_or_act_on_another_desks_enquiry(client, two_desks, audit):
    (_desk_a, officer_a, mine), (_desk_b, _officer_b, theirs) = two_desks
    client.force_login(officer_a)
    assert client.get(f"/admin/investment/enquiry/{theirs.pk}/change/").status_code == 403
    assert client.post(f"/admin/investment/enquiry/{theirs.pk}/handle/", {"step": "close"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.state == Enquiry.State.NEW
    denied = audit("enquiry.denied")
    assert len(denied) == 2 and theirs.reference in denied[0] and 'user="officer-a"' in denied[0]
    assert audit("permission.denied")  # and the middleware's line for every 403
    assert client.get(f"/admin/investment/enquiry/{mine.pk}/change/").status_code == 200
    assert mine.reference in audit("enquiry.read")[0]


def test_site_administrators_see_every_desk(client, two_desks):
    (_a, _oa, mine), (_b, _ob, theirs) = two_desks
    client.force_login(make_staff("Site administrator"))
    listing = client.get("/admin/investment/enquiry/")
    assert mine.reference in listing.text and theirs.reference in listing.text
    assert client.get(f"/admin/investment/enquiry/{theirs.pk}/change/").status_code == 200


def test_steps_from_the_inbox_are_recorded(client, two_desks):
    (desk_a, officer_a, mine), (desk_b, _officer_b, _theirs) = two_desks
    client.force_login(officer_a)
    url = f"/admin/investment/enquiry/{mine.pk}/handle/"
    client.post(url, {"step": "acknowledge"})
    client.post(url, {"step": "transfer", "desk": desk_b.pk, "text": ""})  # refused: no reason
    mine.refresh_from_db()
    assert mine.state == Enquiry.State.ACKNOWLEDGED and mine.desk == desk_a
    client.post(url, {"step": "transfer", "desk": desk_b.pk, "text": "Agriculture is handled there."})
    mine.refresh_from_db()
    assert mine.desk == desk_b and mine.state == Enquiry.State.NEW and mine.acknowledged_at is None
    assert list(mine.events.values_list("action", flat=True)) == ["received", "acknowledge", "transfer"]
    assert client.get(f"/admin/investment/enquiry/{mine.pk}/change/").status_code == 403  # no longer officer A's


def test_export_is_audited_and_limited_to_the_officers_desks(client, two_desks, audit):
    (_desk_a, officer_a, mine), (_desk_b, _officer_b, theirs) = two_desks
    client.force_login(officer_a)
    response = client.post(
        "/admin/investment/enquiry/",
        {"action": "export_csv", "_selected_action": [mine.pk, theirs.pk]},
    )
    body = response.content.decode("utf-8-sig")
    assert mine.reference in body and "ada@example.com" in body and theirs.reference not in body
    assert mine.reference in audit("enquiry.export")[0]


def test_editors_do_not_see_enquiries(client, two_desks):
    client.force_login(make_staff("Editor"))
    assert client.get("/admin/investment/enquiry/").status_code == 403


def test_an_internal_note_is_recorded_and_a_blank_one_refused(client, two_desks):
    (_desk_a, officer_a, mine), _theirs = two_desks
    client.force_login(officer_a)
    url = f"/admin/investment/enquiry/{mine.pk}/handle/"
    refused = client.post(url, {"step": "note", "text": "   "}, HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert "请填写备注。" in refused.text and not mine.events.filter(action="note").exists()
    client.post(url, {"step": "note", "text": "  Called the sender; waiting for the land survey.  "})
    mine.refresh_from_db()
    assert mine.state == Enquiry.State.NEW  # a note changes no state
    assert list(mine.events.values_list("action", "text")) == [
        ("received", ""),
        ("note", "Called the sender; waiting for the land survey."),
    ]
