"""Two-factor authentication in a real browser, under the CSP: an editor logs in, sets up an
authenticator from the enrolment page, logs out, and logs in again with a password and a code.
Any console error (a CSP violation included) fails the test."""

import os
import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-password-for-two-factor"
REPORT_VIOLATIONS = (
    "document.addEventListener('securitypolicyviolation',"
    " e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
)


def code_from_secret(secret, steps_ahead=0):
    """What an authenticator app shows for the secret typed from the page (base32, in groups)."""
    from base64 import b32decode

    generator = TOTP(b32decode(secret.replace(" ", "")))
    generator.time = time.time() + steps_ahead * 30
    return f"{generator.token():06d}"


def log_in(page, base_url):
    page.goto(base_url + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_enrol_log_out_and_log_in_with_a_code(browser, live_server, tmp_path):
    get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    errors = []
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(REPORT_VIOLATIONS)
    try:
        log_in(page, live_server.url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.get_by_role("link", name="Two-factor authentication").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
        qr_code = page.get_by_role("img", name="QR code of the secret key")
        expect(qr_code).to_be_visible()
        box = qr_code.bounding_box()
        assert box["width"] >= 150 and box["height"] >= 150, "the QR code is too small to scan"
        page.wait_for_load_state("networkidle")
        if os.environ.get("PORTAL_SCREENSHOTS"):
            page.screenshot(path=os.environ["PORTAL_SCREENSHOTS"] + "/two-factor-setup.png", full_page=True)
        secret = page.locator(".two-factor-secret").inner_text()

        page.get_by_label("Code shown by the app").fill(code_from_secret(secret))
        page.get_by_role("button", name="Turn on two-factor authentication").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
        expect(page.locator(".backup-codes li")).to_have_count(10)
        assert TOTPDevice.objects.get(user__username="editor").confirmed
        page.get_by_role("link", name="I have kept them: continue").click()
        expect(page.locator("#user-tools")).to_be_visible()

        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()

        log_in(page, live_server.url)
        expect(page.get_by_role("heading", level=1)).to_have_text("Two-step verification")
        if os.environ.get("PORTAL_SCREENSHOTS"):
            page.screenshot(path=os.environ["PORTAL_SCREENSHOTS"] + "/two-factor-verify.png")
        # The code used to enrol was spent: the next one the app shows gets in.
        page.get_by_label("Code").fill(code_from_secret(secret, steps_ahead=1))
        page.get_by_role("button", name="Verify").click()
        expect(page.locator("#user-tools")).to_contain_text("editor")
        expect(page).to_have_url(live_server.url + "/admin/")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert errors == []
