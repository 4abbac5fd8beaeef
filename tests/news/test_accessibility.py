"""What the accessibility work puts in the HTML (tests/browser/ proves it in Chromium): attachments
marked accessible or offered in another format through the enquiry desk, the accessibility
statement in the footer, the elder-friendly mode's controls, and no new query on reader pages."""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news import demo
from news.investment.models import Enquiry
from news.models import Attachment
from tests.factories import enquiry_post, make_article, make_desk, make_project
from tests.servers import clear_cache

pytestmark = pytest.mark.django_db


def attach(article, title_zh, title_en, accessible=False, name="annex.pdf"):
    attachment = Attachment(article=article, title_zh_hans=title_zh, title_en=title_en, accessible=accessible)
    attachment.file.save(name, ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def article(site):
    return make_article(column=site, title_zh_hans="投资政策解读", title_en="Investment policy explained")


@pytest.mark.parametrize(
    ("language", "note", "link"),
    [("en", "This file may not be suitable for users of assistive technology.", "Ask for another format"),
     ("zh-hans", "此文件可能不适合使用辅助技术的读者。", "索取其他格式")],
)  # fmt: skip
def test_an_inaccessible_attachment_offers_another_format_in_the_pages_language(client, article, language, note, link):
    scanned = attach(article, "扫描件", "Scanned copy")
    tagged = attach(article, "无障碍版", "Tagged copy", accessible=True, name="tagged.pdf")
    html = client.get(article.get_absolute_url().replace("/zh-hans/", f"/{language}/")).text
    items = re.findall(r"<li><a href=\"[^\"]+\" download>.*?</li>", html, re.S)
    assert len(items) == 2
    scanned_item, tagged_item = items
    assert note in scanned_item and note not in tagged_item
    assert f'<a href="/{language}/enquiry/?attachment={scanned.pk}">{link}' in scanned_item
    assert "enquiry" not in tagged_item and tagged.get_absolute_url() in tagged_item


def test_a_project_attachment_asks_the_projects_desk(client, site_settings):
    from news.investment.models import ProjectAttachment

    project = make_project()
    attachment = ProjectAttachment(project=project, title_zh_hans="项目简介", title_en="Project brief")
    attachment.file.save("brief.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    attachment.save()
    html = client.get(project.get_absolute_url("en")).text
    assert f'href="/en/enquiry/project/{project.code}/?attachment={attachment.pk}">Ask for another format' in html
    form = client.get(f"/en/enquiry/project/{project.code}/?attachment={attachment.pk}").text
    assert "About the document:" in form and "Project brief" in form
    ProjectAttachment.objects.filter(pk=attachment.pk).update(accessible=True)
    clear_cache()
    assert "Ask for another format" not in client.get(project.get_absolute_url("en")).text


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Please send me the document “Scanned copy” (published with “Investment policy explained”) in another format."),
     ("zh-hans", "请向我提供文件《扫描件》（随《投资政策解读》发布）的其他格式版本。")],
)  # fmt: skip
def test_the_enquiry_form_is_prefilled_with_the_document_in_the_pages_language(client, article, language, words):
    make_desk(is_default=True)
    scanned = attach(article, "扫描件", "Scanned copy")
    response = client.get(f"/{language}/enquiry/?attachment={scanned.pk}")
    assert response.status_code == 200
    message = re.search(r"<textarea[^>]*>(.*?)</textarea>", response.text, re.S).group(1)
    assert words in message.replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert re.search(r'<option value="question" selected>', response.text)
    assert f'action="/{language}/enquiry/?attachment={scanned.pk}"' in response.text


def test_the_request_is_saved_with_the_documents_address(client, article):
    desk = make_desk(is_default=True)
    scanned = attach(article, "扫描件", "Scanned copy")
    message = "Please send me the document “Scanned copy” in large print, thank you."
    response = client.post(f"/en/enquiry/?attachment={scanned.pk}", enquiry_post(message=message))
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.referrer_path == scanned.get_absolute_url() and enquiry.desk == desk
    assert enquiry.message == message


@pytest.mark.parametrize("value", ["999999", "x", "1" * 30, "-1", "١"])
def test_an_unknown_or_unpublished_attachment_is_ignored(client, article, value):
    make_desk(is_default=True)
    draft = make_article(column=article.column, status="draft")
    hidden = attach(draft, "草稿附件", "Draft annex")
    for query in (value, str(hidden.pk)):
        response = client.get(f"/en/enquiry/?attachment={query}")
        assert response.status_code == 200
        assert "About the document" not in response.text and "Draft annex" not in response.text


def test_the_admin_has_the_flag_in_both_languages(admin_client, article):
    attach(article, "扫描件", "Scanned copy")
    url = f"/admin/news/article/{article.pk}/change/"
    assert "attachments-0-accessible" in admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    english = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    chinese = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert "Accessible" in english and "works with a screen reader" in english
    assert "无障碍" in chinese and "读屏软件" in chinese


def test_the_accessibility_statement_is_linked_from_the_footer_in_both_languages(client):
    demo.load()
    for language, title, words in (
        ("zh-hans", "无障碍声明", "索取其他格式"),
        ("en", "Accessibility statement", "Asking for another format"),
    ):
        home = client.get(f"/{language}/").text
        assert f'<a href="/{language}/page/accessibility/">{title}</a>' in home
        page = client.get(f"/{language}/page/accessibility/")
        assert page.status_code == 200 and f"<h1>{title}</h1>" in page.text and words in page.text
        assert f'href="/{language}/enquiry/"' in page.text


@pytest.mark.parametrize(("language", "label"), [("en", "Elder-friendly mode"), ("zh-hans", "适老模式")])
def test_every_page_has_the_elder_friendly_switch_and_articles_the_fourth_size(client, article, language, label):
    for path in (f"/{language}/", f"/{language}/column/{article.column.slug}/", f"/{language}/search/?q=x"):
        html = client.get(path).text
        assert f'<button type="button" class="elder-mode" data-elder-mode aria-pressed="false">{label}</button>' in html
    html = client.get(article.get_absolute_url().replace("/zh-hans/", f"/{language}/")).text
    extra_large, high_contrast = ("Extra large", "High contrast") if language == "en" else ("特大", "高对比度")
    assert f'data-text-size="x-large" aria-pressed="false">{extra_large}</button>' in html
    assert f'data-contrast aria-pressed="false">{high_contrast}</button>' in html
    assert "cookie" not in " ".join(client.get(article.get_absolute_url()).headers).lower()


def test_reader_pages_cost_no_more_queries_with_attachments_flagged(client, article, django_assert_max_num_queries):
    """The flag is a column of the row the page already reads: no query per attachment."""
    for number in range(3):
        attach(article, f"附件{number}", f"Annex {number}", accessible=number == 0, name=f"a{number}.pdf")
    clear_cache()
    with CaptureQueriesContext(connection) as one:
        client.get(article.get_absolute_url())
    for number in range(3, 6):
        attach(article, f"附件{number}", f"Annex {number}", name=f"a{number}.pdf")
    clear_cache()
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(article.get_absolute_url()).text.count("索取其他格式") == 5
