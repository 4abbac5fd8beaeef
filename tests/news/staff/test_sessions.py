"""Password rules and staff sessions: idle expiry, disabled accounts, changed passwords."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-1"


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_user("editor-zhao", password=PASSWORD, is_staff=True, is_superuser=True)
    response = client.post(reverse("admin:login"), {"username": "editor-zhao", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    client.user = user
    return client


def admin_index(client):
    return client.get(reverse("admin:index"))


def session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short-pw1", "too short"), ("password1234", "too common"), ("1234567890123", "entirely numeric")],
)
def test_weak_passwords_are_refused(password, reason):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_password(password)
    assert reason in " ".join(error.value.messages)


def test_a_long_uncommon_password_is_accepted():
    validate_password("Changbai-snow-2026")


def test_sessions_expire_after_at_most_eight_idle_hours(staff_client):
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert session_row(staff_client).expire_date <= timezone.now() + timedelta(hours=8)


def test_each_request_pushes_the_expiry_on(staff_client):
    row = session_row(staff_client)
    row.expire_date = timezone.now() + timedelta(hours=1)  # as after seven idle hours
    row.save()
    assert admin_index(staff_client).status_code == 200
    assert session_row(staff_client).expire_date > timezone.now() + timedelta(hours=7, minutes=59)


def test_an_idle_session_has_ended(staff_client):
    row = session_row(staff_client)
    row.expire_date = timezone.now() - timedelta(seconds=1)  # eight idle hours have passed
    row.save()
    response = admin_index(staff_client)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_disabling_the_account_ends_its_session(staff_client):
    assert admin_index(staff_client).status_code == 200
    get_user_model().objects.filter(pk=staff_client.user.pk).update(is_active=False)
    response = admin_index(staff_client)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_changing_the_password_ends_other_sessions(staff_client):
    assert admin_index(staff_client).status_code == 200
    user = get_user_model().objects.get(pk=staff_client.user.pk)
    user.set_password("another-long-password-2")
    user.save()
    response = admin_index(staff_client)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
