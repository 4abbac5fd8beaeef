"""Document numbers in the site's full-text index (news.search): a number typed any usual way
finds its document first in the site-wide search and in the admin's, on whichever backend the
test database is (SQLite FTS5 or PostgreSQL; run both)."""

from urllib.parse import quote

import pytest

from news import search
from news.models import SearchDocument
from news.policies.models import DocumentMeta
from tests.factories import make_issuer, make_policy

pytestmark = pytest.mark.django_db
TYPED = ["吉政发〔2025〕7号", "吉政发 2025 7", "吉政发2025 7", "吉政发[2025]7号", "吉政发（2025）第07号", "2025年7号"]


@pytest.fixture
def documents():
    issuer = make_issuer(short_name="吉政发")
    quoting = make_policy(
        title_zh_hans="关于转发文件的通知",
        body_zh_hans="<p>根据吉政发〔2025〕7号文件精神，2025 年第 7 次会议决定。</p>",
        meta={"lead_issuer": issuer, "document_number": "吉政发〔2025〕11号"},
    )
    other_issuer = make_policy(
        title_zh_hans="国务院文件", meta={"document_number": "国发〔2025〕7号", "lead_issuer": make_issuer()}
    )
    # The title says nothing of the number: only the index's number words can find it.
    target = make_policy(
        title_zh_hans="吉林省招商引资综合改革实施方案",
        body_zh_hans="<p>为深化招商引资改革，制定本方案。</p>",
        meta={"lead_issuer": issuer, "document_number": "吉政发（2025）7号"},
    )
    return target, quoting, other_issuer


def found(query):
    results = search.search(query, "zh-hans")
    return [hit.article for hit in results[0 : results.count()]]


@pytest.mark.parametrize("typed", TYPED)
def test_a_document_number_typed_any_usual_way_finds_the_document_first(documents, typed):
    target, quoting, other_issuer = documents
    hits = found(typed)
    if typed == "2025年7号":
        # Without the prefix, every issuer's 〔2025〕7号 is meant; both come before the text match.
        assert set(hits[:2]) == {target, other_issuer} and quoting in hits[2:]
    else:
        assert hits[0] == target and other_issuer not in hits


@pytest.mark.parametrize("typed", ["吉政发 2025 7", "2025年7号"])
def test_the_site_wide_search_page_and_the_admin_search_find_it(documents, client, site, typed):
    target, _quoting, _other = documents
    page = client.get(f"/zh-hans/search/?q={quote(typed)}").content.decode()
    assert "吉林省招商引资综合改革实施方案" in page
    assert target.pk in search.matching_ids(typed)


def test_changing_the_number_re_indexes_the_document(documents):
    target, _quoting, _other = documents
    meta = DocumentMeta.objects.get(article=target)
    meta.document_number = "吉政发〔2025〕8号"
    meta.save()
    assert target not in found("吉政发 2025 7")
    assert found("吉政发 2025 8")[0] == target


def test_a_rebuilt_index_keeps_the_numbers(documents):
    target, _quoting, _other = documents
    SearchDocument.objects.all().delete()
    search.rebuild()
    assert found("吉政发2025 7")[0] == target


def test_a_query_that_is_no_document_number_searches_as_before(documents):
    target, quoting, _other = documents
    assert found("招商引资") == [target]
    assert search.Query.parse("招商引资 改革").number_terms == []


def test_removing_the_metadata_takes_the_number_out_of_the_index(documents, django_capture_on_commit_callbacks):
    target, _quoting, _other = documents
    with django_capture_on_commit_callbacks(execute=True):
        DocumentMeta.objects.get(article=target).delete()
    assert target not in found("吉政发 2025 7")
    assert found("招商引资") == [target]  # its own words stay


def test_deleting_a_policy_document_leaves_no_index_row(documents, django_capture_on_commit_callbacks):
    target, _quoting, _other = documents
    pk = target.pk
    with django_capture_on_commit_callbacks(execute=True):
        target.delete()
    assert not SearchDocument.objects.filter(article_id=pk).exists()
