"""Policy metadata and relations through JSON Lines: exported, imported into an empty database
the same, and a published policy without metadata refused per line."""

import json

import pytest

from news import transfer
from news.models import Article
from news.policies.models import DocumentMeta, DocumentRelation, Issuer
from tests.factories import make_issuer, make_policy, policy_column

pytestmark = pytest.mark.django_db


def test_export_then_import_into_an_empty_database_keeps_metadata_and_relations(tmp_path):
    state = make_issuer(org_code="000014349", slug="state-council")
    joint = make_issuer(org_code="000014350", slug="commerce")
    old = make_policy(meta={"lead_issuer": state, "index_number": "000014349/2017-00156", "document_number": "国发〔2017〕39号",
                            "keywords_zh_hans": "外资", "expiry_date": None})  # fmt: skip
    old.document.co_issuers.add(joint)
    new = make_policy(meta={"lead_issuer": state, "document_number": "国发〔2018〕1号"})
    DocumentRelation.objects.create(from_article=new, to_article=old, kind="repeals")
    path = tmp_path / "out.jsonl"
    assert transfer.export_articles(path) == 2
    before = {
        meta.document_number: (meta.index_number, meta.topic.code, meta.lead_issuer.org_code, meta.written_date,
                               list(meta.co_issuers.values_list("org_code", flat=True)), meta.keywords_zh_hans or "")
        for meta in DocumentMeta.objects.all()
    }  # fmt: skip
    lines = path.read_text().splitlines()
    assert json.loads(lines[1])["relations"] == [{"kind": "repeals", "to": f"article-{old.pk}"}]
    Article.objects.all().delete()
    for line in lines:  # the articles come back under their external ids
        record = json.loads(line)
        record["relations"] = [{"kind": "repeals", "to": "doc-old"}] if "relations" in record else None
        record["external_id"] = "doc-old" if record["document"]["document_number"] == "国发〔2017〕39号" else "doc-new"
        report = transfer.import_lines([json.dumps(record, ensure_ascii=False)], tmp_path)
        assert not report.rejected, report.rejected
    after = {
        meta.document_number: (meta.index_number, meta.topic.code, meta.lead_issuer.org_code, meta.written_date,
                               list(meta.co_issuers.values_list("org_code", flat=True)), meta.keywords_zh_hans or "")
        for meta in DocumentMeta.objects.all()
    }  # fmt: skip
    assert after == before
    assert DocumentRelation.objects.get().kind == "repeals"
    assert DocumentMeta.objects.with_validity().get(document_number="国发〔2017〕39号").validity == "repealed"


def test_a_published_policy_without_metadata_is_rejected_with_its_line(tmp_path):
    column = policy_column()
    record = {"external_id": "x1", "column": {"slug": column.slug}, "status": "published",
              "title": {"zh-hans": "政策", "en": "Policy"}, "body": {"zh-hans": "<p>正文</p>", "en": "<p>Body</p>"}}  # fmt: skip
    report = transfer.import_lines([json.dumps(record, ensure_ascii=False)], tmp_path)
    assert report.rejected and report.rejected[0][0] == 1
    assert not Article.objects.exists()
    record["document"] = {"topic": "0802", "issuers": ["000099999"], "document_number": "吉政发（2025）7号",
                          "written_date": "2025-04-02"}  # fmt: skip
    report = transfer.import_lines([json.dumps(record, ensure_ascii=False)], tmp_path)
    assert "no issuer has the organisation code '000099999'" in report.rejected[0][1]
    make_issuer(org_code="000099999")
    report = transfer.import_lines([json.dumps(record, ensure_ascii=False)], tmp_path)
    assert not report.rejected, report.rejected
    meta = DocumentMeta.objects.get()
    assert meta.document_number == "吉政发〔2025〕7号" and meta.index_number.startswith("000099999/")
    assert Issuer.objects.count() == 1
