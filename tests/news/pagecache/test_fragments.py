"""Cards kept per object, its last change and the language (news/pagecache/fragments.py)."""

import pytest
from django.template import loader
from django.utils import translation

from news.models import Article
from news.pagecache.fragments import CARD_FIELDS, CardRows, cards
from news.templatetags.portal import cards as cards_tag
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


def test_list_pages_find_kept_cards_from_what_they_show(site, renders):
    # A list page reads (pk, *CARD_FIELDS) rows and builds articles only for the cards not kept;
    # the key is a digest of those values, the same as for a list of articles.
    articles = [make_article(site, title_en=f"Story {n}") for n in range(3)]

    def rows():
        return CardRows(Article.objects.order_by("pk").values_list("pk", *CARD_FIELDS))

    with translation.override("en"):
        html = cards_tag(rows(), CARD)
        assert renders == [article.pk for article in articles] and html.count("<li") == 3
        assert cards_tag(listed(), CARD) == html and cards_tag(rows(), CARD) == html and len(renders) == 3
        # Changed behind the ORM (a restore, an update()): the card follows what it shows.
        Article.objects.filter(pk=articles[1].pk).update(title_en="Story one, restored")
        html = cards_tag(rows(), CARD)
    assert renders[3:] == [articles[1].pk]
    assert "Story one, restored" in html and html.index("Story 0") < html.index("Story one") < html.index("Story 2")
