"""The policy documents' actions on the article list ("repealed by…", "amended by…", "set
validity by hand…") and "Add interpretation" on a policy document's change page: each picks on
a page of its own, changes all or nothing, keeps a version on every document it touches, says
refusals in the admin's language, and turns the page cache over with the save."""

import logging

import pytest
from django.test import Client
from django.utils import translation
from reversion.models import Version

from news import revisions
from news.models import Article, Column
from news.policies.models import DocumentMeta, DocumentRelation
from tests.factories import make_article, make_column, make_policy, make_staff

pytestmark = pytest.mark.django_db
LIST = "/admin/news/article/"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def senior():
    """A senior editor's own browser (``client`` stays an anonymous reader, served from the page cache)."""
    staff = Client()
    staff.force_login(make_staff("Senior editor"))
    return staff


def act(client, action, documents, **data):
    with translation.override("zh-hans"):
        return client.post(
            LIST,
            {"action": action, "_selected_action": [document.pk for document in documents], **data},
            follow=True,
            **ZH,
        )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def in_force(article):
    return article.pk in set(DocumentMeta.objects.in_force().values_list("article_id", flat=True))


def versions(article):
    return list(Version.objects.get_for_object(article).select_related("revision"))


class TestRepealedBy:
    def test_the_first_step_is_a_page_to_pick_the_other_document(self, senior):
        old = make_policy(title_zh_hans="旧办法")
        response = act(senior, "repealed_by", [old])
        page = response.content.decode()
        assert response.status_code == 200
        assert "将所选文件标记为已废止" in page and "旧办法" in page
        assert 'data-theme="admin-autocomplete"' in page and 'name="other"' in page
        assert not DocumentRelation.objects.exists()

    def test_the_picker_offers_policy_documents_found_by_their_number(self, senior, column):
        document = make_policy(title_zh_hans="招商方案", meta={"document_number": "吉政发〔2025〕7号"})
        make_article(column, title_zh_hans="关于吉政发〔2025〕7号的新闻")
        query = {"app_label": "policies", "model_name": "documentrelation", "term": "吉政发 2025 7"}
        picked = senior.get("/admin/autocomplete/", {**query, "field_name": "from_article"}).json()["results"]
        assert [row["id"] for row in picked] == [str(document.pk)]
        # The related documents inline (to_article) is left as it was: any article.
        inline = senior.get("/admin/autocomplete/", {**query, "field_name": "to_article"}).json()["results"]
        assert len(inline) == 2

    def test_it_repeals_every_chosen_document_flips_the_banner_and_the_cache_in_one_step(self, senior, client, site):
        old = make_policy(title_en="Old policy", title_zh_hans="旧办法")
        older = make_policy(title_en="Older policy", title_zh_hans="更旧的办法")
        new = make_policy(title_en="New policy", title_zh_hans="新办法")
        url = old.get_absolute_url("en")
        assert "In force" in client.get(url).text
        assert client.get(url).get("X-Page-Cache") == "hit"
        response = act(senior, "repealed_by", [old, older], apply="1", other=new.pk)
        assert messages_of(response) == ["2 个文件现已被废止，依据“新办法”。"]
        assert set(DocumentRelation.objects.values_list("from_article", "to_article", "kind")) == {
            (new.pk, old.pk, "repeals"),
            (new.pk, older.pk, "repeals"),
        }
        page = client.get(url)
        assert page.get("X-Page-Cache") == "miss"
        assert "Repealed on" in page.text and new.get_absolute_url("en") in page.text
        assert not in_force(old) and not in_force(older) and in_force(new)

    def test_one_version_on_both_sides_says_what_was_done(self, senior):
        old = make_policy(title_zh_hans="旧办法")
        new = make_policy(title_zh_hans="新办法")
        before = {article.pk: len(versions(article)) for article in (old, new)}
        act(senior, "repealed_by", [old], apply="1", other=new.pk)
        for article in (old, new):
            assert len(versions(article)) == before[article.pk] + 1
        newest = versions(old)[0].revision
        assert newest == versions(new)[0].revision
        with translation.override("zh-hans"):
            assert revisions.comment_text(newest.comment) == "“新办法”废止“旧办法”。"
        with translation.override("en"):
            assert revisions.comment_text(newest.comment) == "“新办法” repeals “旧办法”."

    def test_amended_by_leaves_it_in_force_as_amended(self, senior, client, site):
        old = make_policy(title_en="Old policy")
        new = make_policy(title_en="Amending policy")
        act(senior, "amended_by", [old], apply="1", other=new.pk)
        assert DocumentRelation.objects.filter(from_article=new, to_article=old, kind="amends").exists()
        assert "In force as amended" in client.get(old.get_absolute_url("en")).text


class TestRefused:
    """Every refusal changes nothing and says why, in Chinese in the Chinese admin."""

    def assert_refused(self, response, *words):
        assert response.status_code == 200
        (message,) = messages_of(response)
        assert message.startswith("未做任何更改：")
        for word in words:
            assert word in message

    def test_a_loop(self, senior):
        old = make_policy(title_zh_hans="旧办法")
        new = make_policy(title_zh_hans="新办法")
        DocumentRelation.objects.create(from_article=new, to_article=old, kind="repeals")
        response = act(senior, "repealed_by", [new], apply="1", other=old.pk)
        self.assert_refused(response, "新办法", "循环")
        assert DocumentRelation.objects.count() == 1

    def test_a_loop_on_one_of_several_changes_none(self, senior):
        first, second, third = (make_policy(title_zh_hans=f"文件{n}") for n in range(3))
        DocumentRelation.objects.create(from_article=third, to_article=second, kind="amends")
        versions_before = Version.objects.count()
        response = act(senior, "amended_by", [first, third], apply="1", other=second.pk)
        self.assert_refused(response, "文件2")
        assert DocumentRelation.objects.count() == 1
        assert Version.objects.count() == versions_before

    def test_a_document_repealing_itself(self, senior):
        old = make_policy()
        response = act(senior, "repealed_by", [old], apply="1", other=old.pk)
        self.assert_refused(response, "不能废止自身")
        assert not DocumentRelation.objects.exists()

    def test_an_editor_does_not_change_published_documents(self, client):
        client.force_login(make_staff("Editor"))
        old, new = make_policy(title_zh_hans="旧办法"), make_policy()
        response = act(client, "repealed_by", [old], apply="1", other=new.pk)
        self.assert_refused(response, "旧办法", "只能由主编修改")
        assert not DocumentRelation.objects.exists()

    def test_an_article_that_is_not_a_policy_document(self, senior, column):
        news = make_article(column, title_zh_hans="一则新闻")
        response = act(senior, "repealed_by", [news], apply="1", other=make_policy().pk)
        self.assert_refused(response, "“一则新闻”不是政策文件")
        assert not DocumentRelation.objects.exists()

    def test_the_other_document_must_be_a_policy_document(self, senior, column):
        response = act(senior, "repealed_by", [make_policy()], apply="1", other=make_article(column).pk)
        assert "请选择一份政策文件" in response.content.decode()
        assert not DocumentRelation.objects.exists()


class TestSetValidity:
    def test_the_reason_is_required_in_each_language_of_the_documents(self, senior):
        document = make_policy()
        response = act(senior, "set_validity_by_hand", [document], apply="1", validity="partially_in_force")
        page = response.content.decode()
        assert page.count("请说明人工设定有效性的理由（此语言也需填写）。") == 2
        assert DocumentMeta.objects.get(article=document).validity_override == ""

    def test_set_audited_shown_and_cleared(self, senior, client, site, caplog, django_capture_on_commit_callbacks):
        caplog.set_level(logging.INFO, logger="portal.audit")
        document = make_policy(title_en="Partly repealed policy")
        url = document.get_absolute_url("en")
        assert "In force" in client.get(url).text and client.get(url).get("X-Page-Cache") == "hit"
        with django_capture_on_commit_callbacks(execute=True):
            response = act(
                senior,
                "set_validity_by_hand",
                [document],
                apply="1",
                validity="partially_in_force",
                **{"reason_zh-hans": "第三条已停止执行", "reason_en": "Article 3 no longer applies"},
            )
        assert messages_of(response) == ["已更改 1 个文件的有效性。"]
        meta = DocumentMeta.objects.get(article=document)
        assert (meta.validity_override, meta.validity_reason_en) == (
            "partially_in_force",
            "Article 3 no longer applies",
        )
        page = client.get(url)
        assert page.get("X-Page-Cache") == "miss" and "Partially in force (Article 3 no longer applies)" in page.text
        (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("audit document.validity ")]
        assert f'article="{document.pk}"' in line and 'validity="partially_in_force"' in line and "第三条" in line
        with translation.override("zh-hans"):
            assert "人工设定有效性：部分失效" in revisions.comment_text(versions(document)[0].revision.comment)
        act(senior, "set_validity_by_hand", [document], apply="1", validity="")
        meta.refresh_from_db()
        assert (meta.validity_override, meta.validity_reason_en) == ("", "")
        assert "Partially" not in client.get(url).text

    def test_only_senior_editors_have_the_action(self, client):
        document = make_policy(status=Article.Status.DRAFT)
        client.force_login(make_staff("Editor"))
        assert "set_validity_by_hand" not in client.get(LIST).content.decode()
        act(client, "set_validity_by_hand", [document], apply="1", validity="expired", **{"reason_zh-hans": "x"})
        assert DocumentMeta.objects.get(article=document).validity_override == ""


def interpretation_column():
    return make_column("interpretations", kind=Column.Kind.INTERPRETATION, name_zh_hans="政策解读")


class TestAddInterpretation:
    def test_the_button_opens_a_new_interpretation_naming_the_document(self, senior, column):
        document = make_policy(title_zh_hans="旧办法")
        interpretations = interpretation_column()
        page = senior.get(f"/admin/news/article/{document.pk}/change/", **ZH).content.decode()
        button = f"/admin/news/article/{document.pk}/add-interpretation/"
        assert f'<a href="{button}">添加解读</a>' in page
        response = senior.get(button)
        assert response.url == f"/admin/news/article/add/?column={interpretations.pk}&interprets={document.pk}"
        form = senior.get(response.url, **ZH).content.decode()
        assert f'<option value="{interpretations.pk}" selected>' in form
        assert 'name="document_relations-0-kind"' in form
        assert '<option value="interprets" selected>' in form
        assert f'<option value="{document.pk}" selected>' in form
        # Not on a news article's page.
        news = make_article(column)
        assert (
            button.replace(str(document.pk), str(news.pk))
            not in senior.get(f"/admin/news/article/{news.pk}/change/").content.decode()
        )

    def test_without_an_interpretation_column_it_says_so(self, senior):
        document = make_policy()
        response = senior.get(f"/admin/news/article/{document.pk}/add-interpretation/", follow=True, **ZH)
        assert response.redirect_chain[-1][0] == f"/admin/news/article/{document.pk}/change/"
        assert any("还没有解读栏目" in message for message in messages_of(response))

    def test_not_for_staff_who_may_not_add_articles(self, client):
        document = make_policy()
        interpretation_column()
        client.force_login(make_staff("Enquiry officer"))
        assert client.get(f"/admin/news/article/{document.pk}/add-interpretation/").status_code == 403
