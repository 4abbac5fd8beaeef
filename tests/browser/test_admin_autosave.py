"""Unsaved work in the article form (static/js/admin-autosave.js): the warning before leaving, and the
copy kept in the browser that comes back after a closed tab, only into the form, never saved by itself."""

import pytest
from playwright.sync_api import expect

from news.models import Article
from tests.factories import STAFF_PASSWORD, make_article, make_column, make_staff

pytestmark = pytest.mark.browser

COPY_KEPT = "() => Object.keys(localStorage).some(key => key.startsWith('portal-autosave:'))"


def logged_in(web, user, path, context=None):
    page = context.new_page() if context else web.open(None)
    page.goto(f"/admin/login/?next={path}")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_selector("#content-main form")
    page.wait_for_load_state("load")
    return page


def body_editor(page, language="zh_hans"):
    return page.locator(f".field-body_{language} [contenteditable=true]")


def test_leaving_a_changed_form_asks_first_and_an_unchanged_one_does_not(web, transactional_db):
    editor = make_staff("Editor")
    column = make_column()
    page = logged_in(web, editor, "/admin/news/article/add/")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", answer)
    page.locator("#site-name a").click()  # nothing typed: leaves without a question
    expect(page).to_have_url(f"{web.base_url}/admin/")
    assert dialogs == []

    page.goto("/admin/news/article/add/")
    page.locator("#id_column").select_option(str(column.pk))
    page.locator("#id_title_zh_hans").click()
    page.keyboard.type("尚未保存的标题")
    page.locator("#site-name a").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(f"{web.base_url}/admin/news/article/add/")
    expect(page.locator("#id_title_zh_hans")).to_have_value("尚未保存的标题")

    page.locator("input[name=_save]").click()  # saving is not leaving
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert dialogs == ["beforeunload"]
    assert Article.objects.get().title_zh_hans == "尚未保存的标题"


def test_a_refused_save_still_warns_before_leaving(web, transactional_db):
    editor = make_staff("Editor")
    page = logged_in(web, editor, "/admin/news/article/add/")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.locator("#id_title_zh_hans").click()
    page.keyboard.type("没有栏目的文章")
    page.locator("input[name=_save]").click()  # no column: refused
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("p.errornote")).to_be_hidden()  # said once, by the summary
    page.locator("#id_summary_zh_hans").click()  # the person is back on the page
    page.locator("#site-name a").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert not Article.objects.exists()


def test_a_closed_tab_leaves_a_copy_that_only_fills_the_form_again(web, transactional_db):
    editor = make_staff("Editor")
    column = make_column()
    first = logged_in(web, editor, "/admin/news/article/add/")
    posts = []
    first.context.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    first.locator("#id_column").select_option(str(column.pk))
    first.locator("#id_title_zh_hans").click()
    first.keyboard.type("自动保存的标题")
    body_editor(first).click()
    first.keyboard.type("自动保存的正文。")
    first.wait_for_function(COPY_KEPT)
    first.close(run_before_unload=False)  # the tab is gone, no question asked

    assert posts == [], "the copy is kept in the browser, nothing is sent"
    assert not Article.objects.exists()

    again = first.context.new_page()
    again.goto("/admin/news/article/add/")
    offer = again.locator(".autosave-offer")
    expect(offer).to_contain_text("本浏览器保存了您在")
    again.locator(".autosave-restore").click()
    expect(offer).to_have_count(0)
    expect(again.locator("#id_title_zh_hans")).to_have_value("自动保存的标题")
    expect(again.locator("#id_column")).to_have_value(str(column.pk))
    expect(body_editor(again)).to_contain_text("自动保存的正文。")
    again.wait_for_timeout(1500)
    assert posts == [] and not Article.objects.exists(), "restoring never saves"

    again.on("dialog", lambda dialog: dialog.accept())
    again.locator("input[name=_save]").click()
    expect(again.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get()
    assert article.title_zh_hans == "自动保存的标题"
    assert "自动保存的正文。" in article.body_zh_hans
    assert article.status == Article.Status.DRAFT
    assert not again.evaluate(COPY_KEPT), "a saved form leaves no copy behind"

    again.goto("/admin/news/article/add/")
    again.wait_for_load_state("load")
    expect(again.locator(".autosave-offer")).to_have_count(0)


def test_a_copy_of_a_published_article_can_be_discarded_and_never_publishes(web, transactional_db):
    senior = make_staff("Senior editor")
    article = make_article(status=Article.Status.PUBLISHED, title_zh_hans="已发布的标题")
    path = f"/admin/news/article/{article.pk}/change/"
    first = logged_in(web, senior, path)
    first.locator("#id_title_zh_hans").fill("改了一半的标题")
    first.locator("#id_title_zh_hans").press("End")
    first.wait_for_function(COPY_KEPT)
    first.close(run_before_unload=False)

    again = first.context.new_page()
    again.goto(path)
    expect(again.locator(".autosave-offer")).to_be_visible()
    expect(again.locator("#id_title_zh_hans")).to_have_value("已发布的标题")
    again.locator(".autosave-discard").click()
    expect(again.locator(".autosave-offer")).to_have_count(0)
    assert not again.evaluate(COPY_KEPT)
    article.refresh_from_db()
    assert article.title_zh_hans == "已发布的标题"


def test_the_copy_belongs_to_its_author(web, transactional_db):
    """Two people sharing a browser: the second is not offered the first one's copy."""
    first_editor, second_editor = make_staff("Editor"), make_staff("Editor")
    page = logged_in(web, first_editor, "/admin/news/article/add/")
    page.locator("#id_title_zh_hans").click()
    page.keyboard.type("第一位编辑的草稿")
    page.wait_for_function(COPY_KEPT)
    page.close(run_before_unload=False)
    page.context.clear_cookies()

    other = logged_in(web, second_editor, "/admin/news/article/add/", context=page.context)
    other.wait_for_timeout(300)
    expect(other.locator(".autosave-offer")).to_have_count(0)
