"""A senior editor in a real browser: logs in, writes a bilingual article with a cover, publishes it,
and finds it on the Chinese and the English site."""

import importlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from news.models import Article

pytestmark = pytest.mark.browser

PASSWORD = "a-long-password-for-the-browser"


def senior_editor():
    """A staff account in the Senior editor group, with the permissions the migration gives it.

    The live server's tests empty the database after each test, groups included, so the group is
    made again here from the migration's own list."""
    workflow_groups = importlib.import_module("news.migrations.0006_workflow_groups")
    group, _created = Group.objects.get_or_create(name="Senior editor")
    for code in workflow_groups.SENIOR_EDITOR:
        app_label, codename = code.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user = get_user_model().objects.create_user("senior", password=PASSWORD, is_staff=True)
    user.groups.add(group)
    return user


def cover_jpeg(path):
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (1200, 675), (11, 74, 139))
    ImageDraw.Draw(picture).rectangle((200, 200, 1000, 500), fill=(240, 165, 0))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_senior_editor_publishes_a_bilingual_article_with_a_cover(web, demo, tmp_path):
    senior_editor()
    page = web.open("/admin/", locale="en-US")
    page.get_by_label("Username").fill("senior")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto("/admin/news/article/add/")
    page.locator("#id_column").select_option(label="Investment Dynamics")
    page.locator("#id_title_zh_hans").fill("浏览器测试：长春新签一批项目")
    page.locator("#id_summary_zh_hans").fill("编辑在浏览器中撰写并发布的中文摘要。")
    page.locator(".field-body_zh_hans [contenteditable=true]").click()
    page.keyboard.type("编辑在浏览器中撰写的中文正文。")
    page.locator("#id_cover_alt_zh_hans").fill("长春签约仪式现场")
    page.locator("#id_title_en").fill("Browser test: Changchun signs new projects")
    page.locator("#id_summary_en").fill("An English summary written and published in the browser.")
    page.locator(".field-body_en [contenteditable=true]").click()
    page.keyboard.type("The English body, typed by the editor.")
    page.locator("#id_cover_alt_en").fill("The signing ceremony in Changchun")
    page.locator("#id_cover_image").set_input_files(cover_jpeg(tmp_path / "ceremony.jpg"))
    page.get_by_role("button", name="Publish", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("Browser test: Changchun signs new projects")
    article = Article.objects.get(title_en="Browser test: Changchun signs new projects")
    assert article.status == Article.Status.PUBLISHED
    assert article.cover_image

    for language, title, alt, body in (
        ("zh-hans", "浏览器测试：长春新签一批项目", "长春签约仪式现场", "编辑在浏览器中撰写的中文正文。"),
        ("en", "Browser test: Changchun signs new projects", "The signing ceremony in Changchun", "The English body"),
    ):
        reader = web.open(f"/{language}/")
        reader.get_by_role("link", name=title).first.click()
        expect(reader.get_by_role("heading", level=1)).to_have_text(title)
        expect(reader.locator(".article-body")).to_contain_text(body)
        cover = reader.get_by_role("img", name=alt)
        expect(cover).to_be_visible()
        assert cover.evaluate("(img) => img.complete && img.naturalWidth > 0"), "the cover did not load"
