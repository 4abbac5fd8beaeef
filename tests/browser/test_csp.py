"""The admin's rich-text editor and the reader pages in a real browser, under the CSP.

Chromium (through Playwright) loads the pages from the live test server and the test fails
on any Content-Security-Policy violation or console error. Set aside, like the other
browser tests, when Playwright or Chromium is missing (tests/browser/conftest.py).
"""

import os

import pytest

from tests.factories import make_article

pytestmark = [
    pytest.mark.browser,  # set aside with one reason when there is no Chromium (tests/browser/conftest.py)
    # What the browser checks does not depend on the database; on PostgreSQL pytest-django's
    # session-wide live server still holds a connection when the test database is dropped.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="run on SQLite only (see the comment)"
    ),
    pytest.mark.django_db(transaction=True),
]

REPORT_VIOLATIONS = (
    "document.addEventListener('securitypolicyviolation',"
    " e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
)


@pytest.fixture
def browser_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.add_init_script(REPORT_VIOLATIONS)
    yield page
    context.close()


def test_reader_pages_raise_no_csp_violation(live_server, browser_page, site):
    article = make_article(site)
    for path in ["/en/", "/zh-hans/", f"/en/column/{site.slug}/", article.get_absolute_url(), "/en/search/?q=English"]:
        browser_page.goto(live_server.url + path)
        browser_page.wait_for_load_state("networkidle")
    assert browser_page.errors == []


def test_the_article_editor_loads_under_the_csp(live_server, browser_page, site, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "browser-test-password-1")
    page = browser_page
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "browser-test-password-1")
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(live_server.url + "/admin/news/article/add/")
    page.wait_for_load_state("networkidle")
    # One ProseMirror editor per body language, built by the scripts the import map names.
    assert page.locator(".ProseMirror").count() >= 2
    editor = page.locator(".ProseMirror:visible").first
    editor.click()
    page.keyboard.type("Typed in the browser")
    assert "Typed in the browser" in editor.inner_text()
    assert page.errors == []
