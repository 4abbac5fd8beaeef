"""news/admin/batch.py: moving chosen articles to another column."""

import pytest
from reversion.models import Version

from news.models import Article
from tests.factories import make_article, make_column, make_staff, policy_column

pytestmark = pytest.mark.django_db
LIST = "/admin/news/article/"


def test_a_senior_editor_moves_chosen_articles_in_two_steps(client, site):
    target = make_column("policies", name_zh_hans="政策法规", name_en="Policies")
    chosen = [make_article(site, title_en=f"Chosen {n}") for n in range(2)]
    left = make_article(site, title_en="Not chosen")
    client.force_login(make_staff("Senior editor"))
    picked = {"action": "move_to_column", "_selected_action": [article.pk for article in chosen]}
    page = client.post(LIST, picked, headers={"accept-language": "zh-hans"})
    assert page.status_code == 200 and "移动到栏目" in page.content.decode()
    assert set(Article.objects.values_list("column", flat=True)) == {site.pk}  # nothing moved yet

    done = client.post(LIST, {**picked, "column": target.pk, "apply": "1"}, headers={"accept-language": "en"})
    assert done.status_code == 302
    assert {article.column_id for article in Article.objects.filter(pk__in=[a.pk for a in chosen])} == {target.pk}
    left.refresh_from_db()
    assert left.column_id == site.pk
    moved = Article.objects.get(pk=chosen[0].pk)
    assert moved.lock_version == chosen[0].lock_version + 1
    assert Version.objects.get_for_object(moved).first().revision.comment  # the move is in its history
    assert moved.get_absolute_url("en") == chosen[0].get_absolute_url("en")  # the address is kept


def test_an_editor_moves_drafts_but_not_published_articles(client, site):
    target = make_column("notices")
    draft = make_article(site, status=Article.Status.DRAFT, title_en="A draft")
    published = make_article(site, status=Article.Status.PUBLISHED, title_en="Published one")
    client.force_login(make_staff("Editor"))
    response = client.post(
        LIST,
        {"action": "move_to_column", "_selected_action": [draft.pk, published.pk], "column": target.pk, "apply": "1"},
        headers={"accept-language": "en"},
        follow=True,
    )
    text = response.content.decode()
    assert "1 article(s) moved" in text and "Published one" in text
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.column_id == target.pk and published.column_id == site.pk


def test_a_published_article_is_not_moved_into_a_policy_column_without_its_metadata(client, site):
    # Publishing it there is refused without the document's metadata; moving it there was not.
    target = policy_column()
    published = make_article(site, status=Article.Status.PUBLISHED, title_en="A news story")
    draft = make_article(site, status=Article.Status.DRAFT, title_en="A draft document")
    client.force_login(make_staff("Senior editor"))
    response = client.post(
        LIST,
        {"action": "move_to_column", "_selected_action": [published.pk, draft.pk], "column": target.pk, "apply": "1"},
        headers={"accept-language": "zh-hans"},
        follow=True,
    )
    text = response.content.decode()
    assert "未移动（已发布，且缺少该栏目要求的信息）" in text and published.title_zh_hans in text
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.column_id == site.pk  # unchanged
    assert draft.column_id == target.pk  # a draft gets its metadata before it is published
