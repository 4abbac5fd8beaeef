"""The picture library from the body editor: the upload address that pasted, dropped and picker-uploaded
pictures go through, the picker's search, and covers uploaded with an article put in the library."""

import pytest
from django.contrib.auth import get_user_model

from news.models import Article, Image
from tests.factories import article_form, image_file, make_article, make_staff

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/news/image/upload/"
PICKER = "/admin/news/image/picker/"
EN = {"accept-language": "en"}
ZH = {"accept-language": "zh-hans"}


def test_an_uploaded_picture_becomes_a_library_picture_with_its_alt_text(editor_client):
    response = editor_client.post(
        UPLOAD, {"file": image_file("photo.png", (1600, 900), "PNG"), "alt": "The signing", "language": "en"}
    )
    assert response.status_code == 200
    picture = Image.objects.get()
    assert (picture.alt_en, picture.alt_zh_hans or "", picture.uploaded_by) == ("The signing", "", editor_client.user)
    assert response.json() == {"id": picture.pk, "url": response.json()["url"], "alt": "The signing"}
    # The copy for bodies: at most 960 pixels wide, not the 1600-pixel original.
    assert response.json()["url"] != picture.file.url and "960" in response.json()["url"]


@pytest.mark.parametrize(
    ("headers", "words"),
    [(EN, "This file is not a JPEG, PNG, WebP or GIF picture."), (ZH, "此文件不是 JPEG、PNG、WebP 或 GIF 图片。")],
)
def test_a_file_that_is_no_picture_is_refused_in_the_admins_language(editor_client, headers, words):
    fake = image_file("fake.png")
    fake.file.seek(0)
    fake.file.truncate()
    fake.file.write(b"<html>not a picture</html>")
    fake.file.seek(0)
    response = editor_client.post(UPLOAD, {"file": fake, "alt": "x"}, headers=headers)
    assert response.status_code == 400
    assert words in response.json()["error"]
    assert not Image.objects.exists()


@pytest.mark.parametrize(("headers", "words"), [(EN, "Write the picture's alt text"), (ZH, "请填写图片的替代文字")])
def test_a_picture_without_alt_text_is_refused(editor_client, headers, words):
    response = editor_client.post(UPLOAD, {"file": image_file(), "alt": "  "}, headers=headers)
    assert response.status_code == 400 and words in response.json()["error"]
    assert not Image.objects.exists()


def test_only_post_and_only_people_who_may_add_pictures(client, editor_client):
    assert editor_client.get(UPLOAD).status_code == 405
    clerk = get_user_model().objects.create_user("clerk", password="x-Long-enough-1", is_staff=True)
    client.force_login(clerk)
    assert client.post(UPLOAD, {"file": image_file(), "alt": "x"}).status_code == 403
    assert not Image.objects.exists()


def test_the_picker_searches_alt_texts_and_captions_in_every_language(editor_client):
    for alt_en, alt_zh, caption in (
        ("Signing ceremony", "签约仪式", ""),
        ("Harbour", "港口", "长春港夜景"),
        ("Forest", "森林", ""),
    ):
        Image.objects.create(file=image_file(), alt_en=alt_en, alt_zh_hans=alt_zh, caption_zh_hans=caption)
    found = editor_client.get(PICKER, {"q": "签约", "language": "en"}, headers=ZH).content.decode()
    assert "Signing ceremony" in found and "Harbour" not in found and "Forest" not in found
    found = editor_client.get(PICKER, {"q": "夜景"}, headers=ZH).content.decode()
    assert "长春港夜景" in found and "签约仪式" not in found
    nothing = editor_client.get(PICKER, {"q": "airport"}, headers=ZH).content.decode()
    assert "图片库中没有符合的图片。" in nothing
    every = editor_client.get(PICKER, headers=ZH).content.decode()
    assert all(word in every for word in ("签约仪式", "港口", "森林")) and "上传并插入正文" in every


def test_a_cover_uploaded_with_an_article_is_put_in_the_library(site):
    from django.test import Client

    client = Client()
    senior = make_staff("Senior editor")
    client.force_login(senior)
    data = article_form(
        site, cover_image=image_file(), cover_alt_zh_hans="封面", cover_alt_en="Cover", cover_caption_en="At the port"
    )
    assert client.post("/admin/news/article/add/", data).status_code == 302
    picture = Image.objects.get()
    assert (picture.alt_zh_hans, picture.alt_en, picture.caption_en) == ("封面", "Cover", "At the port")
    assert picture.uploaded_by == senior and picture.file.name.startswith("images/")
    article = Article.objects.get()
    assert picture.file.name != article.cover_image.name  # a copy: deleting one keeps the other
    # Saving again without a new cover adds nothing.
    article.refresh_from_db()
    from tests.factories import admin_form_data

    assert (
        client.post(
            f"/admin/news/article/{article.pk}/change/", admin_form_data(article, cover_alt_en="Cover")
        ).status_code
        == 302
    )
    assert Image.objects.count() == 1
    assert make_article(site).pk  # an article saved elsewhere (import, shell) is not the admin's upload
    assert Image.objects.count() == 1
