"""Side-by-side translation in the article form (static/js/admin-side-by-side.js)."""

import pytest
from playwright.sync_api import expect

from news.models import Article
from tests.factories import STAFF_PASSWORD, make_column, make_staff

pytestmark = pytest.mark.browser


def test_each_field_beside_its_translation_and_the_form_still_saves(web, transactional_db):
    editor = make_staff("Editor")
    column = make_column()
    page = web.open("/admin/login/?next=/admin/news/article/add/", viewport={"width": 1366, "height": 900})
    page.locator("#id_username").fill(editor.username)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    toggle = page.locator(".side-by-side-toggle")
    expect(toggle).to_have_text("中英文并排对照")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_have_text("逐个语言填写")

    for field in ("title", "summary", "body", "cover_alt"):
        chinese = page.locator(f".form-row.field-{field}_zh_hans").bounding_box()
        english = page.locator(f".form-row.field-{field}_en").bounding_box()
        assert abs(chinese["y"] - english["y"]) < 2, field  # on one line
        assert english["x"] > chinese["x"] + chinese["width"] - 1, field  # English to the right

    page.locator("#id_column").select_option(str(column.pk))
    page.locator("#id_title_zh_hans").fill("并排撰写的标题")
    page.locator("#id_title_en").fill("A title written side by side")
    page.locator(".field-body_en [contenteditable=true]").click()
    page.keyboard.type("Typed in the moved editor.")
    page.locator(".field-body_zh_hans [contenteditable=true]").click()
    page.keyboard.type("在移动后的编辑器中输入。")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get()
    assert article.title_en == "A title written side by side" and article.title_zh_hans == "并排撰写的标题"
    assert "Typed in the moved editor." in article.body_en and "在移动后的编辑器中输入。" in article.body_zh_hans

    page.goto("/admin/news/article/add/")  # the choice is remembered; and can be undone
    toggle = page.locator(".side-by-side-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    chinese = page.locator(".form-row.field-title_zh_hans").bounding_box()
    english = page.locator(".form-row.field-title_en").bounding_box()
    assert english["y"] > chinese["y"] + 100  # the English version below the Chinese one again
