"""news/admin/filters.py and the title sort: the article list's tools."""

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db
LIST = "/admin/news/article/"
BEIJING = ZoneInfo("Asia/Shanghai")


def listed(response):
    html = response.content.decode()
    return [unescape(title) for title in re.findall(r'<span class="clipped-title" title="([^"]*)"', html)]


@pytest.fixture
def senior(client):
    user = make_staff("Senior editor")
    client.force_login(user)
    return user


def test_articles_begun_by_one_person_listed_by_name(client, site, senior):
    wang = make_staff("Editor")
    wang.first_name, wang.last_name = "小明", "王"
    wang.save()
    make_article(site, title_en="By Wang", created_by=wang)
    make_article(site, title_en="By the senior", created_by=senior)
    page = client.get(LIST, headers={"accept-language": "en"})
    assert "王小明" in page.content.decode()
    assert listed(client.get(LIST, {"creator": wang.pk}, headers={"accept-language": "en"})) == ["By Wang"]
    assert sorted(listed(client.get(LIST, {"creator": "x"}, headers={"accept-language": "en"}))) == [
        "By Wang",
        "By the senior",
    ]


def test_articles_by_byline(client, site, senior):
    make_article(site, title_en="Li's", author="李明")
    make_article(site, title_en="Zhang's", author="张华")
    assert listed(client.get(LIST, {"byline": "李明"}, headers={"accept-language": "en"})) == ["Li's"]


def test_a_person_with_bylines_in_both_languages_is_one_choice_named_in_the_admins_language(client, site, senior):
    make_article(site, title_en="Wang's", author_zh_hans="王小明", author_en="Wang Xiaoming")
    make_article(site, title_en="Wang's again", author_zh_hans="王小明", author_en="Wang Xiaoming")
    make_article(site, title_en="English only", author_zh_hans="", author_en="Li Hua")
    zh = client.get(LIST, headers={"accept-language": "zh-hans"}).content.decode()
    assert zh.count("王小明（Wang Xiaoming）") == 1 and ">Wang Xiaoming</a>" not in zh
    assert ">Li Hua</a>" in zh  # written in English only: a choice of its own
    en = client.get(LIST, headers={"accept-language": "en"}).content.decode()
    assert en.count("Wang Xiaoming (王小明)") == 1 and ">王小明</a>" not in en
    assert sorted(listed(client.get(LIST, {"byline": "Wang Xiaoming"}, headers={"accept-language": "en"}))) == [
        "Wang's",
        "Wang's again",
    ]


def test_a_publish_date_range_in_beijing_days_both_ends_included(client, site, senior):
    for title, moment in (
        ("February", datetime(2026, 2, 28, 23, 59, tzinfo=BEIJING)),
        ("First of March", datetime(2026, 3, 1, 0, 0, tzinfo=BEIJING)),
        ("Last of March", datetime(2026, 3, 31, 23, 30, tzinfo=BEIJING)),
        ("April", datetime(2026, 4, 1, 0, 30, tzinfo=BEIJING)),
    ):
        make_article(site, title_en=title, publish_at=moment)
    en = {"accept-language": "en"}
    march = client.get(LIST, {"published_from": "2026-03-01", "published_to": "2026-03-31"}, headers=en)
    assert sorted(listed(march)) == ["First of March", "Last of March"]
    assert 'value="2026-03-01"' in march.content.decode()
    assert sorted(listed(client.get(LIST, {"published_from": "2026-04-01"}, headers=en))) == ["April"]
    assert sorted(listed(client.get(LIST, {"published_to": "2026-02-28"}, headers=en))) == ["February"]
    wrong = client.get(LIST, {"published_from": "2026-13-01", "status": "published"}, headers=en)
    assert len(listed(wrong)) == 4 and "Not a date; ignored." in wrong.content.decode()
    # The range form keeps the other filters.
    assert '<input type="hidden" name="status" value="published">' in wrong.content.decode()
    zh = client.get(LIST, headers={"accept-language": "zh-hans"}).content.decode()
    assert "发布日期范围" in zh and "起" in zh


@pytest.mark.parametrize(
    ("language", "order"), [("en", ["Apple", "Banana", "Cherry"]), ("zh-hans", ["一", "三", "二"])]
)
def test_the_title_column_sorts_by_the_title_in_the_admins_language(client, site, senior, language, order):
    make_article(site, title_en="Banana", title_zh_hans="三")
    make_article(site, title_en="Cherry", title_zh_hans="二")
    make_article(site, title_en="Apple", title_zh_hans="一")
    assert listed(client.get(LIST, {"o": "1"}, headers={"accept-language": language})) == order
    assert listed(client.get(LIST, {"o": "-1"}, headers={"accept-language": language})) == order[::-1]
