"""Two-factor authentication for staff (news/staff/): enrolment, the second step of logging in,
replayed and wrong codes, backup codes, the site-wide requirement and the operator's reset."""

import logging
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from news.models import SiteSettings
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-1"
SETUP_URL = "/admin/two-factor/"
VERIFY_URL = "/admin/two-factor/verify/"
BACKUP_CODES_URL = "/admin/two-factor/backup-codes/"


def code_for(device, steps_ahead=0):
    """The code an authenticator app shows now (or ``steps_ahead`` 30-second steps later)."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits)
    generator.time = time.time() + steps_ahead * device.step
    return f"{generator.token():0{device.digits}d}"


def english_client():
    return Client(headers={"accept-language": "en"})


def password_login(client, username):
    response = client.post(reverse("admin:login"), {"username": username, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302, "the password step failed"
    assert "_auth_user_id" in client.session
    return response


def enrolled(user):
    """``user`` with a confirmed authenticator, as if set up earlier."""
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def require_two_factor(value=True):
    settings_row = SiteSettings.load()
    settings_row.site_name_zh_hans = settings_row.site_name_zh_hans or "吉林省投资促进网"
    settings_row.require_two_factor = value
    settings_row.save()


@pytest.fixture
def editor(db):
    return make_staff("Editor", "editor-wang")


@pytest.fixture
def audit_log(caplog):
    caplog.set_level(logging.INFO, logger="portal.audit")
    return caplog


def audit_lines(caplog, name):
    return [record.getMessage() for record in caplog.records if record.getMessage().startswith(f"audit {name} ")]


# --- without a device, nothing changes -------------------------------------------------------


def test_staff_without_a_device_log_in_as_before_when_it_is_not_required(editor):
    client = english_client()
    password_login(client, editor.username)
    assert client.get("/admin/").status_code == 200
    forced = Client()
    forced.force_login(editor)
    assert forced.get("/admin/news/article/").status_code == 200


def test_the_admin_links_to_the_two_factor_page(editor):
    client = english_client()
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert f'href="{SETUP_URL}"' in page and "Two-factor authentication" in page


# --- enrolment ---------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_the_secret_and_the_uri_and_confirms_only_after_a_right_code(editor, audit_log):
    client = english_client()
    client.force_login(editor)
    response = client.get(SETUP_URL)
    assert response.status_code == 200
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=editor)
    assert not device.confirmed
    # The QR code is inline SVG (no data: image, no script), with the secret beside it.
    assert 'xmlns="http://www.w3.org/2000/svg" class="qr-code" role="img"' in page and "data:image" not in page
    assert response.context["secret"].replace(" ", "") in page.replace(" ", "")
    assert "otpauth://totp/" in page and "issuer=" in page
    # Reloading keeps the same secret: what was scanned stays valid.
    assert client.get(SETUP_URL).context["secret"] == response.context["secret"]

    response = client.post(SETUP_URL, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert audit_lines(audit_log, "two_factor.setup_failed")

    device.throttle_reset()
    response = client.post(SETUP_URL, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"].startswith(BACKUP_CODES_URL)
    device.refresh_from_db()
    assert device.confirmed
    # The session is verified by the new device: the admin opens without another code.
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/admin/").status_code == 200
    assert audit_lines(audit_log, "two_factor.enrolled")


def test_backup_codes_are_shown_once_after_enrolment(editor, settings):
    client = english_client()
    client.force_login(editor)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=editor)
    response = client.post(SETUP_URL, {"code": code_for(device)}, follow=True)
    codes = response.context["codes"]
    assert len(codes) == settings.PORTAL_TWO_FACTOR_BACKUP_CODES == 10
    assert len(set(codes)) == 10
    page = response.content.decode()
    assert all(code in page for code in codes)
    assert sorted(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)) == sorted(codes)
    # A second visit no longer shows them.
    again = client.get(BACKUP_CODES_URL)
    assert again.status_code == 302 and again["Location"] == SETUP_URL


def test_the_status_page_offers_new_backup_codes_that_replace_the_old(editor):
    device = enrolled(editor)
    client = english_client()
    password_login(client, editor.username)
    client.post(VERIFY_URL, {"code": code_for(device)})
    page = client.get(SETUP_URL).content.decode()
    assert "Two-factor authentication is on for your account" in page
    first = client.post(BACKUP_CODES_URL, follow=True).context["codes"]
    second = client.post(BACKUP_CODES_URL, follow=True).context["codes"]
    assert set(first).isdisjoint(second)
    assert set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)) == set(second)


def test_a_new_authenticator_replaces_the_old_one_only_once_confirmed(editor):
    old = enrolled(editor)
    client = english_client()
    password_login(client, editor.username)
    client.post(VERIFY_URL, {"code": code_for(old)})
    client.get(SETUP_URL + "?replace=1")
    new = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert TOTPDevice.objects.filter(pk=old.pk).exists()
    response = client.post(SETUP_URL + "?replace=1", {"code": code_for(new)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=editor).values_list("pk", "confirmed")) == [(new.pk, True)]


# --- logging in with a code --------------------------------------------------------------------


def test_a_user_with_a_device_must_give_a_code_before_any_admin_page(editor, audit_log):
    device = enrolled(editor)
    client = english_client()
    password_login(client, editor.username)
    for url in ["/admin/", "/admin/news/article/", "/admin/news/article/add/?column=1", "/admin/password_change/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY_URL + "?next="), url
    # Not even the enrolment page: a password alone must not add a second device.
    assert client.get(SETUP_URL)["Location"].startswith(VERIFY_URL)
    assert client.post(BACKUP_CODES_URL)["Location"].startswith(VERIFY_URL)
    assert not StaticDevice.objects.filter(user=editor).exists()

    page = client.get(VERIFY_URL + "?next=/admin/news/article/")
    assert page.status_code == 200 and "Two-step verification" in page.content.decode()
    response = client.post(VERIFY_URL, {"code": code_for(device), "next": "/admin/news/article/"})
    assert response.status_code == 302 and response["Location"] == "/admin/news/article/"
    assert client.get("/admin/news/article/").status_code == 200
    assert audit_lines(audit_log, "two_factor.verified")


def test_the_code_step_refuses_to_send_the_user_to_another_site(editor):
    device = enrolled(editor)
    client = english_client()
    password_login(client, editor.username)
    response = client.post(VERIFY_URL, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_a_replayed_code_is_refused(editor, settings):
    # Throttling off, so that the refusal below is the replay check and nothing else.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = enrolled(editor)
    code = code_for(device)
    first = english_client()
    password_login(first, editor.username)
    assert first.post(VERIFY_URL, {"code": code})["Location"] == "/admin/"

    # Someone who saw the code (and knows the password) tries it again in the same 30 seconds.
    second = english_client()
    password_login(second, editor.username)
    response = second.post(VERIFY_URL, {"code": code})
    assert response.status_code == 200
    assert "has been used already" in response.content.decode()
    assert second.get("/admin/")["Location"].startswith(VERIFY_URL)
    device.refresh_from_db()
    assert device.last_t >= 0
    # The next code the app shows is accepted.
    assert second.post(VERIFY_URL, {"code": code_for(device, steps_ahead=1)})["Location"] == "/admin/"


def test_a_wrong_code_is_refused_audited_and_throttled(editor, settings, audit_log):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = enrolled(editor)
    client = english_client()
    password_login(client, editor.username)
    wrong = "123456" if code_for(device) != "123456" else "654321"
    response = client.post(VERIFY_URL, {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/admin/")["Location"].startswith(VERIFY_URL)
    [line] = audit_lines(audit_log, "two_factor.failed")
    assert f'user="{editor.username}"' in line and 'reason="wrong code"' in line and 'ip="127.0.0.1"' in line

    # Right after a wrong code, even the right one waits (a minute, with this factor).
    response = client.post(VERIFY_URL, {"code": code_for(device)})
    assert "Too many wrong codes. Wait 60 seconds" in response.content.decode()
    assert 'reason="throttled"' in audit_lines(audit_log, "two_factor.failed")[-1]
    assert client.get("/admin/")["Location"].startswith(VERIFY_URL)

    # Once the wait is over, the right code gets in.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=2))
    assert client.post(VERIFY_URL, {"code": code_for(device)})["Location"] == "/admin/"


def test_wrong_codes_are_shown_in_chinese_to_a_chinese_browser(editor):
    device = enrolled(editor)
    client = Client(headers={"accept-language": "zh-hans"})
    password_login(client, editor.username)
    page = client.get(VERIFY_URL).content.decode()
    assert "两步验证" in page
    wrong = "123456" if code_for(device) != "123456" else "654321"
    page = client.post(VERIFY_URL, {"code": wrong}).content.decode()
    assert "验证码不正确" in page


def test_a_backup_code_works_once(editor, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    device = enrolled(editor)
    client = english_client()
    password_login(client, editor.username)
    client.post(VERIFY_URL, {"code": code_for(device)})
    codes = client.post(BACKUP_CODES_URL, follow=True).context["codes"]
    client.post(reverse("admin:logout"))

    first = english_client()
    password_login(first, editor.username)
    # Typed in capitals with a space, as people copy them from paper.
    typed = codes[0].upper()[:4] + " " + codes[0].upper()[4:]
    assert first.post(VERIFY_URL, {"code": typed})["Location"] == "/admin/"
    assert first.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user=editor).count() == 9

    second = english_client()
    password_login(second, editor.username)
    response = second.post(VERIFY_URL, {"code": codes[0]})
    assert response.status_code == 200 and "That code is not right" in response.content.decode()
    assert second.get("/admin/")["Location"].startswith(VERIFY_URL)


def test_logging_out_ends_the_verification(editor):
    device = enrolled(editor)
    client = english_client()
    password_login(client, editor.username)
    client.post(VERIFY_URL, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200
    client.post(reverse("admin:logout"))
    password_login(client, editor.username)
    assert client.get("/admin/")["Location"].startswith(VERIFY_URL)


# --- required for all staff --------------------------------------------------------------------


ADMIN_URLS = [
    "/admin/",
    "/admin/news/article/",
    "/admin/news/article/add/",
    "/admin/news/image/",
    "/admin/news/sitesettings/",
    "/admin/auth/user/",
    "/admin/password_change/",
    "/admin/jsi18n/",
    "/admin/news/article/1/change/",
    "/admin/no-such-page/",
    VERIFY_URL,
    BACKUP_CODES_URL,
]


@pytest.mark.parametrize("group", ["Editor", "Site administrator"])
def test_when_required_an_unenrolled_user_reaches_only_enrolment_and_logout(group):
    require_two_factor()
    user = make_staff(group)
    client = english_client()
    password_login(client, user.username)
    for url in ADMIN_URLS:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP_URL + "?next="), url
        assert client.post(url, {"anything": "1"})["Location"] == SETUP_URL, url
    page = client.get(SETUP_URL)
    assert page.status_code == 200
    assert "requires two-factor authentication for all staff" in page.content.decode()

    device = TOTPDevice.objects.get(user=user)
    client.post(SETUP_URL, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200

    client.post(reverse("admin:logout"))
    assert "_auth_user_id" not in client.session


def test_when_required_a_forced_login_without_a_device_is_sent_to_enrolment(editor, settings):
    settings.PORTAL_REQUIRE_TWO_FACTOR = True  # the operator's PORTAL_REQUIRE_TWO_FACTOR
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/")["Location"] == SETUP_URL + "?next=%2Fadmin%2F"


def test_turning_the_requirement_off_lets_unenrolled_staff_in_again(editor):
    require_two_factor()
    client = english_client()
    password_login(client, editor.username)
    assert client.get("/admin/").status_code == 302
    require_two_factor(False)
    assert client.get("/admin/").status_code == 200


def sitesettings_form(**overrides):
    return {
        "site_name_zh_hans": "吉林省投资促进网",
        "site_name_en": "Jilin",
        "icp_url": "https://beian.miit.gov.cn/",
        "public_security_url": "https://beian.mps.gov.cn/",
        **overrides,
    }


@pytest.mark.parametrize("group", ["Editor", "Senior editor"])
def test_only_site_administrators_may_require_two_factor(group, audit_log):
    require_two_factor(False)
    client = english_client()
    client.force_login(make_staff(group))
    response = client.post("/admin/news/sitesettings/1/change/", sitesettings_form(require_two_factor="on"))
    assert response.status_code == 403
    assert SiteSettings.load().require_two_factor is False


def test_a_site_administrator_requires_two_factor_and_it_is_audited(audit_log):
    require_two_factor(False)
    admin_user = make_staff("Site administrator")
    client = english_client()
    client.force_login(admin_user)
    page = client.get("/admin/news/sitesettings/1/change/").content.decode()
    assert "Require two-factor authentication for all staff" in page
    response = client.post("/admin/news/sitesettings/1/change/", sitesettings_form(require_two_factor="on"))
    assert response.status_code == 302
    assert SiteSettings.load().require_two_factor is True
    [line] = audit_lines(audit_log, "settings.require_two_factor")
    assert f'user="{admin_user.username}"' in line and 'value="True"' in line
    # The administrator has no authenticator either: the next page is the enrolment.
    assert client.get("/admin/")["Location"].startswith(SETUP_URL)


def test_the_operator_setting_cannot_be_undone_in_the_admin(settings):
    settings.PORTAL_REQUIRE_TWO_FACTOR = True
    require_two_factor(False)
    admin_user = make_staff("Site administrator")
    device = enrolled(admin_user)
    client = english_client()
    password_login(client, admin_user.username)
    client.post(VERIFY_URL, {"code": code_for(device)})
    page = client.get("/admin/news/sitesettings/1/change/").content.decode()
    assert 'name="require_two_factor"' not in page
    assert "The server's configuration requires two-factor authentication for all staff" in page


# --- the operator's reset ----------------------------------------------------------------------


def test_reset_two_factor_removes_the_devices_and_is_audited(editor, audit_log):
    device = enrolled(editor)
    client = english_client()
    password_login(client, editor.username)
    client.post(VERIFY_URL, {"code": code_for(device)})
    client.post(BACKUP_CODES_URL)
    other = enrolled(make_staff("Editor"))

    call_command("reset_two_factor", editor.username)
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    assert TOTPDevice.objects.filter(pk=other.pk).exists()
    [line] = audit_lines(audit_log, "two_factor.reset")
    assert f'account="{editor.username}"' in line and 'devices="2"' in line

    # Without a device and while not required, the user logs in with the password alone again.
    fresh = english_client()
    password_login(fresh, editor.username)
    assert fresh.get("/admin/").status_code == 200
    # When required, the next page is the enrolment, also for the session verified before.
    require_two_factor()
    assert client.get("/admin/")["Location"].startswith(SETUP_URL)


def test_reset_two_factor_of_an_unknown_user_fails_and_changes_nothing(editor):
    enrolled(editor)
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("reset_two_factor", "nobody")
    assert TOTPDevice.objects.filter(user=editor).exists()


def test_ensure_admin_still_creates_the_first_administrator_who_logs_in_without_a_code(capsys):
    call_command("ensure_admin")
    out = capsys.readouterr().out
    password = out.split("password: ")[1].split()[0]
    client = english_client()
    response = client.post(reverse("admin:login"), {"username": "admin", "password": password, "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert get_user_model().objects.get(username="admin").is_superuser


def test_the_user_list_shows_who_uses_two_factor():
    admin_user = make_staff("Site administrator")
    enrolled(make_staff("Editor", "editor-with-app"))
    make_staff("Editor", "editor-without-app")
    client = english_client()
    client.force_login(admin_user)
    response = client.get("/admin/auth/user/")
    assert response.status_code == 200
    rows = {user.username: user.two_factor for user in response.context["cl"].result_list}
    assert rows["editor-with-app"] is True and rows["editor-without-app"] is False
    assert "Two-factor authentication" in response.content.decode()
