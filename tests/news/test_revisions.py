"""Versions: who saved each, comparing two, restoring one, the edit-conflict refusal, recovering a deletion."""

import re
from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from reversion.models import Version

from news.models import Article, Attachment
from news.revisions import comment_text, when
from tests.factories import admin_form_data, make_article

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
ZH = {"accept-language": "zh-hans"}


def change_url(article):
    return f"/admin/news/article/{article.pk}/change/"


def save(client, article, **changes):
    article.refresh_from_db()
    return client.post(change_url(article), admin_form_data(article, **changes), headers=EN)


@pytest.fixture
def draft(site):
    return make_article(site, status=Article.Status.DRAFT, title_en="First title", body_en="<p>First body</p>")


def test_every_save_keeps_a_version_with_its_author(senior_client, editor_client, draft):
    assert save(editor_client, draft, title_en="Second title").status_code == 302
    assert save(senior_client, draft, title_en="Third title").status_code == 302
    versions = list(Version.objects.get_for_object(draft).select_related("revision__user"))
    assert [v.revision.user.username for v in versions] == ["senior", "editor"]
    assert [v.field_dict["title_en"] for v in versions] == ["Third title", "Second title"]
    history = senior_client.get(f"/admin/news/article/{draft.pk}/history/", headers=EN).content.decode()
    assert "senior" in history and "editor" in history and "Compare the chosen versions" in history


def test_compare_two_versions_shows_what_changed(senior_client, draft):
    save(senior_client, draft, title_en="Old title", body_en="<p>Kept line</p><p>Old line</p>")
    save(senior_client, draft, title_en="New title", body_en="<p>Kept line</p><p>New line</p>")
    newer, older = Version.objects.get_for_object(draft)
    page = senior_client.get(
        f"/admin/news/article/{draft.pk}/history/compare/", {"a": newer.pk, "b": older.pk}, headers=EN
    ).content.decode()
    assert "<del>Old title</del>" in page and "<ins>New title</ins>" in page
    assert "<del>Old line</del>" in page and "<ins>New line</ins>" in page
    assert "<span>Kept line</span>" in page
    assert "title_zh_hans" not in page  # unchanged fields are left out
    assert "Title (English)" in page and "title_en" not in page  # labels, not field codes


def test_compare_shows_labels_beijing_time_and_statuses_in_chinese(senior_client, draft):
    save(senior_client, draft, title_en="Same")
    draft.refresh_from_db()
    data = admin_form_data(draft, publish_at_0="2026-12-01", publish_at_1="08:00:00", _workflow="review")
    assert senior_client.post(change_url(draft), data).status_code == 302
    newer, older = Version.objects.get_for_object(draft)[:2]
    page = senior_client.get(
        f"/admin/news/article/{draft.pk}/history/compare/", {"a": older.pk, "b": newer.pk}, headers=ZH
    ).content.decode()
    assert "<del>草稿</del>" in page and "<ins>待审核</ins>" in page
    assert "<ins>2026-12-01 08:00</ins>" in page  # Beijing time, to the minute
    assert "发布时间" in page and "publish_at" not in page


def test_compare_leaves_out_what_reads_the_same(senior_client, draft):
    # A publish time set by the server has seconds; the form keeps minutes. The same minute is no change.
    Article.objects.filter(pk=draft.pk).update(publish_at=datetime(2026, 12, 1, 0, 16, 39, tzinfo=UTC))
    save(senior_client, draft, title_en="Before")
    draft.refresh_from_db()
    data = admin_form_data(draft, title_en="After", publish_at_0="2026-12-01", publish_at_1="08:16")
    assert senior_client.post(change_url(draft), data).status_code == 302
    newer, older = Version.objects.get_for_object(draft)[:2]
    assert older.field_dict["publish_at"] != newer.field_dict["publish_at"]
    page = senior_client.get(
        f"/admin/news/article/{draft.pk}/history/compare/", {"a": older.pk, "b": newer.pk}, headers=ZH
    ).content.decode()
    assert "<ins>After</ins>" in page
    assert "发布时间" not in page


def test_compare_shows_entities_once_escaped(senior_client, draft):
    save(senior_client, draft, body_en="<p>R&amp;D centre</p>")
    save(senior_client, draft, body_en="<p>R&amp;D centre &lt;phase two&gt;</p>")
    newer, older = Version.objects.get_for_object(draft)
    page = senior_client.get(
        f"/admin/news/article/{draft.pk}/history/compare/", {"a": newer.pk, "b": older.pk}, headers=EN
    ).content.decode()
    assert "<ins>R&amp;D centre &lt;phase two&gt;</ins>" in page and "&amp;amp;" not in page


def test_compare_refuses_versions_of_another_article(senior_client, draft, site):
    other = make_article(site, status=Article.Status.DRAFT)
    save(senior_client, draft, title_en="A")
    save(senior_client, other, title_en="B")
    mine, theirs = Version.objects.get_for_object(draft).first(), Version.objects.get_for_object(other).first()
    url = f"/admin/news/article/{draft.pk}/history/compare/"
    assert senior_client.get(url, {"a": mine.pk, "b": theirs.pk}).status_code == 404


def test_restore_an_old_version(senior_client, draft):
    save(senior_client, draft, title_en="Good title", body_en="<p>Good body</p>")
    save(senior_client, draft, title_en="Broken title", body_en="<p>Broken body</p>")
    good = Version.objects.get_for_object(draft)[1]
    url = f"/admin/news/article/{draft.pk}/history/{good.pk}/"
    form_page = senior_client.get(url, headers=EN)
    assert form_page.status_code == 200 and "Good title" in form_page.content.decode()
    draft.refresh_from_db()
    assert draft.title_en == "Broken title"  # looking at a version changes nothing
    data = admin_form_data(draft, title_en="Good title", body_en="<p>Good body</p>")
    data["based_on"] = re.search(r'name="based_on" value="(\d+)"', form_page.content.decode()).group(1)
    response = senior_client.post(url, data, headers=EN)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_en == "Good title" and draft.body_en == "<p>Good body</p>"
    assert draft.lock_version == 3  # restoring is a new save: the number never goes back
    latest = Version.objects.get_for_object(draft).first().revision
    assert latest.user == senior_client.user
    with translation.override("en"):
        assert comment_text(latest.comment).startswith(
            f"Restored the version of {when(good.revision.date_created.isoformat())}"
        )
    with translation.override("zh-hans"):
        assert comment_text(latest.comment).startswith("恢复了")
        assert "保存后恢复此版本" not in comment_text(latest.comment)


def test_the_message_after_restoring_says_which_version_came_back(senior_client, draft):
    save(senior_client, draft, title_en="Good title")
    save(senior_client, draft, title_en="Broken title")
    good = Version.objects.get_for_object(draft)[1]
    url = f"/admin/news/article/{draft.pk}/history/{good.pk}/"
    form_page = senior_client.get(url, headers=ZH)
    draft.refresh_from_db()
    data = admin_form_data(draft, title_zh_hans=good.field_dict["title_zh_hans"], title_en="Good title")
    data["based_on"] = re.search(r'name="based_on" value="(\d+)"', form_page.content.decode()).group(1)
    page = senior_client.post(url, data, headers=ZH, follow=True).content.decode()
    assert f"：恢复了 {when(good.revision.date_created.isoformat())} 的版本。</li>" in page
    assert "成功修改" not in page


def test_the_message_after_restoring_quotes_a_long_title_shortened(senior_client, draft):
    long_title = "Jilin " + "investment promotion " * 11  # 237 characters: the field allows 255
    save(senior_client, draft, title_en=long_title)
    save(senior_client, draft, title_en="Short title")
    old = Version.objects.get_for_object(draft)[1]
    url = f"/admin/news/article/{draft.pk}/history/{old.pk}/"
    form_page = senior_client.get(url, headers=ZH)
    draft.refresh_from_db()
    data = admin_form_data(draft, title_en=long_title)
    data["based_on"] = re.search(r'name="based_on" value="(\d+)"', form_page.content.decode()).group(1)
    page = senior_client.post(url, data, headers=ZH, follow=True).content.decode()
    message = re.search(r'<li class="success">(.*?)</li>', page, re.S).group(1)
    assert message.startswith("“Jilin investment promotion") and "...”：恢复了" in message  # Django's Chinese ellipsis
    assert len(message) < 120 and long_title not in message


def test_restoring_keeps_a_live_article_on_the_site(senior_client, site):
    # The first saved version is a draft; the article is published afterwards.
    draft = make_article(site, status=Article.Status.DRAFT, title_en="Draft title")
    save(senior_client, draft, title_en="Draft title")
    draft.refresh_from_db()
    assert senior_client.post(change_url(draft), admin_form_data(draft, _workflow="review")).status_code == 302
    draft.refresh_from_db()
    assert senior_client.post(change_url(draft), admin_form_data(draft, _workflow="publish")).status_code == 302
    draft.refresh_from_db()
    published_at = draft.publish_at
    draft_version = Version.objects.get_for_object(draft).last()
    assert draft_version.field_dict["status"] == "draft"
    url = f"/admin/news/article/{draft.pk}/history/{draft_version.pk}/"
    form_page = senior_client.get(url, headers=EN).content.decode()
    assert "stays “Published”" in form_page
    data = admin_form_data(draft, title_en="Draft title", status="draft")  # even a crafted old status
    data["based_on"] = re.search(r'name="based_on" value="(\d+)"', form_page).group(1)
    assert senior_client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and draft.publish_at == published_at and draft.is_published()
    assert draft.first_published_at is not None


class TestEditConflict:
    def test_the_second_save_is_refused_naming_who_saved_in_between(self, senior_client, editor_client, draft):
        # Both open the article at the same version.
        opened_by_editor = admin_form_data(draft, title_en="Editor's title")
        assert save(senior_client, draft, title_en="Senior's title").status_code == 302
        response = editor_client.post(change_url(draft), opened_by_editor, headers=EN)
        assert response.status_code == 200
        page = response.content.decode()
        assert "senior saved this article at" in page
        assert "copy your changes" in page
        draft.refresh_from_db()
        assert draft.title_en == "Senior's title"  # nothing overwritten

    def test_saving_again_from_a_fresh_form_works(self, senior_client, draft):
        assert save(senior_client, draft, title_en="One").status_code == 302
        assert save(senior_client, draft, title_en="Two").status_code == 302
        draft.refresh_from_db()
        assert draft.title_en == "Two" and draft.lock_version == 2

    def test_a_workflow_action_in_between_also_counts(self, senior_client, draft):
        stale = admin_form_data(draft, title_en="Stale")
        senior_client.post("/admin/news/article/", {"action": "workflow_review", "_selected_action": [draft.pk]})
        assert senior_client.post(change_url(draft), stale, headers=EN).status_code == 200
        draft.refresh_from_db()
        assert draft.title_en == "First title" and draft.status == Article.Status.REVIEW


def test_delete_asks_for_confirmation_and_can_be_recovered(senior_client, draft):
    attachment = Attachment(article=draft, title_en="Annex", size=4)
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.7"), save=False)
    attachment.save()
    save(
        senior_client,
        draft,
        title_en="Keep me",
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "1",
            "attachments-0-id": attachment.pk,
            "attachments-0-article": draft.pk,
            "attachments-0-title_en": "Annex",
            "attachments-0-title_zh_hans": "",
            "attachments-0-order": "0",
        },
    )
    url = f"/admin/news/article/{draft.pk}/delete/"
    confirm = senior_client.get(url, headers=EN)
    assert confirm.status_code == 200 and "Are you sure" in confirm.content.decode()
    assert "Recycle bin" in confirm.content.decode()  # says how to undo
    assert Article.objects.filter(pk=draft.pk).exists()  # asking deletes nothing
    assert senior_client.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=draft.pk).exists()
    recover_list = senior_client.get("/admin/news/article/recover/", headers=EN).content.decode()
    assert "Keep me" in recover_list or "中文标题" in recover_list
    deleted = Version.objects.get_deleted(Article).first()
    page = senior_client.get(f"/admin/news/article/recover/{deleted.pk}/", headers=EN)
    assert page.status_code == 200
    data = admin_form_data(
        Article(**{k: v for k, v in deleted.field_dict.items() if k not in ("tags", "further_columns")})
    )
    assert senior_client.post(f"/admin/news/article/recover/{deleted.pk}/", data).status_code == 302
    restored = Article.objects.get(pk=draft.pk)
    assert restored.title_en == "Keep me"
    assert restored.attachments.get().title_en == "Annex"  # with its attachments


class TestRecycleBin:
    def test_deleted_articles_by_title_restored_in_one_click(self, senior_client, editor_client, draft):
        senior_client.user.last_name, senior_client.user.first_name = "李", "主编"
        senior_client.user.save()
        title = str(draft)
        assert senior_client.post(f"/admin/news/article/{draft.pk}/delete/", {"post": "yes"}).status_code == 302
        assert (
            "回收站"
            in senior_client.get("/admin/news/article/", headers={"accept-language": "zh-hans"}).content.decode()
        )
        bin_page = senior_client.get("/admin/news/article/recover/", headers={"accept-language": "zh-hans"})
        page = bin_page.content.decode()
        assert "回收站" in page and title in page and "李主编" in page
        deleted = Version.objects.get_deleted(Article).first()
        response = senior_client.post(f"/admin/news/article/recover/{deleted.pk}/restore/", follow=True, headers=EN)
        assert "is back from the recycle bin" in response.content.decode()
        restored = Article.objects.get(pk=draft.pk)
        assert restored.title_zh_hans == draft.title_zh_hans and restored.status == draft.status
        with translation.override("en"):
            assert comment_text(Version.objects.get_for_object(restored).first().revision.comment) == (
                "Restored from the recycle bin."
            )
        assert "There are no" not in page
        assert not Version.objects.get_deleted(Article).exists()

    def test_editors_do_not_recover_deletions(self, editor_client, senior_client, draft):
        senior_client.post(f"/admin/news/article/{draft.pk}/delete/", {"post": "yes"})
        deleted = Version.objects.get_deleted(Article).first()
        assert editor_client.get("/admin/news/article/recover/").status_code == 403
        assert editor_client.get(f"/admin/news/article/recover/{deleted.pk}/").status_code == 403
        assert editor_client.post(f"/admin/news/article/recover/{deleted.pk}/restore/").status_code == 403
        assert "recoverlink" not in editor_client.get("/admin/news/article/").content.decode()
        assert not Article.objects.filter(pk=draft.pk).exists()


class TestHistorySaysWhatHappened:
    """Workflow steps are recorded as steps, stored language-neutral, read in the reader's language."""

    def history(self, client, article, language):
        return client.get(f"/admin/news/article/{article.pk}/history/", headers={"accept-language": language})

    def test_each_step_with_the_person_in_both_languages(self, senior_client, editor_client, site):
        editor = editor_client.user
        editor.last_name, editor.first_name = "王", "小明"
        editor.save()
        senior = senior_client.user
        senior.last_name, senior.first_name = "李", "主编"
        senior.save()
        draft = make_article(site, status=Article.Status.DRAFT)
        response = editor_client.post(
            change_url(draft), admin_form_data(draft, _workflow="review"), follow=True, headers=EN
        )
        assert "Submitted for review." in response.content.decode()
        assert "changed successfully" not in response.content.decode()
        draft.refresh_from_db()
        data = admin_form_data(draft, _workflow="draft", review_comment="英文摘要还没有写。")
        assert senior_client.post(change_url(draft), data).status_code == 302
        draft.refresh_from_db()
        editor_client.post(change_url(draft), admin_form_data(draft, title_en="New English title", _workflow="review"))
        draft.refresh_from_db()
        data = admin_form_data(draft, publish_at_0="2031-05-01", publish_at_1="09:30:00", _workflow="publish")
        response = senior_client.post(change_url(draft), data, follow=True)
        assert "定时发布：2031-05-01 09:30" in response.content.decode()
        draft.refresh_from_db()
        senior_client.post(change_url(draft), admin_form_data(draft, _workflow="unpublish"))
        english = self.history(senior_client, draft, "en").content.decode()
        for text in (
            "Submitted for review.",
            "Sent back: 英文摘要还没有写。",
            "Changed title (English).",
            "Scheduled for 2031-05-01 09:30.",
            "Unpublished.",
            "王小明",
            "李主编",
        ):
            assert text in english, text
        assert "No fields changed" not in english and "Changed Publish at" not in english
        chinese = self.history(senior_client, draft, "zh-hans").content.decode()
        for text in (
            "已提交审核。",
            "已退回：英文摘要还没有写。",
            "已提交审核。修改了标题（英文）。",  # no space between Chinese sentences
            "定时发布：2031-05-01 09:30。",
            "已撤下。",
            "李主编",
        ):
            assert text in chinese, text
        assert "主编 李" not in chinese

    def test_review_comments_ending_a_sentence_get_no_second_full_stop(self, senior_client, site):
        article = make_article(site, status=Article.Status.REVIEW, title_zh_hans="招商稿件")
        data = admin_form_data(article, _workflow="draft", review_comment="请补充英文摘要。")
        response = senior_client.post(change_url(article), data, follow=True, headers={"accept-language": "zh-hans"})
        assert "“招商稿件”：已退回：请补充英文摘要。</li>" in response.content.decode()
        chinese = self.history(senior_client, article, "zh-hans").content.decode()
        assert "已退回：请补充英文摘要。" in chinese and "。。" not in chinese
        question = make_article(site, status=Article.Status.REVIEW)
        data = admin_form_data(question, _workflow="draft", review_comment="Where is the summary?")
        senior_client.post(change_url(question), data)
        with translation.override("en"):
            comment = Version.objects.get_for_object(question).first().revision.comment
            assert comment_text(comment) == "Sent back: Where is the summary?"

    def test_list_actions_record_steps_too(self, senior_client, site):
        article = make_article(site, status=Article.Status.REVIEW)
        senior_client.post("/admin/news/article/", {"action": "workflow_publish", "_selected_action": [article.pk]})
        with translation.override("zh-hans"):
            assert comment_text(Version.objects.get_for_object(article).first().revision.comment) == "已发布。"
