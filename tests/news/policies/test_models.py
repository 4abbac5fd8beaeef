"""Document metadata: index numbers given at the first publication from a counter per issuer and
year that never goes backwards; document numbers stored one way and unique per lead issuer;
publishing refused without the metadata."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from news import workflow
from news.models import Article
from news.policies.models import DocumentMeta, IndexSerial
from tests.factories import foreign_trade_topic, make_article, make_issuer, make_policy, make_staff, policy_column

pytestmark = pytest.mark.django_db


@pytest.fixture
def issuer():
    return make_issuer(org_code="000014349", short_name="国发")


def test_the_index_number_is_given_at_the_first_publication_only(issuer):
    draft = make_policy(status=Article.Status.DRAFT, meta={"lead_issuer": issuer})
    assert draft.document.index_number == ""
    senior = make_staff("Senior editor")
    workflow.apply(draft, "publish", senior)
    draft.document.refresh_from_db()
    year = draft.publish_at.year
    assert draft.document.index_number == f"000014349/{year}-00001"
    # Unpublished and published again: the same number.
    workflow.apply(draft, "unpublish", senior)
    workflow.apply(draft, "publish", senior)
    draft.document.refresh_from_db()
    assert draft.document.index_number == f"000014349/{year}-00001"


def test_serials_count_per_issuer_and_year_and_never_go_back(issuer):
    first = make_policy(meta={"lead_issuer": issuer})
    second = make_policy(meta={"lead_issuer": issuer})
    other = make_policy()
    year = first.publish_at.year
    assert first.document.index_number.endswith(f"/{year}-00001")
    assert second.document.index_number.endswith(f"/{year}-00002")
    assert other.document.index_number.endswith(f"/{year}-00001")
    second.delete()
    # A deleted document leaves a gap, as official catalogues do.
    assert make_policy(meta={"lead_issuer": issuer}).document.index_number.endswith(f"/{year}-00003")


def test_a_number_carried_over_by_hand_moves_the_counter_up_never_down(issuer):
    make_policy(meta={"lead_issuer": issuer, "index_number": "000014349/2017-00156"})
    assert IndexSerial.objects.get(issuer=issuer, year=2017).last == 156
    make_policy(meta={"lead_issuer": issuer, "index_number": "000014349/2017-00010"})
    assert IndexSerial.objects.get(issuer=issuer, year=2017).last == 156


def test_the_document_number_is_stored_in_its_standard_spelling(issuer):
    article = make_policy(meta={"lead_issuer": issuer, "document_number": "国发[2017]39号"})
    assert article.document.document_number == "国发〔2017〕39号"


def test_a_document_number_is_unique_per_lead_issuer(issuer):
    make_policy(meta={"lead_issuer": issuer, "document_number": "国发〔2017〕39号"})
    # Another issuer may use the same number; "无" (no number) repeats freely.
    make_policy(meta={"document_number": "国发〔2017〕39号"})
    make_policy(meta={"lead_issuer": issuer, "document_number": "无"})
    make_policy(meta={"lead_issuer": issuer, "document_number": "无"})
    article = make_article(policy_column_or_existing())
    meta = DocumentMeta(
        article=article,
        lead_issuer=issuer,
        topic=foreign_trade_topic(),
        document_number="国发（2017）39号",
        written_date=date(2017, 8, 8),
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        meta.full_clean()
    assert "该发文机关已有此文号的文件。" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        meta.save()


def policy_column_or_existing():
    from news.models import Column

    return Column.objects.filter(kind=Column.Kind.POLICY).first() or policy_column()


def test_dates_must_follow_each_other(issuer):
    meta = make_policy(meta={"lead_issuer": issuer}).document
    meta.effective_date = date(2025, 5, 1)
    meta.expiry_date = date(2025, 4, 30)
    with pytest.raises(ValidationError) as refused:
        meta.full_clean()
    assert set(refused.value.error_dict) == {"expiry_date"}


class TestPublishingNeedsTheMetadata:
    def test_the_workflow_refuses_a_policy_without_metadata_in_the_users_language(self):
        article = make_article(policy_column(), status=Article.Status.DRAFT)
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            workflow.apply(article, "publish", make_staff("Senior editor"))
        assert "政策文件须填写元数据后才能发布" in " ".join(refused.value.messages)
        assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT

    def test_the_workflow_names_each_missing_field(self, issuer):
        article = make_policy(status=Article.Status.DRAFT, meta={"lead_issuer": issuer})
        DocumentMeta.objects.filter(article=article).update(topic=None, document_number="", written_date=None)
        with translation.override("en"):
            with pytest.raises(ValidationError) as refused:
                workflow.apply(article, "publish", make_staff("Senior editor"))
            assert refused.value.messages == [
                "Choose the document's topic.",
                "Give the date the document was written.",
                "Give the document number, or write 无 if it has none.",
            ]
        assert not DocumentMeta.objects.get(article=article).index_number

    def test_a_republished_document_names_its_source(self, issuer):
        article = make_policy(status=Article.Status.DRAFT, meta={"lead_issuer": issuer, "is_republished": True})
        Article.objects.filter(pk=article.pk).update(source_url="", source_zh_hans="", source_en="")
        article.refresh_from_db()
        with pytest.raises(ValidationError):
            workflow.apply(article, "publish", make_staff("Senior editor"))
        article = Article.objects.get(pk=article.pk)
        assert article.status == Article.Status.DRAFT
        article.source_zh_hans = "中国政府网"
        article.source_url = "https://www.gov.cn/zhengce/content/2017-08/16/content_5218057.htm"
        article.save()
        workflow.apply(article, "publish", make_staff("Senior editor"))

    def test_articles_of_other_columns_publish_as_before(self, column):
        article = make_article(column, status=Article.Status.DRAFT)
        workflow.apply(article, "publish", make_staff("Senior editor"))
        assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_a_number_another_document_holds_is_skipped_not_a_crash(issuer):
    # Stored for another issuer's document (an import, or saved before the form checked it), the
    # next serial of this issuer was taken again: IntegrityError, a 500 in the admin.
    other = make_issuer(org_code="011220099")
    year = make_policy(meta={"lead_issuer": issuer}).publish_at.year
    make_policy(meta={"lead_issuer": issuer, "index_number": f"011220099/{year}-00001"})
    assert make_policy(meta={"lead_issuer": other}).document.index_number == f"011220099/{year}-00002"


def test_a_typed_index_number_must_begin_with_the_issuers_code(issuer):
    meta = DocumentMeta(
        article=make_article(policy_column()),
        lead_issuer=issuer,
        topic=foreign_trade_topic(),
        index_number="011220099/2025-00001",
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        meta.clean()
    assert "000014349" in str(refused.value.message_dict["index_number"])


class TestCorrection:
    """Rule 2: a document number is unique per lead issuer unless the later one is a correction (更正)."""

    def meta(self, issuer, **fields):
        return DocumentMeta(
            article=make_article(policy_column_or_existing()),
            lead_issuer=issuer,
            topic=foreign_trade_topic(),
            document_number="吉政发[2025]7号",
            written_date=date(2025, 4, 2),
            **fields,
        )

    def test_a_duplicate_is_refused_in_the_form_and_by_the_database(self, issuer):
        make_policy(meta={"lead_issuer": issuer, "document_number": "吉政发〔2025〕7号"})
        duplicate = self.meta(issuer)
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            duplicate.full_clean()
        assert "如本文件是对其的更正，请勾选“更正”" in str(refused.value)
        with pytest.raises(IntegrityError), transaction.atomic():
            duplicate.save()
        assert DocumentMeta.objects.filter(document_number="吉政发〔2025〕7号").count() == 1

    def test_a_correction_keeps_the_number_in_the_form_and_in_the_database(self, issuer):
        original = make_policy(meta={"lead_issuer": issuer, "document_number": "吉政发〔2025〕7号"})
        correction = self.meta(issuer, is_correction=True)
        correction.full_clean()
        correction.save()
        numbers = DocumentMeta.objects.filter(lead_issuer=issuer).values_list("article_id", "document_number")
        assert sorted(numbers) == [
            (original.pk, "吉政发〔2025〕7号"),
            (correction.article_id, "吉政发〔2025〕7号"),
        ]
        # The correction does not free the number for a third, unmarked document.
        with pytest.raises(ValidationError):
            self.meta(issuer).full_clean()
