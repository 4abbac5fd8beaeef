"""The rich-text editor in the Chinese admin (static/js/admin-editor-i18n.js): tooltips and dialogs in Chinese."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import STAFF_PASSWORD, make_staff

pytestmark = pytest.mark.browser


def test_the_toolbar_and_its_dialogs_speak_chinese(web, transactional_db):
    editor = make_staff("Editor")
    page = web.open("/admin/login/?next=/admin/news/article/add/")
    page.locator("#id_username").fill(editor.username)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    toolbar = page.locator(".field-body_zh_hans .prose-menubar")
    expect(toolbar).to_be_visible()
    titles = toolbar.locator("[title]").evaluate_all("elements => elements.map(element => element.title)")
    assert len(titles) >= 15
    english = [title for title in titles if re.search(r"[A-Za-z]", title.replace("HTML", ""))]
    assert english == [], "tooltips left in English"
    assert {"加粗", "插入表格", "撤销", "合并单元格"} <= set(titles)
    bold = toolbar.locator('[title="加粗"]')
    assert bold.get_attribute("aria-label") == "加粗"

    toolbar.locator('[title="插入表格"]').click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("行数")
    expect(dialog).to_contain_text("列数")
    expect(dialog).to_contain_text("包含表头行")
    expect(dialog.get_by_role("button", name="取消")).to_be_visible()
    header_row = dialog.locator("select")
    assert sorted(header_row.locator("option").all_inner_texts()) == sorted(["否", "是"])
    header_row.select_option(label="是")
    dialog.get_by_role("button", name="插入表格").click()
    expect(page.locator(".field-body_zh_hans .ProseMirror table th")).to_have_count(3)  # the choice still works


def test_the_block_type_dropdown_speaks_chinese(web, transactional_db):
    editor = make_staff("Editor")
    page = web.open("/admin/login/?next=/admin/news/article/add/")
    page.locator("#id_username").fill(editor.username)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    body = page.locator(".field-body_zh_hans")
    expect(body.locator(".prose-menubar")).to_be_visible()
    options = body.locator(".prose-menubar__option")
    assert options.all_text_contents() == ["2 级标题", "3 级标题", "4 级标题", "正文段落"]
    body.locator(".tiptap").click()
    body.locator(".prose-menubar__selected").click()
    options.filter(has_text="2 级标题").click()
    body.locator(".tiptap").press_sequentially("投资环境")
    expect(body.locator(".tiptap h2")).to_have_text("投资环境")  # the choice still works
