"""Mail is a notification only: sent after commit through Django's mail settings to a real SMTP
server; when the server is down or refuses, the enquiry is kept and the failure is on it."""

import logging

import pytest

from news.investment import handling
from news.investment.models import Enquiry, EnquiryEvent
from tests.factories import enquiry_post, make_desk, make_enquiry, make_staff
from tests.servers import free_port, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 5
    return settings


@pytest.fixture
def desk(db):
    officer = make_staff("Enquiry officer", username="officer")
    officer.email = "officer@invest.example.org"
    officer.save()
    return make_desk(is_default=True, members=[officer])


def submit(client, callbacks):
    with callbacks(execute=True):
        response = client.post("/en/enquiry/", enquiry_post(), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    return Enquiry.objects.get()


def test_the_desk_and_the_sender_are_mailed_through_smtp(
    client, desk, smtp_settings, django_capture_on_commit_callbacks
):
    with smtp_server() as (port, server):
        smtp_settings.EMAIL_PORT = port
        enquiry = submit(client, django_capture_on_commit_callbacks)
    recipients = sorted(address for message in server.messages for address in message.rcpt_tos)
    assert recipients == sorted(["ada@example.com", desk.email, "officer@invest.example.org"])
    sender_mail = next(m for m in server.messages if m.rcpt_tos == ["ada@example.com"]).content.decode()
    assert enquiry.reference in sender_mail and f"Reply-To: {desk.email}" in sender_mail
    desk_mail = next(m for m in server.messages if desk.email in m.rcpt_tos).content.decode()
    assert "Ada" not in desk_mail and "battery" not in desk_mail  # the inbox has the personal data, not the mail
    assert not enquiry.events.filter(action="notification_failed").exists()


@pytest.mark.parametrize("how", ["down", "refusing"])
def test_an_enquiry_survives_a_failing_mail_server_and_says_so(
    client, desk, smtp_settings, django_capture_on_commit_callbacks, caplog, how
):
    caplog.set_level(logging.INFO)
    if how == "down":
        smtp_settings.EMAIL_PORT = free_port()  # nobody listens: connection refused
        enquiry = submit(client, django_capture_on_commit_callbacks)
    else:
        with smtp_server(refuse="554 5.7.1 Message rejected") as (port, _server):
            smtp_settings.EMAIL_PORT = port
            enquiry = submit(client, django_capture_on_commit_callbacks)
    assert enquiry.reference and enquiry.state == Enquiry.State.NEW
    failures = enquiry.events.filter(action=EnquiryEvent.Action.NOTIFICATION_FAILED)
    assert failures.count() == 2  # the desk's and the sender's
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")  # not the test server's
    assert "ada@example.com" not in ours and "Ada Investor" not in ours
    assert enquiry.reference in ours


def test_the_inbox_shows_the_failed_notification(client, desk, smtp_settings, django_capture_on_commit_callbacks):
    smtp_settings.EMAIL_PORT = free_port()
    enquiry = submit(client, django_capture_on_commit_callbacks)
    admin = make_staff("Site administrator")
    client.force_login(admin)
    listing = client.get("/admin/investment/enquiry/")
    assert enquiry.reference in listing.text and "未发出" in listing.text  # the admin in Chinese, "Not sent"


def test_a_substantive_reply_is_mailed_with_a_rating_link(
    desk, smtp_settings, django_capture_on_commit_callbacks, client
):
    enquiry = make_enquiry()
    officer = desk.members.get()
    with smtp_server() as (port, server):
        smtp_settings.EMAIL_PORT = port
        with django_capture_on_commit_callbacks(execute=True):
            event = handling.reply(
                enquiry,
                officer,
                "Land is available in the Changchun zone.",
                substantive=True,
                site_root="http://testserver",
            )
    body = server.messages[-1].content.decode()
    assert "Land is available" in body
    link = next(line for line in body.splitlines() if "/enquiry/rate/" in line).strip()
    event.refresh_from_db()
    enquiry.refresh_from_db()
    assert event.emailed and enquiry.state == Enquiry.State.ANSWERED and enquiry.answered_at
    assert client.post(link.removeprefix("http://testserver"), {"satisfaction": "4"}).status_code == 200
    enquiry.refresh_from_db()
    assert enquiry.satisfaction == 4


def test_a_reply_that_is_not_substantive_does_not_stop_the_clock(desk):
    enquiry = make_enquiry()
    handling.reply(enquiry, desk.members.get(), "来信收悉，已转相关部门。", substantive=False)
    enquiry.refresh_from_db()
    assert enquiry.state == Enquiry.State.IN_PROGRESS and enquiry.answered_at is None and enquiry.acknowledged_at
