"""news/admin/kept_uploads.py: the files of a refused save come back for the retry, checked again."""

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from news.models import Article, Attachment
from tests.factories import admin_form_data, image_file, make_staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ADD = "/admin/news/article/add/"


def kept_inputs(response):
    return dict(re.findall(r'<input type="hidden" name="([^"]+__kept)" value="([^"]+)">', response.content.decode()))


def refused_then_retried(client, site, **files):
    """Post a new article without its column (refused), then the same with the column but
    without choosing any file again; returns both responses."""
    data = admin_form_data(
        column=site.pk,
        title_zh_hans="保留的文件",
        body_zh_hans="<p>正文</p>",
        title_en="Kept files",
        body_en="<p>Body</p>",
        cover_alt_zh_hans="封面",
        cover_alt_en="Cover",
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title_zh_hans": "指南",
            "attachments-0-title_en": "Guide",
            "attachments-0-order": "0",
        },
    )
    if "attachments-0-file" not in files:
        data["attachments-TOTAL_FORMS"] = "0"
    refused = client.post(ADD, {**data, "column": "", **files})
    kept = kept_inputs(refused)
    retried = client.post(ADD, {**data, **kept})
    return refused, retried


@pytest.fixture
def senior(client):
    user = make_staff("Senior editor")
    client.force_login(user)
    return user


def test_the_cover_and_an_attachment_chosen_before_a_refused_save_are_saved_on_the_retry(client, site, senior):
    refused, retried = refused_then_retried(
        client,
        site,
        cover_image=image_file("ceremony.jpg"),
        **{"attachments-0-file": SimpleUploadedFile("guide.pdf", PDF)},
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "ceremony.jpg" in page and "guide.pdf" in page
    assert set(kept_inputs(refused)) == {"cover_image__kept", "attachments-0-file__kept"}
    assert retried.status_code == 302, retried.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.cover_image and article.cover_width == 64  # re-encoded by the usual checks
    attachment = Attachment.objects.get()
    assert attachment.size == len(PDF) and attachment.kind == "PDF"
    assert default_storage.listdir("unsaved")[1] == [], "a kept file is gone once used"


def test_in_chinese_the_summary_names_the_kept_files(client, site, senior):
    refused = client.post(
        ADD,
        admin_form_data(column="", title_zh_hans="标题", cover_image=image_file("ceremony.jpg")),
        headers={"accept-language": "zh-hans"},
    )
    page = refused.content.decode()
    assert "已保留以下文件，下次保存时无需重新选择：" in page
    assert "封面图片: ceremony.jpg" in page


def test_a_file_refused_by_its_checks_is_not_kept_and_is_named(client, site, senior):
    refused, retried = refused_then_retried(
        client, site, cover_image=SimpleUploadedFile("fake.jpg", b"<html>not a picture</html>")
    )
    assert "cover_image__kept" not in kept_inputs(refused)
    assert "fake.jpg" in refused.content.decode()
    assert retried.status_code == 302, retried.context["adminform"].form.errors
    assert not Article.objects.get().cover_image


def test_a_new_choice_wins_over_the_kept_file(client, site, senior):
    data = admin_form_data(column=site.pk, title_zh_hans="两张封面", title_en="Two covers", body_en="<p>B</p>")
    data.update(cover_alt_zh_hans="封面", cover_alt_en="Cover")
    first = image_file("first.jpg", size=(64, 36))
    kept = kept_inputs(client.post(ADD, {**data, "column": "", "cover_image": first}))
    second = image_file("second.jpg", size=(80, 45))
    response = client.post(ADD, {**data, "cover_image": second, **kept})
    assert response.status_code == 302
    assert Article.objects.get().cover_width == 80


def test_a_token_works_only_for_its_person_and_field(client, site, senior):
    data = admin_form_data(column=site.pk, title_zh_hans="别人的文件", title_en="Stolen", body_en="<p>B</p>")
    data.update(cover_alt_zh_hans="封面", cover_alt_en="Cover")
    token = kept_inputs(client.post(ADD, {**data, "column": "", "cover_image": image_file()}))["cover_image__kept"]

    other = make_staff("Senior editor")
    client.force_login(other)
    response = client.post(ADD, {**data, "cover_image__kept": token})
    assert response.status_code == 302 and not Article.objects.get().cover_image

    client.force_login(senior)
    moved = client.post(
        ADD,
        {
            **data,
            "title_zh_hans": "换了字段",
            "title_en": "Moved",
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title_zh_hans": "指南",
            "attachments-0-title_en": "Guide",
            "attachments-0-order": "0",
            "attachments-0-file__kept": token,
            "attachments-0-file": "",
        },
    )
    assert not Attachment.objects.exists()
    assert moved.status_code == 200  # the attachment row has no file: refused, nothing taken over


def test_a_forged_token_is_ignored(client, site, senior):
    data = admin_form_data(column=site.pk, title_zh_hans="伪造", title_en="Forged", body_en="<p>B</p>")
    response = client.post(ADD, {**data, "cover_image__kept": "unsaved/../../secret_key"})
    assert response.status_code == 302 and not Article.objects.get().cover_image
