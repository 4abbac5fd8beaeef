"""Roles and the workflow: who may move an article where, checked on the server."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from reversion.models import Version

from news.models import Article
from tests.factories import admin_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def change_url(article):
    return f"/admin/news/article/{article.pk}/change/"


class TestGroups:
    def test_the_migration_creates_the_three_groups_with_least_permissions(self):
        perms = {
            group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
            for group in Group.objects.prefetch_related("permissions__content_type")
        }
        assert set(perms) == {"Editor", "Senior editor", "Site administrator", "Enquiry officer"}
        assert not {p for p in perms["Enquiry officer"] if not p.startswith("investment.")}  # investment 0002
        assert "investment.view_all_enquiries" in perms["Site administrator"] - perms["Enquiry officer"]
        assert "news.publish_article" in perms["Senior editor"]
        assert "news.publish_article" not in perms["Editor"] | perms["Site administrator"]
        assert "news.delete_article" not in perms["Editor"]
        assert "news.change_article" not in perms["Site administrator"]
        assert {"news.change_column", "news.change_page", "auth.add_user"} <= perms["Site administrator"]
        assert not perms["Editor"] & {"news.change_column", "auth.change_user", "news.change_sitesettings"}

    def test_an_editor_cannot_manage_columns_or_staff(self, editor_client, site):
        assert editor_client.get("/admin/news/column/add/").status_code == 403
        assert editor_client.get("/admin/auth/user/").status_code == 403


class TestEditor:
    def test_creates_a_draft_and_submits_it_for_review(self, editor_client, site):
        response = editor_client.post(
            "/admin/news/article/add/",
            admin_form_data(column=site.pk, title_zh_hans="草稿", body_zh_hans="<p>正文</p>", _workflow="review"),
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        article = Article.objects.get()
        assert article.status == Article.Status.REVIEW
        assert article.created_by == editor_client.user

    def test_a_crafted_post_setting_published_is_refused(self, editor_client, site):
        data = admin_form_data(column=site.pk, title_zh_hans="偷偷发布", body_zh_hans="<p>正文</p>", status="published")
        response = editor_client.post("/admin/news/article/add/", data)
        assert response.status_code == 200
        assert not Article.objects.exists()

    def test_a_crafted_publish_button_is_refused(self, editor_client, site):
        draft = make_article(site, status=Article.Status.DRAFT)
        response = editor_client.post(change_url(draft), admin_form_data(draft, _workflow="publish"))
        assert response.status_code == 200
        assert "Only a senior editor" in response.content.decode() or "只有高级编辑" in response.content.decode()
        draft.refresh_from_db()
        assert draft.status == Article.Status.DRAFT

    def test_scheduling_is_not_theirs(self, editor_client, site):
        draft = make_article(site, status=Article.Status.DRAFT)
        before = draft.publish_at
        data = admin_form_data(draft, publish_at_0="2030-01-01", publish_at_1="08:00:00")
        assert editor_client.post(change_url(draft), data).status_code == 302
        draft.refresh_from_db()
        assert draft.publish_at == before

    def test_cannot_change_a_published_article(self, editor_client, site):
        article = make_article(site)
        response = editor_client.post(change_url(article), admin_form_data(article, title_en="Changed"))
        assert response.status_code == 403
        article.refresh_from_db()
        assert article.title_en != "Changed"
        page = editor_client.get(change_url(article))
        assert page.status_code == 200  # may still read it, with no buttons that would fail
        assert 'name="_workflow"' not in page.content.decode()

    def test_publish_actions_are_not_offered_or_accepted(self, editor_client, site):
        draft = make_article(site, status=Article.Status.REVIEW)
        page = editor_client.get("/admin/news/article/").content.decode()
        assert "workflow_review" in page and "workflow_publish" not in page
        editor_client.post("/admin/news/article/", {"action": "workflow_publish", "_selected_action": [draft.pk]})
        draft.refresh_from_db()
        assert draft.status == Article.Status.REVIEW

    def test_cannot_delete(self, editor_client, site):
        draft = make_article(site, status=Article.Status.DRAFT)
        assert editor_client.post(f"/admin/news/article/{draft.pk}/delete/", {"post": "yes"}).status_code == 403
        assert Article.objects.filter(pk=draft.pk).exists()


class TestSeniorEditor:
    def test_publishes_with_the_button_as_of_now(self, senior_client, site):
        draft = make_article(site, status=Article.Status.REVIEW, publish_at=timezone.now() - timedelta(days=3))
        response = senior_client.post(change_url(draft), admin_form_data(draft, _workflow="publish"))
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == Article.Status.PUBLISHED
        assert timezone.now() - draft.publish_at < timedelta(minutes=1)
        assert draft.is_published()

    def test_a_future_time_schedules(self, senior_client, site):
        draft = make_article(site, status=Article.Status.REVIEW)
        data = admin_form_data(draft, publish_at_0="2031-05-01", publish_at_1="09:30:00", _workflow="publish")
        assert senior_client.post(change_url(draft), data).status_code == 302
        draft.refresh_from_db()
        assert draft.status == Article.Status.PUBLISHED
        assert draft.publish_at.isoformat() == "2031-05-01T01:30:00+00:00"  # entered in Beijing time
        assert not Article.objects.published().filter(pk=draft.pk).exists()
        page = senior_client.get("/admin/news/article/", headers={"accept-language": "en"}).content.decode()
        assert "Scheduled for" in page

    def test_list_actions_publish_unpublish_and_archive_with_a_version_each(self, senior_client, site):
        article = make_article(site, status=Article.Status.REVIEW)
        for action, status in [
            ("workflow_publish", "published"),
            ("workflow_unpublish", "draft"),
            ("workflow_publish", "published"),
            ("workflow_archive", "archived"),
        ]:
            senior_client.post("/admin/news/article/", {"action": action, "_selected_action": [article.pk]})
            article.refresh_from_db()
            assert article.status == status
        versions = Version.objects.get_for_object(article)
        assert versions.count() == 4
        assert versions.first().revision.user == senior_client.user

    def test_an_article_published_again_keeps_the_date_readers_knew(self, senior_client, site):
        known = (timezone.now() - timedelta(days=40)).replace(microsecond=0)
        article = make_article(site, publish_at=known)
        assert article.first_published_at == known
        for button in ("unpublish", "publish"):
            article.refresh_from_db()
            assert (
                senior_client.post(change_url(article), admin_form_data(article, _workflow=button)).status_code == 302
            )
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED and article.publish_at == known
        # The list action too.
        for action in ("workflow_unpublish", "workflow_publish"):
            senior_client.post("/admin/news/article/", {"action": action, "_selected_action": [article.pk]})
        article.refresh_from_db()
        assert article.is_published() and article.publish_at == known

    def test_publish_as_of_now_is_an_explicit_choice(self, senior_client, site):
        article = make_article(site, status=Article.Status.DRAFT, publish_at=timezone.now() - timedelta(days=40))
        article.first_published_at = article.publish_at
        article.save()
        data = admin_form_data(article, _workflow="publish", publish_as_of_now="on")
        assert senior_client.post(change_url(article), data).status_code == 302
        article.refresh_from_db()
        assert timezone.now() - article.publish_at < timedelta(minutes=1)

    def test_a_typed_past_publish_time_is_kept(self, senior_client, site):
        draft = make_article(site, status=Article.Status.REVIEW)
        data = admin_form_data(draft, publish_at_0="2026-03-01", publish_at_1="08:00:00", _workflow="publish")
        assert senior_client.post(change_url(draft), data).status_code == 302
        draft.refresh_from_db()
        assert draft.publish_at.isoformat() == "2026-03-01T00:00:00+00:00"
        assert draft.first_published_at == draft.publish_at

    def test_editors_are_not_offered_publish_as_of_now(self, editor_client, site):
        draft = make_article(site, status=Article.Status.DRAFT)
        assert 'name="publish_as_of_now"' not in editor_client.get(change_url(draft)).content.decode()

    def test_the_buttons_follow_the_status(self, senior_client, site):
        published = make_article(site)
        page = senior_client.get(change_url(published)).content.decode()
        assert set(re.findall(r'name="_workflow" value="(\w+)"', page)) == {"unpublish", "archive"}
        draft = make_article(site, status=Article.Status.DRAFT)
        page = senior_client.get(change_url(draft)).content.decode()
        assert set(re.findall(r'name="_workflow" value="(\w+)"', page)) == {"review", "publish"}
        response = senior_client.post(change_url(draft), admin_form_data(draft, _workflow="archive"), headers=EN)
        assert response.status_code == 200 and "does not apply" in response.content.decode()
        draft.refresh_from_db()
        assert draft.status == Article.Status.DRAFT

    def test_publishing_an_incomplete_article_is_refused_with_the_reason(self, senior_client, site):
        article = make_article(site, status=Article.Status.DRAFT, languages=())
        article.title_zh_hans = "只有标题"
        article.save()
        response = senior_client.post(
            "/admin/news/article/", {"action": "workflow_publish", "_selected_action": [article.pk]}, follow=True
        )
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert "只有标题" in response.content.decode()

    def test_the_list_shows_who_changed_what(self, senior_client, site):
        article = make_article(site, status=Article.Status.DRAFT)
        senior_client.post(
            change_url(article),
            admin_form_data(article, title_en="New English title"),
            headers={"accept-language": "en"},  # reversion keeps the message in the saver's language
        )
        page = senior_client.get("/admin/news/article/", headers={"accept-language": "en"}).content.decode()
        assert "senior" in page  # updated by
        assert "Changed" in page and "English" in page  # what: the change message of the last version


class TestScheduling:
    """Publishing and unpublishing times take effect by themselves: no cron, no worker."""

    def test_edges_with_a_frozen_clock(self, site):
        start = timezone.now().replace(microsecond=0) + timedelta(days=1)
        article = make_article(site, publish_at=start, unpublish_at=start + timedelta(hours=2))

        def public_at(moment):
            with mock.patch("django.utils.timezone.now", return_value=moment):
                return Article.objects.public("en").filter(pk=article.pk).exists()

        assert not public_at(start - timedelta(seconds=1))
        assert public_at(start)  # due at the second
        assert public_at(start + timedelta(hours=2) - timedelta(seconds=1))
        assert not public_at(start + timedelta(hours=2))  # gone at the second

    def test_a_scheduled_article_appears_on_the_site_when_due(self, client, site):
        start = timezone.now() + timedelta(hours=1)
        make_article(site, title_en="Signing tomorrow", publish_at=start)
        assert "Signing tomorrow" not in client.get("/en/").content.decode()
        with mock.patch("django.utils.timezone.now", return_value=start + timedelta(seconds=1)):
            assert "Signing tomorrow" in client.get("/en/").content.decode()


def test_a_site_administrator_reads_articles_but_does_not_edit_them(client, site):
    client.force_login(make_staff("Site administrator"))
    article = make_article(site, status=Article.Status.DRAFT)
    assert client.get(change_url(article)).status_code == 200
    assert client.post(change_url(article), admin_form_data(article)).status_code == 403
    assert client.get("/admin/news/column/").status_code == 200
