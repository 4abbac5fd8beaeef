"""What is left to translate: counted on the admin index, listed per language on the change page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article
from tests.factories import image_file, make_article

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def test_the_admin_index_counts_published_articles_missing_english(senior_client, site):
    make_article(site, languages=("zh-hans",))
    make_article(site, languages=("zh-hans",))
    make_article(site)  # complete
    make_article(site, languages=("zh-hans",), status=Article.Status.DRAFT)  # not published
    make_article(site, languages=("zh-hans",), publish_at=timezone.now() + timedelta(days=1))  # not yet public
    page = senior_client.get("/admin/", headers=EN).content.decode()
    assert "Published articles missing their English version: 2" in page
    assert "/admin/news/article/?status__exact=published&amp;missing=en" in page
    listed = senior_client.get("/admin/news/article/?status__exact=published&missing=en").content.decode()
    assert listed.count('class="field-title_in_any_language"') == 3  # the filter finds them (and the scheduled one)


def test_nothing_shown_when_everything_is_translated(senior_client, site):
    make_article(site)
    assert "Translation work" not in senior_client.get("/admin/", headers=EN).content.decode()


def test_the_change_page_lists_the_missing_fields_per_language(senior_client, site):
    article = make_article(
        site,
        languages=("zh-hans",),
        summary_zh_hans="摘要",
        source_zh_hans="新华社",
        cover_image=image_file(),
        cover_alt_zh_hans="封面",
        cover_caption_zh_hans="说明",
        cover_credit_zh_hans="摄影",
    )
    page = senior_client.get(f"/admin/news/article/{article.pk}/change/", headers=EN).content.decode()
    report = page[page.index('class="translation-report"') :]
    report = report[: report.index("</ul>")]
    assert "<strong>Simplified Chinese</strong>: complete" in report
    assert (
        '<strong>English</strong>: <span class="translation-missing">missing title, body, cover alt text</span>; '
        '<span class="translation-optional">optional, not filled: summary, source, cover caption, cover credit</span>'
        in report
    )


def test_optional_fields_alone_are_not_reported_as_missing(senior_client, site):
    """Only title and body make a language version; an empty summary or source is not a fault."""
    article = make_article(site, summary_en="", source_en="", source_zh_hans="")
    page = senior_client.get(f"/admin/news/article/{article.pk}/change/", headers=EN).content.decode()
    report = page[page.index('class="translation-report"') :]
    report = report[: report.index("</ul>")]
    assert "translation-missing" not in report
    assert '<span class="translation-optional">optional, not filled: summary, source</span>' in report
    zh = senior_client.get(f"/admin/news/article/{article.pk}/change/", headers={"accept-language": "zh-hans"})
    assert "可选，未填写：摘要, 来源" in zh.content.decode()
