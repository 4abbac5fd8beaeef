"""Cards kept per object, its last change and the language (news/pagecache/fragments.py)."""

import pytest
from django.template import loader
from django.utils import translation

from news.models import Article
from news.pagecache.fragments import cards
from tests.factories import make_article

pytestmark = pytest.mark.django_db

CARD = "includes/article_card.html"


@pytest.fixture
def renders(monkeypatch):
    """The items each call of cards() rendered."""
    rendered = []
    get_template = loader.get_template

    def counting(name):
        template = get_template(name)

        class Counting:
            def render(self, context):
                rendered.append(context["item"].pk)
                return template.render(context)

        return Counting()

    monkeypatch.setattr("news.pagecache.fragments.get_template", counting)
    return rendered


def listed():
    return list(Article.objects.for_listing().order_by("pk"))


def test_only_the_changed_articles_card_is_rendered_again(site, renders):
    first, second, third = (make_article(site, title_en=f"Story {n}") for n in range(3))
    with translation.override("en"):
        html = cards(listed(), CARD)
        assert renders == [first.pk, second.pk, third.pk] and html.count("<li") == 3
        assert cards(listed(), CARD) == html and len(renders) == 3
        second.title_en = "Story two, corrected"
        second.save()
        html = cards(listed(), CARD)
    assert renders[3:] == [second.pk]
    assert "Story two, corrected" in html and "Story 0" in html and "Story 2" in html
    assert html.index("Story 0") < html.index("Story two") < html.index("Story 2")


def test_each_language_has_its_own_card(site, renders):
    article = make_article(site, title_en="In English", title_zh_hans="中文标题")
    with translation.override("en"):
        english = cards(listed(), CARD)
    with translation.override("zh-hans"):
        chinese = cards(listed(), CARD)
    assert "In English" in english and f"/en/news/{article.pk}/" in english
    assert "中文标题" in chinese and f"/zh-hans/news/{article.pk}/" in chinese
    assert renders == [article.pk, article.pk]


def test_rows_load_only_the_missing_objects(site, renders):
    articles = [make_article(site, title_en=f"Story {n}") for n in range(3)]
    loaded = []

    def load(pks):
        loaded.append(sorted(pks))
        return Article.objects.for_listing().in_bulk(pks)

    rows = [(article.pk, article.updated_at) for article in articles]
    with translation.override("en"):
        cards(listed()[:1], CARD)
        html = cards(rows, CARD, load=load)
        assert loaded == [[articles[1].pk, articles[2].pk]]
        assert cards(rows, CARD, load=load) == html and len(loaded) == 1
    assert cards([], CARD) == ""
