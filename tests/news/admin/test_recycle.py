"""news/admin/recycle.py: the delete page lists what staff know, not the search index's bookkeeping."""

import pytest

from news.models import ArticleDailyReads, SearchDocument
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_delete_page_lists_the_article_and_its_attachments_only(client, site, language):
    article = make_article(site, title_en="To delete", title_zh_hans="待删除")
    ArticleDailyReads.objects.create(article=article, day="2026-11-01", count=3)
    assert SearchDocument.objects.filter(article=article).exists()
    client.force_login(make_staff("Senior editor"))
    page = client.get(f"/admin/news/article/{article.pk}/delete/", headers={"accept-language": language})
    html = page.content.decode()
    assert page.status_code == 200
    assert "To delete" in html or "待删除" in html
    for bookkeeping in ("Search document", "search document", f"{article.pk}/zh-hans", "Daily reads", "daily reads"):
        assert bookkeeping not in html
    client.post(f"/admin/news/article/{article.pk}/delete/", {"post": "yes"})
    assert not SearchDocument.objects.filter(article_id=article.pk).exists()  # still removed with it
