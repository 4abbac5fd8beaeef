"""The article form's further columns (一稿多发): chosen with a box each, refused when the primary column
is among them, recorded in the history; a batch move to one of them makes it the primary column."""

import pytest
from reversion.models import Version

from news.models import Article
from tests.factories import admin_form_data, make_article, make_column

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
ZH = {"accept-language": "zh-hans"}


@pytest.fixture
def policies(site):
    return make_column("policies", name_zh_hans="政策法规", name_en="Policies")


@pytest.fixture
def draft(site):
    return make_article(site, status=Article.Status.DRAFT, title_en="A draft")


def change(client, article, headers=EN, **changes):
    article.refresh_from_db()
    return client.post(
        f"/admin/news/article/{article.pk}/change/", admin_form_data(article, **changes), headers=headers
    )


def test_the_form_offers_a_box_per_column_and_saves_the_choice(editor_client, draft, policies):
    form = editor_client.get(f"/admin/news/article/{draft.pk}/change/", headers=ZH).content.decode()
    assert "其他栏目" in form and f'type="checkbox" name="further_columns" value="{policies.pk}"' in form
    assert change(editor_client, draft, further_columns=[policies.pk]).status_code == 302
    assert list(draft.further_columns.all()) == [policies]
    history = editor_client.get(f"/admin/news/article/{draft.pk}/history/", headers=ZH).content.decode()
    assert "其他栏目" in history  # "修改 其他栏目。"
    version = Version.objects.get_for_object(draft).first()
    assert version.field_dict["further_columns"] == [policies.pk]
    assert change(editor_client, draft, further_columns=[], column=policies.pk).status_code == 302
    newer, older = Version.objects.get_for_object(draft)[:2]
    compared = editor_client.get(
        f"/admin/news/article/{draft.pk}/history/compare/", {"a": newer.pk, "b": older.pk}, headers=ZH
    ).content.decode()
    assert "<del>政策法规</del>" in compared and "<ins>政策法规</ins>" in compared  # names, not ids
    assert "<del>投资动态</del>" in compared


@pytest.mark.parametrize(
    ("headers", "message"),
    [(EN, "is the primary column already; choose only other columns here."), (ZH, "已是主栏目，这里只选其他栏目。")],
)
def test_the_primary_column_among_the_further_ones_is_refused(editor_client, draft, site, policies, headers, message):
    response = change(editor_client, draft, headers, further_columns=[site.pk, policies.pk], title_en="Changed")
    assert response.status_code == 200
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.title_en == "A draft" and not draft.further_columns.exists()


def test_moving_to_a_further_column_makes_it_the_primary_one(senior_client, site, policies):
    article = make_article(site, title_en="Moved")
    article.further_columns.add(policies)
    picked = {"action": "move_to_column", "_selected_action": [article.pk], "column": policies.pk, "apply": "1"}
    assert senior_client.post("/admin/news/article/", picked, headers=EN).status_code == 302
    article.refresh_from_db()
    assert article.column == policies and not article.further_columns.exists()
    history = senior_client.get(f"/admin/news/article/{article.pk}/history/", headers=EN).content.decode()
    assert "Changed column, further columns." in history
