"""The metadata inline of the article editor: shown for policy columns only, checked before
anything is saved when a policy is published, in the admin's language."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from news.models import Article
from news.policies.models import DocumentMeta, DocumentRelation
from tests.factories import (
    admin_form_data,
    foreign_trade_topic,
    make_article,
    make_issuer,
    make_policy,
    make_staff,
    policy_column,
)

pytestmark = pytest.mark.django_db

INLINE_EMPTY = {
    "document-TOTAL_FORMS": "1",
    "document-INITIAL_FORMS": "0",
    "document-MIN_NUM_FORMS": "0",
    "document-MAX_NUM_FORMS": "1",
    "document-0-english_status": "reference",
    "document-0-needs_interpretation": "on",
    "document_relations-TOTAL_FORMS": "0",
    "document_relations-INITIAL_FORMS": "0",
}


@pytest.fixture
def senior(client):
    user = make_staff("Senior editor")
    client.force_login(user)
    return client


def metadata(issuer, **overrides):
    return {
        **INLINE_EMPTY,
        "document-0-lead_issuer": issuer.pk,
        "document-0-topic": foreign_trade_topic().pk,
        "document-0-document_number": "吉政发（2025）7号",
        "document-0-written_date": "2025-04-02",
        "document-0-genre": "programme",
        **overrides,
    }


def change(client, article, data):
    with translation.override("zh-hans"):
        return client.post(f"/admin/news/article/{article.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_the_inline_is_shown_for_policy_columns_only(senior, column):
    policy = make_article(policy_column(), status=Article.Status.DRAFT)
    news = make_article(column, status=Article.Status.DRAFT)
    assert b'id="document-group"' in senior.get(f"/admin/news/article/{policy.pk}/change/").content
    assert b'id="document-group"' not in senior.get(f"/admin/news/article/{news.pk}/change/").content
    assert b'id="document-group"' in senior.get(f"/admin/news/article/add/?column={policy.column_id}").content
    assert b'id="document-group"' not in senior.get(f"/admin/news/article/add/?column={column.pk}").content


def test_publishing_without_metadata_is_refused_in_chinese_and_saves_nothing(senior):
    article = make_article(policy_column(), status=Article.Status.DRAFT)
    response = change(senior, article, {**admin_form_data(article), **INLINE_EMPTY, "_workflow": "publish"})
    assert response.status_code == 200
    assert "政策文件须填写元数据后才能发布" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not DocumentMeta.objects.exists()


def test_an_incomplete_inline_names_each_missing_field(senior):
    article = make_article(policy_column(), status=Article.Status.DRAFT)
    data = {**admin_form_data(article), **metadata(make_issuer()), "_workflow": "publish"}
    data["document-0-topic"] = ""
    response = change(senior, article, data)
    page = response.content.decode()
    assert "请选择文件的主题分类。" in page
    assert not DocumentMeta.objects.exists()
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_publishing_with_metadata_saves_it_normalised_and_numbers_it(senior):
    article = make_article(policy_column(), status=Article.Status.DRAFT)
    issuer = make_issuer(org_code="112200000000000001")
    response = change(senior, article, {**admin_form_data(article), **metadata(issuer), "_workflow": "publish"})
    assert response.status_code == 302, response.content.decode()[:3000]
    meta = DocumentMeta.objects.get(article=article)
    assert meta.document_number == "吉政发〔2025〕7号"
    assert meta.index_number == f"112200000000000001/{Article.objects.get(pk=article.pk).publish_at.year}-00001"


def test_a_draft_saves_without_metadata(senior):
    article = make_article(policy_column(), status=Article.Status.DRAFT)
    response = change(senior, article, {**admin_form_data(article), **INLINE_EMPTY})
    assert response.status_code == 302


def test_moving_an_article_into_a_policy_column_while_publishing_is_refused(senior, column):
    article = make_article(column, status=Article.Status.DRAFT)
    policies = policy_column()
    response = change(senior, article, {**admin_form_data(article), "column": policies.pk, "_workflow": "publish"})
    assert "政策文件须填写元数据后才能发布" in response.content.decode()
    assert Article.objects.get(pk=article.pk).column_id == column.pk


def interpretation_column():
    from tests.factories import make_column

    return make_column("interpretations", kind="interpretation", name_zh_hans="政策解读", name_en="Interpretations")


RELATIONS_EMPTY = {
    "document_relations-TOTAL_FORMS": "1",
    "document_relations-INITIAL_FORMS": "0",
    "document_relations-MIN_NUM_FORMS": "0",
    "document_relations-MAX_NUM_FORMS": "1000",
}


class TestInterpretations:
    def test_an_interpretation_is_not_published_without_naming_its_document(self, senior):
        article = make_article(interpretation_column(), status=Article.Status.DRAFT)
        page = senior.get(f"/admin/news/article/{article.pk}/change/").content.decode()
        assert 'id="document_relations-group"' in page and 'id="document-group"' not in page
        response = change(senior, article, {**admin_form_data(article), **RELATIONS_EMPTY, "_workflow": "publish"})
        assert "解读须与所解读的文件一同发布" in response.content.decode()
        assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT

    def test_named_it_is_published_and_both_pages_show_each_other(self, senior, client, site):
        from tests.factories import make_policy

        policy = make_policy(title_en="Measures to promote foreign investment")
        article = make_article(interpretation_column(), status=Article.Status.DRAFT, title_en="Questions and answers")
        data = {
            **admin_form_data(article),
            **RELATIONS_EMPTY,
            "document_relations-0-kind": "interprets",
            "document_relations-0-to_article": policy.pk,
            "_workflow": "publish",
        }
        response = change(senior, article, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        client.logout()
        interpretation_page = client.get(Article.objects.get(pk=article.pk).get_absolute_url("en")).text
        assert "Interprets:" in interpretation_page and policy.get_absolute_url("en") in interpretation_page
        policy_page = client.get(policy.get_absolute_url("en")).text
        assert "Interpreted by:" in policy_page and article.get_absolute_url("en") in policy_page
        zh = client.get(policy.get_absolute_url("zh-hans")).text
        assert "被解读" in zh

    def test_the_workflow_refuses_an_interpretation_naming_nothing(self):
        from django.core.exceptions import ValidationError

        from news import workflow

        article = make_article(interpretation_column(), status=Article.Status.DRAFT)
        with pytest.raises(ValidationError):
            workflow.apply(article, "publish", make_staff("Senior editor"))


@pytest.mark.parametrize("group", ["Editor", "Senior editor"])
@pytest.mark.parametrize("field", ["lead_issuer", "co_issuers", "topic"])
def test_editors_can_choose_issuers_and_topics_in_the_metadata_form(client, group, field):
    # The autocomplete widget asks the Issuer/TopicCategory admins, which answer 403 to whoever
    # may not view them: an editor could not fill the metadata that publishing requires.
    make_issuer()
    foreign_trade_topic()
    client.force_login(make_staff(group))
    response = client.get(
        "/admin/autocomplete/", {"app_label": "policies", "model_name": "documentmeta", "field_name": field}
    )
    assert response.status_code == 200
    assert response.json()["results"]


def test_site_administrators_keep_the_issuers(client):
    client.force_login(make_staff("Site administrator"))
    assert client.get("/admin/policies/issuer/add/").status_code == 200
    assert client.get("/admin/policies/topiccategory/").status_code == 200


class TestLoopsInOneForm:
    """Relations that must not loop (repeals, replaces, amends), saved through the related
    documents inline. Every row of one article's inline starts at that article, so a loop made
    of new rows alone would have to come back to it through saved relations: each row's check
    against the saved graph sees it, and the whole form is refused. What the rows' checks
    cannot see is another relation validated at the same moment; ``DocumentRelation.save``
    checks again under a lock (tested below through the model, as two requests would)."""

    def rows(self, *rows):
        data = {"document_relations-TOTAL_FORMS": str(len(rows)), "document_relations-INITIAL_FORMS": "0"}
        for number, (kind, target) in enumerate(rows):
            data[f"document_relations-{number}-kind"] = kind
            data[f"document_relations-{number}-to_article"] = target.pk
        return data

    def test_two_new_rows_one_closing_a_loop_save_neither(self, senior):
        article = make_article(policy_column(), status=Article.Status.DRAFT, title_zh_hans="本文件")
        amended, repealing = make_policy(), make_policy(title_zh_hans="后文件")
        DocumentRelation.objects.create(from_article=repealing, to_article=article, kind="repeals")
        data = {
            **admin_form_data(article),
            **metadata(make_issuer()),
            **self.rows(("amends", amended), ("repeals", repealing)),
        }
        response = change(senior, article, data)
        assert response.status_code == 200
        assert "这会形成循环" in response.content.decode()
        assert list(DocumentRelation.objects.values_list("from_article", "to_article")) == [(repealing.pk, article.pk)]
        assert not DocumentMeta.objects.filter(article=article).exists()

    def test_two_relations_validated_at_once_cannot_both_save(self):
        first, second = make_policy(), make_policy()
        one = DocumentRelation(from_article=first, to_article=second, kind="repeals")
        other = DocumentRelation(from_article=second, to_article=first, kind="amends")
        one.full_clean()
        other.full_clean()  # each is fine against the saved graph
        one.save()
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused, transaction.atomic():
            other.save()
        assert "这会形成循环" in str(refused.value)
        assert list(DocumentRelation.objects.values_list("from_article", "to_article")) == [(first.pk, second.pk)]
