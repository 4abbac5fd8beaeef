"""The article page's related articles (news/queries.py ``related_articles``): the newest public
articles in the page's language sharing the column or a tag, whichever of its two tag queries runs."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from news import queries
from news.models import Article, Tag
from tests.factories import make_article, make_column

pytestmark = pytest.mark.django_db


def expected(article, now, language):
    """Worked out in Python from the public articles (the one gate, ``public()``)."""
    tags = set(article.tags.values_list("pk", flat=True))
    found = [
        other
        for other in Article.objects.public(language, now=now).prefetch_related("tags")
        if other.pk != article.pk
        and (other.column_id == article.column_id or tags & {tag.pk for tag in other.tags.all()})
    ]
    found.sort(key=lambda other: (other.publish_at, other.pk), reverse=True)
    return [other.pk for other in found[: queries.RELATED_ARTICLES]]


@pytest.fixture
def corpus():
    """Three columns (one busy, two with a few articles), a tag on most articles and two on a few,
    times that tie, and articles a reader may not see: drafts, scheduled, withdrawn, and written in
    one language only."""
    rng = random.Random(18)
    now = timezone.now()
    columns = [make_column(), make_column(), make_column()]
    big, small, rare = (Tag.objects.create(name=name, slug=name) for name in ("big", "small", "rare"))
    articles = []
    for n in range(48):
        column = columns[0] if n % 4 else columns[1 + n % 8 // 4]
        fields = {"publish_at": now - timedelta(hours=rng.choice([1, 2, 2, 5, 9, 30, 200, 900]), minutes=n % 3)}
        kind = rng.random()
        if kind < 0.08:
            fields["status"] = Article.Status.DRAFT
        elif kind < 0.14:
            fields["publish_at"] = now + timedelta(hours=3)
        elif kind < 0.2:
            fields["unpublish_at"] = now - timedelta(hours=1)
        languages = ("zh-hans",) if kind > 0.85 else ("zh-hans", "en")
        article = make_article(column=column, languages=languages, **fields)
        article.tags.add(*[tag for tag, share in ((big, 0.7), (small, 0.15), (rare, 0.05)) if rng.random() < share])
        articles.append(article)
    return now, articles


def expected_neighbours(article, now, language):
    """The public articles of the column just older (due by the article's time, when that is
    later than now: a preview's) and just newer than the article, worked out in Python."""
    here = (article.publish_at, article.pk)
    others = [
        (other.publish_at, other.pk)
        for other in Article.objects.public(language, now=now).filter(column_id=article.column_id)
        if other.pk != article.pk
    ]
    older = [key for key in others if key < here and key[0] <= min(article.publish_at, now)]
    newer = [key for key in others if key > here]
    return (max(older)[1] if older else None, min(newer)[1] if newer else None)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_neighbours_in_the_column_as_worked_out_by_hand(corpus, language):
    now, articles = corpus
    with translation.override(language):
        for article in articles:  # drafts and scheduled ones too: their previews show neighbours
            found = queries.neighbours(article, now)
            pair = tuple(link and link.pk for link in (found["previous_article"], found["next_article"]))
            assert pair == expected_neighbours(article, now, language), article.pk


@pytest.mark.parametrize("walk", [True, False], ids=["newest first", "tag lists"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_same_articles_either_way_as_worked_out_by_hand(corpus, monkeypatch, walk, language):
    now, articles = corpus
    monkeypatch.setattr(queries, "walks_newest_first", lambda tags, since: walk)
    with translation.override(language):
        for article in articles:
            found = queries.related_articles(article, now)
            assert [link.pk for link in found] == expected(article, now, language), article.pk
            assert all(link.title == Article.objects.get(pk=link.pk).title for link in found)


def tag_query(article, now):
    with CaptureQueriesContext(connection) as ran:
        queries.related_articles(article, now)
    (sql,) = [query["sql"] for query in ran if "news_article_tags" in query["sql"] and "news_tag" not in query["sql"]]
    return "EXISTS" in sql


def test_a_tag_on_many_articles_is_walked_newest_first_and_a_rare_one_read_whole():
    now = timezone.now()
    column, elsewhere = make_column(), make_column()
    common, rare = Tag.objects.create(name="common", slug="common"), Tag.objects.create(name="rare", slug="rare")
    articles = [make_article(column=elsewhere, publish_at=now - timedelta(hours=n + 1)) for n in range(30)]
    for article in articles[:20]:
        article.tags.add(common)
    articles[0].tags.add(rare)
    articles[29].tags.add(rare)
    reader = make_article(column=elsewhere, publish_at=now - timedelta(days=3))
    reader.tags.add(common)
    # 21 of 31 articles hold it: 21² ≥ 5 × 31, so reading the newest until five match is the cheaper.
    (tag,) = queries.article_tags(article=reader.pk)
    assert (tag.article_count, tag.first_article_id, tag.last_article_id) == (21, articles[0].pk, reader.pk)
    assert tag_query(reader, now) is True
    reader.tags.set([rare])  # 3 of 31: 3² < 5 × 31, the tag's list is the cheaper
    assert tag_query(reader, now) is False
    assert [link.pk for link in queries.related_articles(reader, now)][:2] == [articles[0].pk, articles[1].pk]
    # Alone in its column, nothing bounds the walk but five matches: the list, however large the tag.
    reader.column = column
    reader.save()
    reader.tags.set([common])
    assert tag_query(reader, now) is False


@pytest.mark.parametrize("walk", [True, False], ids=["newest first", "tag lists"])
def test_the_column_bounds_the_tag_query_yet_a_newer_tagged_article_is_found(monkeypatch, walk):
    monkeypatch.setattr(queries, "walks_newest_first", lambda tags, since: walk)
    now = timezone.now()
    column, elsewhere = make_column(), make_column()
    tag = Tag.objects.create(name="energy", slug="energy")
    article = make_article(column=column, publish_at=now - timedelta(days=10))
    article.tags.add(tag)
    in_column = [make_article(column=column, publish_at=now - timedelta(hours=n + 1)) for n in range(6)]
    older = make_article(column=elsewhere, publish_at=now - timedelta(hours=5, minutes=30))
    newer = make_article(column=elsewhere, publish_at=now - timedelta(hours=2, minutes=30))
    tie = make_article(column=elsewhere, publish_at=in_column[4].publish_at)  # a later id than the fifth
    for other in (older, tie):
        other.tags.add(tag)
    with CaptureQueriesContext(connection) as ran:
        found = [link.pk for link in queries.related_articles(article, now)]
    # The tag query starts at the fifth of the column's, the tie with it included.
    assert found == [in_column[0].pk, in_column[1].pk, in_column[2].pk, in_column[3].pk, tie.pk]
    (sql,) = [query["sql"] for query in ran if "news_article_tags" in query["sql"] and "news_tag" not in query["sql"]]
    assert '"publish_at" >=' in sql
    newer.tags.add(tag)
    found = [link.pk for link in queries.related_articles(article, now)]
    assert found == [in_column[0].pk, in_column[1].pk, newer.pk, in_column[2].pk, in_column[3].pk]
    in_column[0].delete()
    found = [link.pk for link in queries.related_articles(article, now)]
    assert found == [in_column[1].pk, newer.pk, in_column[2].pk, in_column[3].pk, tie.pk]


@pytest.mark.parametrize("walk", [True, False], ids=["newest first", "tag lists"])
def test_a_column_of_fewer_than_five_others_leaves_the_tag_query_unbounded(monkeypatch, walk):
    monkeypatch.setattr(queries, "walks_newest_first", lambda tags, since: walk)
    now = timezone.now()
    column, elsewhere = make_column(), make_column()
    tag = Tag.objects.create(name="energy", slug="energy")
    article = make_article(column=column, publish_at=now - timedelta(hours=1))
    article.tags.add(tag)
    in_column = [make_article(column=column, publish_at=now - timedelta(hours=n + 2)) for n in range(4)]
    oldest = make_article(column=elsewhere, publish_at=now - timedelta(days=3000))
    oldest.tags.add(tag)
    found = [link.pk for link in queries.related_articles(article, now)]
    assert found == [other.pk for other in in_column] + [oldest.pk]


def test_the_choice_counts_every_tag_of_the_article_and_weighs_the_tags_size_against_all_articles():
    now = timezone.now()
    column = make_column()
    first, second = Tag.objects.create(name="first", slug="first"), Tag.objects.create(name="second", slug="second")
    articles = [make_article(column=column, publish_at=now - timedelta(hours=n + 1)) for n in range(40)]
    for article in articles[:9]:
        article.tags.add(first)
    for article in articles[9:18]:
        article.tags.add(second)
    reader = make_article(column=column, publish_at=now - timedelta(days=3))
    reader.tags.add(first)
    # 10 of 41 articles hold it: more than five, yet 10² < 5 × 41, the tag's list is the cheaper.
    assert tag_query(reader, now) is False
    # Both tags: 20 of 41 (counted over every tag), 20² ≥ 5 × 41, the walk is the cheaper.
    reader.tags.add(second)
    assert [tag.article_count for tag in queries.article_tags(article=reader.pk)] == [10, 10]
    assert tag_query(reader, now) is True


def test_a_tags_size_is_counted_up_to_the_cap(monkeypatch):
    column = make_column()
    large, small = Tag.objects.create(name="large", slug="large"), Tag.objects.create(name="small", slug="small")
    articles = [make_article(column=column) for _ in range(6)]
    for article in articles:
        article.tags.add(large)
    articles[0].tags.add(small)
    monkeypatch.setattr(queries, "TAG_COUNT_CAP", 4)
    counted = {tag.slug: tag.article_count for tag in queries._tags_with_sizes(articles[0].pk)}
    assert counted == {"large": 4, "small": 1}
    monkeypatch.setattr(queries, "TAG_COUNT_CAP", 6)
    counted = {tag.slug: tag.article_count for tag in queries._tags_with_sizes(articles[0].pk)}
    assert counted == {"large": 6, "small": 1}
