"""Attacks on the home page's kept blocks (review of f4cd526/b4f4416): whatever they show must be in their key."""

import pytest

from news.models import Article
from news.pagecache import fragments
from tests.factories import image_file, make_article, make_column


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


def test_cover_alt_in_the_other_language_changed_behind_the_orm(client, site):
    article = make_article(
        site, featured=True, cover_image=image_file(), cover_alt_zh_hans="旧说明", cover_alt_en="Old alt"
    )
    assert "旧说明" in client.get("/zh-hans/").content.decode()
    Article.objects.filter(pk=article.pk).update(cover_alt_zh_hans="新说明")
    assert "新说明" in client.get("/zh-hans/").content.decode()


def test_cover_replaced_behind_the_orm(client, site):
    article = make_article(site, featured=True, cover_image=image_file("first.jpg"), cover_alt_en="alt")
    page = client.get("/en/").content.decode()
    old = article.cover_image.name
    assert old in page
    Article.objects.filter(pk=article.pk).update(cover_image="covers/second.jpg", cover_width=640, cover_height=360)
    page = client.get("/en/").content.decode()
    assert "covers/second.jpg" in page and 'width="640"' in page


def test_column_renamed_in_either_language(client, site):
    make_article(site, title_en="A story", title_zh_hans="一则新闻")
    client.get("/en/"), client.get("/zh-hans/")
    site.name_zh_hans, site.name_en = "新栏目名", "New column name"
    site.save()
    assert "新栏目名" in client.get("/zh-hans/").content.decode()
    assert "More in New column name" in client.get("/en/").content.decode()


def test_column_slug_changed(client, site):
    make_article(site, title_en="A story")
    assert f"/{site.slug}/" in client.get("/en/").content.decode()
    site.slug = "renamed-slug"
    site.save()
    assert "renamed-slug" in client.get("/en/").content.decode()


def test_carried_article_follows_its_edit(client, site):
    other = make_column("other-col", name_en="Other", name_zh_hans="其他")
    article = make_article(site, title_en="Carried story")
    article.further_columns.add(other)
    assert "More in Other" in client.get("/en/").content.decode()
    Article.objects.filter(pk=article.pk).update(title_en="Carried story v2")
    page = client.get("/en/").content.decode()
    assert page.count("Carried story v2") == 2 and "Carried story<" not in page
    # No longer carried, through the table behind the ORM: the block goes.
    Article.further_columns.through.objects.filter(column=other).delete()
    assert "More in Other" not in client.get("/en/").content.decode()


def test_english_text_removed_leaves_the_english_blocks(client, site):
    article = make_article(site, title_en="Soon gone", title_zh_hans="将消失")
    assert "Soon gone" in client.get("/en/").content.decode()
    article.title_en, article.body_en = "", ""
    article.save()
    assert "Soon gone" not in client.get("/en/").content.decode()


def test_the_two_languages_do_not_share(client, site):
    make_article(site, title_en="English title", title_zh_hans="中文标题")
    en = client.get("/en/").content.decode()
    zh = client.get("/zh-hans/").content.decode()
    assert "English title" in en and "中文标题" in zh and "中文标题" not in en.split("column-blocks")[1]


def test_long_summaries_leave_the_home_blocks_kept(client, site, monkeypatch):
    """Finding (performance): the 20,000-character cap meant for long article bodies applies to
    the home page's blocks too; four featured summaries of 5,000 characters (a TextField, no
    limit) make them render on every cold request, cards looked up and all."""
    asked = []
    cards = fragments.cards

    def counting(rows, template_name, *args, **kwargs):
        asked.extend(pk for pk, _digest in rows)
        return cards(rows, template_name, *args, **kwargs)

    monkeypatch.setattr(fragments, "cards", counting)
    for number in range(4):
        make_article(site, featured=True, title_en=f"Featured {number}", summary_en="Long summary. " * 360)
    first = client.get("/en/").content.decode()
    asked.clear()
    assert client.get("/en/").content.decode() == first
    assert asked == []  # kept whole: no card asked for
