"""news/admin/readonly.py: an editor opening a published article reads it, labelled and rendered."""

import pytest

from news.models import Article
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "label", "code_label"),
    [("zh-hans", "正文（英文）", "正文 [en]"), ("en", "Body (English)", "body [en]")],
)
def test_a_published_article_reads_as_rendered_text_with_staff_labels(client, site, language, label, code_label):
    article = make_article(
        site,
        status=Article.Status.PUBLISHED,
        body_en="<p>Investors <strong>signed</strong> twelve projects.</p>",
        title_en="Read only",
    )
    client.force_login(make_staff("Editor"))  # editors may not change published articles
    page = client.get(f"/admin/news/article/{article.pk}/change/", headers={"accept-language": language})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="body_en"' not in html  # nothing to change
    assert "<p>Investors <strong>signed</strong> twelve projects.</p>" in html
    assert "&lt;p&gt;Investors" not in html
    assert label in html and code_label not in html
    assert "Read only" in html


def test_a_person_who_may_change_still_gets_the_form(client, site):
    article = make_article(site, status=Article.Status.PUBLISHED, body_en="<p>Editable</p>")
    client.force_login(make_staff("Senior editor"))
    html = client.get(f"/admin/news/article/{article.pk}/change/").content.decode()
    assert 'name="body_en"' in html
