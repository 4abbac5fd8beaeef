"""Bylines of two or more people (author and editor in charge), in the page's language, never another's."""

import pytest
from django.utils import translation

from news.templatetags.portal import people
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "byline", "shown"),
    [
        ("zh-hans", "王小明，李华", "王小明、李华"),
        ("zh-hans", "王小明 李华", "王小明、李华"),
        ("zh-hans", "王小明", "王小明"),
        ("en", "Wang Xiaoming, Li Hua", "Wang Xiaoming and Li Hua"),
        ("en", "Wang Xiaoming; Li Hua; Zhao Lei", "Wang Xiaoming, Li Hua and Zhao Lei"),
        ("en", "Wang Xiaoming and Li Hua", "Wang Xiaoming and Li Hua"),
        ("en", "Li Ming", "Li Ming"),
        # Words that are not names: shown as typed, or who took the photos would be lost.
        ("zh-hans", "文/王小明 摄/李华", "文/王小明 摄/李华"),
        ("zh-hans", "本报记者 王小明", "本报记者 王小明"),
        ("en", "", ""),
    ],
)
def test_people_are_listed_as_the_language_lists_them(language, byline, shown):
    with translation.override(language):
        assert people(byline) == shown


def test_each_page_shows_its_own_languages_names_with_a_plural_label(client, site):
    article = make_article(
        site,
        author_zh_hans="王小明，李华",
        author_en="Wang Xiaoming, Li Hua",
        editor_zh_hans="赵磊 孙丽",
        editor_en="Zhao Lei",
    )
    chinese = client.get(article.get_absolute_url("zh-hans")).content.decode()
    english = client.get(article.get_absolute_url("en")).content.decode()
    assert "作者： 王小明、李华" in chinese and "责任编辑： 赵磊、孙丽" in chinese
    assert "Authors: Wang Xiaoming and Li Hua" in english and "Editor in charge: Zhao Lei" in english
    feed = client.get("/en/feed/").content.decode()
    assert "Wang Xiaoming and Li Hua" in feed and "王小明" not in feed


def test_an_english_page_never_shows_the_chinese_names(client, site):
    article = make_article(site, author_zh_hans="王小明、李华", author_en="", editor_zh_hans="赵磊", editor_en="")
    english = client.get(article.get_absolute_url("en")).content.decode()
    for chinese_name in ("王小明", "李华", "赵磊"):
        assert chinese_name not in english
    # No byline line at all (the government-site <meta name="Author"> names the site instead).
    assert "Author:" not in english and "Authors:" not in english and "Editor in charge" not in english
