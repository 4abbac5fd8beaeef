"""news/admin/batch.py: moving chosen articles to another column."""

import pytest
from reversion.models import Version

from news.models import Article
from tests.factories import make_article, make_column, make_staff

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
