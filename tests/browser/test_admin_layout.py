"""The newsroom on a 1366 × 768 office screen: the article list shows every column without scrolling
sideways, a 255-character title is clipped, and the article form with attachments fits the width."""

import pytest
from playwright.sync_api import expect

from news.models import Article, Attachment
from tests.factories import STAFF_PASSWORD, make_article, make_staff

pytestmark = pytest.mark.browser

OFFICE_SCREEN = {"width": 1366, "height": 768}
LONG_TITLE = ("吉林省人民政府关于进一步优化营商环境促进外商投资高质量发展若干措施的通知" * 8)[:255]
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def logged_in(web, user, path, locale):
    page = web.open(f"/admin/login/?next={path}", viewport=OFFICE_SCREEN, locale=locale)
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_article_list_fits_an_office_screen(web, demo, locale, tmp_path):
    senior = make_staff("Senior editor")
    long_one = make_article(
        Article.objects.first().column, title_zh_hans=LONG_TITLE, title_en="A" * 20 + " " + "b" * 230
    )
    page = logged_in(web, senior, "/admin/news/article/", locale)
    expect(page.locator("#result_list")).to_be_visible()
    page.screenshot(path=str(tmp_path / f"list-{locale}.png"), full_page=True)

    assert page.evaluate(SIDEWAYS) <= 0, "the list scrolls sideways"
    for column in ("column-languages", "column-last_change", "column-status_label", "column-publish_at"):
        header = page.locator(f"#result_list th.{column}")
        box = header.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= OFFICE_SCREEN["width"], column
    long_row = page.locator("#result_list tbody tr").filter(has=page.locator(f'a[href*="/{long_one.pk}/change/"]'))
    row_height = long_row.bounding_box()["height"]
    short_row_height = page.locator("#result_list tbody tr").last.bounding_box()["height"]
    assert row_height <= short_row_height * 1.6, (row_height, short_row_height)
    title = long_row.locator(".field-title_in_any_language [title]")
    expected = long_one.title_zh_hans if locale == "zh-CN" else long_one.title_en
    assert title.get_attribute("title") == expected, "the whole title is one hover away"


def test_the_article_form_with_attachments_does_not_scroll_sideways(web, demo, tmp_path):
    senior = make_staff("Senior editor")
    article = Article.objects.exclude(cover_image="").first()
    Attachment.objects.create(
        article=article,
        file="attachments/2026/11/" + "c" * 32 + ".pdf",
        title_zh_hans=LONG_TITLE[:200],
        title_en="An attachment with a long English title " * 4,
    )
    page = logged_in(web, senior, f"/admin/news/article/{article.pk}/change/", "zh-CN")
    expect(page.locator("#attachments-group")).to_be_visible()
    page.screenshot(path=str(tmp_path / "form.png"), full_page=True)
    assert page.evaluate(SIDEWAYS) <= 0, "the form scrolls sideways"
