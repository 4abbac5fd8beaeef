"""The work lists on the admin's home page (news/dashboard.py) and the sent-back notice (news/notifications.py)."""

import pytest
from django.core import mail
from django.test import Client

from news.models import Article
from tests.factories import admin_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db
ZH = {"accept-language": "zh-hans"}


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_sent_back_with_comments_shows_on_the_editors_home_and_by_mail(
    site, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_NOTIFY_BY_EMAIL = True
    editor = make_staff("Editor", "wang")
    editor.email = "wang@example.cn"
    editor.save()
    senior = make_staff("Senior editor", "li")
    article = make_article(site, status=Article.Status.REVIEW, created_by=editor, title_zh_hans="招商稿件")
    other = make_article(site, status=Article.Status.REVIEW, title_zh_hans="别人的稿件")
    home = logged_in(senior).get("/admin/", headers=ZH).content.decode()
    assert "等待我审核" in home and "招商稿件" in home and "别人的稿件" in home
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(senior).post(
            f"/admin/news/article/{article.pk}/change/",
            admin_form_data(article, _workflow="draft", review_comment="请补充英文摘要。"),
        )
    assert response.status_code == 302
    home = logged_in(editor).get("/admin/", headers=ZH).content.decode()
    assert "退回给我的" in home and "招商稿件" in home and "请补充英文摘要。" in home
    assert "别人的稿件" not in home.split("我的草稿")[0]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wang@example.cn"]
    assert "请补充英文摘要。" in mail.outbox[0].body
    assert other.status == Article.Status.REVIEW


def test_no_mail_without_a_mail_server(site, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_NOTIFY_BY_EMAIL = False
    editor = make_staff("Editor", "wang")
    editor.email = "wang@example.cn"
    editor.save()
    article = make_article(site, status=Article.Status.REVIEW, created_by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(make_staff("Senior editor")).post(
            f"/admin/news/article/{article.pk}/change/", admin_form_data(article, _workflow="draft")
        )
    assert not mail.outbox


def test_the_mine_filter_and_the_home_page_query_count(site, django_assert_max_num_queries):
    editor = make_staff("Editor", "wang")
    for _ in range(8):
        make_article(site, status=Article.Status.DRAFT, created_by=editor)
    make_article(site, status=Article.Status.DRAFT)
    client = logged_in(editor)
    listing = client.get("/admin/news/article/?mine=1", headers=ZH).content.decode()
    assert listing.count('name="_selected_action"') == 8
    # 30 before the policy prompts (documents expiring soon, normative ones unreviewed for five
    # years): one query each, whatever their length (tests/news/policies/test_housekeeping.py).
    with django_assert_max_num_queries(32):
        assert client.get("/admin/").status_code == 200
