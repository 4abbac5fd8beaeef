"""Attached documents: accepted types only, shown with type and size, downloaded under a safe name."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from news.models import Article, Attachment
from news.uploads import documents
from tests.factories import admin_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The messages are matched in English; the default language is Chinese.
    with translation.override("en"):
        yield


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("policy.pdf", PDF),
        ("policy.docx", docx_bytes()),
        ("table.xls", documents.OLE + b"\0" * 100),
        ("notice.wps", documents.OLE + b"\0" * 100),
        ("files.zip", docx_bytes()),
    ],
)
def test_accepted_documents(name, data):
    documents.validate_document(SimpleUploadedFile(name, data))


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("page.html", b"<html><script>alert(1)</script>", "Only PDF"),
        ("run.exe", b"MZ\x90\x00", "Only PDF"),
        ("image.svg", b"<svg/>", "Only PDF"),
        ("fake.pdf", b"<html><script>alert(1)</script>", "not a PDF"),
        ("fake.docx", PDF, "not a Word"),
        ("noextension", PDF, "Only PDF"),
    ],
)
def test_other_types_are_refused(name, data, reason):
    with pytest.raises(ValidationError, match=reason):
        documents.validate_document(SimpleUploadedFile(name, data))


def test_size_limit(settings):
    settings.PORTAL_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="larger than"):
        documents.validate_document(SimpleUploadedFile("a.pdf", PDF))


def test_download_name_is_safe():
    assert documents.download_name('../../etc/"passwd"\r\nX-Evil: 1', "attachments/x.pdf") == "etc passwd X-Evil 1.pdf"
    assert documents.download_name("", "attachments/x.docx") == "attachment.docx"
    assert documents.download_name("吉林省招商引资政策", "a/b.pdf") == "吉林省招商引资政策.pdf"


class TestOnTheSite:
    @pytest.fixture
    def article(self, site):
        article = make_article(site)
        attachment = Attachment(article=article, title_zh_hans="政策全文", title_en="Full text of the policy")
        attachment.file.save("whatever.pdf", ContentFile(PDF), save=False)
        attachment.full_clean()
        attachment.save()
        return article

    def test_listed_with_type_and_size(self, client, article):
        page = client.get(article.get_absolute_url("en")).content.decode()
        assert "Full text of the policy" in page and f"(PDF, {len(PDF)}" in page
        zh = client.get(article.get_absolute_url("zh-hans")).content.decode()
        assert "政策全文" in zh

    def test_downloaded_under_its_title_never_inline(self, client, article):
        attachment = article.attachments.get()
        assert "whatever" not in attachment.file.name  # a generated name
        with translation.override("zh-hans"):
            response = client.get(attachment.get_absolute_url())
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''%E6%94%BF%E7%AD%96%E5%85%A8%E6%96%87.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
        english = client.get(attachment.get_absolute_url())  # the English page's link: the English title
        assert 'filename="Full text of the policy.pdf"' in english["Content-Disposition"]

    def test_attachments_of_unpublished_articles_are_not_downloadable(self, client, article):
        Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
        assert client.get(article.attachments.get().get_absolute_url()).status_code == 404

    def test_staff_open_the_attachments_of_drafts_privately(self, client, article):
        """The admin's "view on site" of a draft's attachment works for staff, and no shared cache keeps it."""
        Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
        url = article.attachments.get().get_absolute_url()
        client.force_login(make_staff("Editor"))
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
        assert "no-store" not in client.get(url).get("Cache-Control", "")


def test_attached_in_the_admin(senior_client, site):
    article = make_article(site, status=Article.Status.DRAFT)
    data = admin_form_data(
        article,
        **{
            "attachments-TOTAL_FORMS": "2",
            "attachments-0-file": SimpleUploadedFile("guide.pdf", PDF),
            "attachments-0-title_zh_hans": "指南",
            "attachments-0-title_en": "Guide",
            "attachments-0-order": "0",
            "attachments-1-file": SimpleUploadedFile("evil.html", b"<script>alert(1)</script>"),
            "attachments-1-title_zh_hans": "",
            "attachments-1-title_en": "",
            "attachments-1-order": "1",
        },
    )
    url = f"/admin/news/article/{article.pk}/change/"
    response = senior_client.post(url, data, headers={"accept-language": "en"})
    assert response.status_code == 200 and "Only PDF, Word, Excel, WPS and ZIP" in response.content.decode()
    assert not Attachment.objects.exists()  # nothing saved while one file is refused
    data["attachments-TOTAL_FORMS"] = "1"
    data["attachments-0-file"] = SimpleUploadedFile("guide.pdf", PDF)
    assert senior_client.post(url, data).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.size == len(PDF) and attachment.kind == "PDF" and attachment.title_en == "Guide"
