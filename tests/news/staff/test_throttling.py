"""Login throttling (django-axes): locked after N failures, the lockout ends by itself."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-1"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("editor-li", password=PASSWORD, is_staff=True)


def login(client, password, username="editor-li", **extra):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, **extra)


@contextmanager
def clock_at(moment):
    """Axes reads the time through these two names; the rest of Django keeps the real clock."""
    with (
        mock.patch("axes.handlers.proxy.now", return_value=moment),
        mock.patch("axes.attempts.now", return_value=moment),
    ):
        yield


def fail(client, times, **extra):
    for _attempt in range(times):
        response = login(client, "wrong-password", **extra)
    return response


def test_a_wrong_password_shows_the_login_form_again(client, staff):
    response = fail(client, 1, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()


def test_locked_after_the_limit_even_with_the_right_password(client, staff):
    assert settings.AXES_FAILURE_LIMIT == 5
    response = fail(client, 5, headers={"accept-language": "en"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page and "try again in 15 minutes" in page
    assert response["Retry-After"] == str(15 * 60)
    # The right password does not get in while locked.
    response = login(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_fewer_failures_do_not_lock_and_a_success_resets_the_count(client, staff):
    fail(client, 4)
    assert login(client, PASSWORD).status_code == 302
    client.logout()
    fail(client, 4)
    assert login(client, PASSWORD).status_code == 302


def test_the_lockout_ends_by_itself_after_the_cool_off(client, staff):
    fail(client, 5)
    assert login(client, PASSWORD).status_code == 429
    later = timezone.now() + timedelta(minutes=16)
    with clock_at(later):
        response = login(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_still_locked_just_before_the_cool_off_ends(client, staff):
    fail(client, 5)
    with clock_at(timezone.now() + timedelta(minutes=14)):
        assert login(client, PASSWORD).status_code == 429


def test_the_lock_is_per_username_and_address(client, staff):
    get_user_model().objects.create_user("editor-wang", password=PASSWORD, is_staff=True)
    fail(client, 5)
    # Another editor at the same address, and the same editor elsewhere, still get in.
    assert login(client, PASSWORD, username="editor-wang").status_code == 302
    client.logout()
    assert login(client, PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_the_lockout_page_is_in_chinese_for_a_chinese_browser(client, staff):
    response = fail(client, 5, headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert response.status_code == 429
    page = response.content.decode()
    assert 'lang="zh-hans"' in page
    assert "登录失败次数过多" in page and "15 分钟" in page


def test_the_lockout_page_carries_the_security_headers(client, staff):
    response = fail(client, 5)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_admin_shows_no_untranslated_axes_pages(admin_client):
    assert admin_client.get("/admin/axes/accessattempt/").status_code == 404


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"])
def test_a_login_with_a_next_that_is_not_ours_lands_on_the_admin(client, staff, unsafe):
    response = client.post(reverse("admin:login"), {"username": "editor-li", "password": PASSWORD, "next": unsafe})
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200
