import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from news import demo
from news.models import Article, Column, Page, SiteSettings

pytestmark = pytest.mark.django_db

SEED_TITLE = "Beijing SoEs to Jilin for Project Negotiation and Matchmaking Was Held"


@pytest.fixture
def loaded():
    call_command("load_demo", stdout=io.StringIO())


def counts():
    return {model.__name__: model.objects.count() for model in (Column, Article, Page, SiteSettings)}


def test_loading_twice_creates_no_duplicates_and_changes_nothing(loaded):
    before = counts()
    seed = Article.objects.get(title_en=SEED_TITLE)
    seed.title_zh_hans = "编辑改过的标题"
    seed.save()
    assert demo.load() == 0
    assert counts() == before
    seed.refresh_from_db()
    assert seed.title_zh_hans == "编辑改过的标题"


def test_the_seed_article_as_the_seed_gives_it(loaded):
    seed = Article.objects.get(title_en=SEED_TITLE)
    assert seed.column.name_en == "Investment Dynamics"
    assert seed.column.name_zh_hans == "投资动态"
    assert seed.publish_at == datetime(2018, 4, 10, 9, 40, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert seed.body_en.count("<p>") == 5
    assert seed.body_en.startswith("<p>On the morning of March 30th, the meeting that Beijing state-owned enterprises")
    assert "achieve a win-win situation" in seed.body_en
    assert "北京" in seed.title_zh_hans and "吉林" in seed.title_zh_hans
    assert "项目洽谈" in seed.body_zh_hans and seed.body_zh_hans.count("<p>") == 5
    assert "translation made for this demo" in seed.internal_note
    assert seed.is_published()


def test_the_rest_of_the_demo(loaded):
    others = Article.objects.exclude(title_en=SEED_TITLE)
    assert others.count() >= 12
    assert {article.column.slug for article in others} == {slug for slug, *_ in demo.COLUMNS}
    chinese_only = [article for article in others if article.available_languages() == ["zh-hans"]]
    assert len(chinese_only) >= 2
    assert others.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now()).count() == 1
    assert others.filter(status=Article.Status.DRAFT).count() == 1
    with_covers = [article for article in Article.objects.all() if article.cover_image]
    assert len(with_covers) >= 3
    for article in with_covers:
        assert article.cover_width == 1200 and article.cover_image.storage.exists(article.cover_image.name)
        assert article.cover_alt_zh_hans and article.cover_alt_en


def test_footer_settings_and_pages_in_both_languages(loaded):
    settings = SiteSettings.load()
    assert settings.site_name_zh_hans and settings.site_name_en and settings.icp_record
    assert settings.contact_phone and settings.contact_email
    assert set(Page.objects.values_list("slug", flat=True)) == {"about", "contact", "privacy", "accessibility"}
    for page in Page.objects.all():
        assert page.title_zh_hans and page.title_en and page.body_zh_hans and page.body_en


def test_the_demo_reads_end_to_end(loaded, client):
    """The path of the issue's "done when": Chinese home → English → the seed → its Chinese version."""
    home = client.get("/", headers={"accept-language": "zh-CN"}, follow=True)
    assert home.redirect_chain[-1][0] == "/zh-hans/"
    assert 'href="/en/" hreflang="en" lang="en">English</a>' in home.content.decode()
    english = client.get("/en/").content.decode()
    seed = Article.objects.get(title_en=SEED_TITLE)
    assert f'href="{seed.get_absolute_url("en")}"' in english
    article = client.get(seed.get_absolute_url("en")).content.decode()
    assert SEED_TITLE in article and "Nanhu Hotel in Changchun" in article
    assert "Date: <time" in article and "2018/04/10 09:40:00" in article
    chinese_url = seed.get_absolute_url("zh-hans")
    assert f'href="{chinese_url}"' in article
    chinese = client.get(chinese_url).content.decode()
    assert seed.title_zh_hans in chinese and "项目洽谈" in chinese


def test_regions_and_tags_in_both_languages(loaded):
    from news.models import Region, Tag

    assert Region.objects.count() >= 9 and Tag.objects.count() >= 6
    assert all(region.name_zh_hans and region.name_en for region in Region.objects.all())
    seed = Article.objects.get(title_en=SEED_TITLE)
    assert seed.region.slug == "changchun"
    assert "regional-cooperation" in set(seed.tags.values_list("slug", flat=True))
