"""The audit log (portal.audit): who, what, when (UTC), from where; no forged lines."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from news.models import Article
from news.text import log_value as escape
from tests.factories import admin_form_data, make_article

pytestmark = pytest.mark.django_db

UTC_TIME = re.compile(r'at="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"')


@pytest.fixture
def audit(caplog):
    caplog.set_level(logging.INFO, logger="portal.audit")

    def records(name=None):
        return [
            r.getMessage()
            for r in caplog.records
            if r.name == "portal.audit" and (name is None or r.getMessage().startswith(f"audit {name} "))
        ]

    return records


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def test_escape_keeps_everything_on_one_line():
    assert escape('a\nb\rc\td"e\\f\u2028g\x1b[31m') == '"a\\x0ab\\x0dc\\x09d\\"e\\\\f\\u2028g\\x1b[31m"'
    assert escape("吉林省") == '"吉林省"'


def test_a_failed_login_is_logged_with_the_username_and_address(client, audit):
    get_user_model().objects.create_user("editor-li", password="a-long-password-1", is_staff=True)
    client.post(reverse("admin:login"), {"username": "editor-li", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    [line] = audit("login.failed")
    assert 'user="editor-li"' in line and 'ip="203.0.113.9"' in line and UTC_TIME.search(line)
    assert "wrong" not in line  # never the password


def test_a_username_cannot_forge_a_log_line(client, audit):
    forged = 'x"\nINFO portal.audit audit login.success user="boss'
    client.post(reverse("admin:login"), {"username": forged, "password": "wrong"})
    [line] = audit("login.failed")
    assert "\n" not in line and "\r" not in line
    assert 'user="x\\"\\x0aINFO portal.audit audit login.success user=\\"boss"' in line
    assert not audit("login.success")


def test_a_lockout_is_logged(client, audit):
    for _attempt in range(5):
        client.post(reverse("admin:login"), {"username": "someone", "password": "wrong"})
    [line] = audit("login.locked_out")
    assert 'user="someone"' in line


def test_an_editor_trying_to_publish_is_logged(editor_client, site, audit):
    draft = make_article(site, status=Article.Status.DRAFT)
    editor_client.post(change_url(draft), admin_form_data(draft, _workflow="publish"), REMOTE_ADDR="198.51.100.4")
    [line] = audit("permission.denied")
    assert 'user="editor"' in line and 'ip="198.51.100.4"' in line
    assert 'step="publish"' in line and f'article="{draft.pk}"' in line
    assert not audit("article.publish")


def test_a_refused_publish_action_is_logged(editor_client, site, audit):
    draft = make_article(site, status=Article.Status.REVIEW)
    editor_client.post("/admin/news/article/", {"action": "workflow_publish", "_selected_action": [draft.pk]})
    editor_client.post(f"/admin/news/article/{draft.pk}/delete/", {"post": "yes"})
    lines = audit("permission.denied")
    assert lines and all('user="editor"' in line for line in lines)
    assert any("/delete/" in line for line in lines)  # the 403


def test_publishing_and_unpublishing_are_logged(senior_client, site, audit, django_capture_on_commit_callbacks):
    draft = make_article(site, status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        senior_client.post(change_url(draft), admin_form_data(draft, _workflow="publish"), REMOTE_ADDR="192.0.2.1")
        assert not audit("article.publish")  # logged once the publish is committed
    [line] = audit("article.publish")
    assert 'user="senior"' in line and 'ip="192.0.2.1"' in line and f'article="{draft.pk}"' in line
    assert UTC_TIME.search(line)
    with django_capture_on_commit_callbacks(execute=True):
        senior_client.post("/admin/news/article/", {"action": "workflow_unpublish", "_selected_action": [draft.pk]})
    [line] = audit("article.unpublish")
    assert 'user="senior"' in line


def test_deletions_are_logged(site, audit, admin_client, django_capture_on_commit_callbacks):
    article = make_article(site, title_en="Gone\nfake line")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/news/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    lines = [line for line in audit("delete") if 'model="news.article"' in line]
    assert len(lines) == 1
    assert f'id="{article.pk}"' in lines[0] and 'user="admin"' in lines[0] and "\n" not in lines[0]
