"""The public enquiry form: saved first, then a reference; the abuse checks refuse and change nothing."""

import re
import time

import pytest
from django.urls import reverse

from news.investment import abuse
from news.investment.models import Enquiry, EnquiryEvent
from tests.factories import enquiry_post, make_desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(db):
    return make_desk(is_default=True, name_zh_hans="外资处", name_en="Foreign Investment Division")


def send(client, language="en", **overrides):
    return client.post(f"/{language}/enquiry/", enquiry_post(**overrides), REMOTE_ADDR="203.0.113.9")


def test_the_form_is_in_the_pages_language_and_never_cached(client, desk):
    english = client.get("/en/enquiry/")
    chinese = client.get("/zh-hans/enquiry/")
    assert english.status_code == chinese.status_code == 200
    assert "Contact us about investing" in english.text and "Germany" in english.text
    assert "投资咨询" in chinese.text and "德国" in chinese.text
    assert "no-store" in english["Cache-Control"] and "private" in english["Cache-Control"]


def test_a_valid_enquiry_is_saved_routed_and_answered_with_its_reference(
    client, desk, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client)
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert re.fullmatch(r"ZX\d{4}-00001", enquiry.reference)
    assert enquiry.desk == desk and enquiry.language == "en" and enquiry.state == Enquiry.State.NEW
    assert enquiry.due_at > enquiry.acknowledge_due > enquiry.submitted_at
    assert enquiry.ip_hash and "203.0.113.9" not in enquiry.ip_hash
    page = client.get(response["Location"])
    assert enquiry.reference in page.text and "10 working days" in page.text
    assert "Ada" not in page.text  # nothing personal is shown again
    assert {m.to[0] for m in mailoutbox} == {desk.email, "ada@example.com"}
    assert list(enquiry.events.values_list("action", flat=True)) == ["received"]


def test_references_count_up_and_a_forged_received_link_is_404(client, desk):
    send(client)
    send(client, language="zh-hans")
    assert sorted(Enquiry.objects.values_list("reference", flat=True))[-1].endswith("-00002")
    assert client.get("/en/enquiry/received/?ref=ZX2026-00001").status_code == 404


@pytest.mark.parametrize(
    ("why", "overrides"),
    [
        ("the honeypot is filled", {"nickname": "Bob"}),
        ("sent within 3 seconds", {"rendered": 1}),
        ("the page was open for more than 2 hours", {"rendered": 2 * 3600 + 5}),
        ("the render time is forged", {"rendered": "1700000000.0:forged"}),
        ("the render time is missing", {"rendered": ""}),
        ("the message is too short", {"message": "Hi"}),
        ("the message is too long", {"message": "x" * 3001}),
        ("no consent", {"consent_processing": ""}),
        ("no e-mail", {"email": ""}),
        ("an unknown country", {"country": "XX"}),
    ],
)
def test_refused_submissions_change_nothing(client, desk, why, overrides):
    if isinstance(overrides.get("rendered"), int):  # seconds ago, counted now
        overrides = {"rendered": abuse.render_token(time.time() - overrides["rendered"])}
    response = send(client, **overrides)
    assert response.status_code == 400, why
    assert not Enquiry.objects.exists()
    assert 'role="alert"' in response.text


def test_refusals_are_in_the_readers_language(client, desk):
    response = send(client, language="zh-hans", nickname="Bob")
    assert "表单未被接受" in response.text


def test_more_than_the_hourly_limit_per_address_is_refused(client, desk, settings):
    settings.PORTAL_ENQUIRY_RATE_PER_HOUR = 2
    assert send(client).status_code == send(client).status_code == 302
    third = send(client)
    assert third.status_code == 429 and third["Retry-After"] == "3600"
    assert Enquiry.objects.count() == 2
    other = client.post("/en/enquiry/", enquiry_post(), REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302


def test_link_heavy_messages_are_kept_as_spam_and_nobody_is_mailed(
    client, desk, django_capture_on_commit_callbacks, mailoutbox
):
    links = " ".join(f"https://spam{n}.example/" for n in range(4))
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, message=f"Cheap offers for you: {links}")
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.state == Enquiry.State.SPAM and enquiry.reference
    assert enquiry.events.filter(action=EnquiryEvent.Action.SPAM).exists()
    assert mailoutbox == []


def test_three_links_are_still_an_enquiry(client, desk):
    links = " ".join(f"https://site{n}.example/" for n in range(3))
    send(client, message=f"Our projects are described here: {links}")
    assert Enquiry.objects.get().state == Enquiry.State.NEW


def test_the_home_page_links_to_the_form_in_both_languages(client, desk, site_settings):
    for language, label in (("en", "Contact us about investing"), ("zh-hans", "投资咨询")):
        home = client.get(f"/{language}/")
        assert f'href="{reverse("investment:enquiry")}"'.replace("/zh-hans/", f"/{language}/") in home.text
        assert label in home.text
