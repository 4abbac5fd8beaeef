"""Editing presence (news/admin/presence.py): a second person opening an article sees who has it open."""

import pytest
from playwright.sync_api import expect

from news.models import Article
from tests.factories import STAFF_PASSWORD, make_article, make_staff

pytestmark = pytest.mark.browser


def opened(web, user, path):
    page = web.open(f"/admin/login/?next={path}")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_selector("#content-main form")
    return page


def test_the_second_person_sees_who_is_editing_and_when_they_leave(web, transactional_db, settings):
    settings.PORTAL_PRESENCE_HEARTBEAT_SECONDS = 1
    chief = make_staff("Senior editor")
    chief.first_name, chief.last_name = "主编", "李"
    chief.save()
    wang = make_staff("Editor")
    article = make_article(status=Article.Status.DRAFT)
    path = f"/admin/news/article/{article.pk}/change/"

    first = opened(web, chief, path)
    expect(first.locator(".editing-presence")).to_be_hidden()  # alone

    second = opened(web, wang, path)
    notice = second.locator(".editing-presence")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("李主编 自")
    expect(notice).to_contain_text("起正在编辑这篇文章。")
    expect(first.locator(".editing-presence")).to_contain_text(f"{wang.username} 自", timeout=5000)  # by heartbeat

    first.close()  # the chief leaves: the notice goes on the next heartbeat
    expect(notice).to_be_hidden(timeout=5000)
