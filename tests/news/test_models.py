from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from news.models import Article, SiteSettings
from tests.factories import make_article

pytestmark = pytest.mark.django_db


class TestPublished:
    def test_published_and_due_is_public(self, column):
        article = make_article(column)
        assert list(Article.objects.published()) == [article]

    @pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.ARCHIVED])
    def test_other_statuses_are_not_public(self, column, status):
        make_article(column, status=status)
        assert not Article.objects.published().exists()

    def test_future_publish_time_is_not_public_until_it_passes(self, column):
        now = timezone.now()
        article = make_article(column, publish_at=now + timedelta(minutes=5))
        assert not Article.objects.published(now=now).exists()
        assert list(Article.objects.published(now=now + timedelta(minutes=5))) == [article]

    def test_unpublish_time_withdraws_the_article(self, column):
        now = timezone.now()
        article = make_article(column, publish_at=now - timedelta(days=2), unpublish_at=now + timedelta(hours=1))
        assert list(Article.objects.published(now=now)) == [article]
        assert not Article.objects.published(now=now + timedelta(hours=1)).exists()

    def test_is_published_agrees_with_the_queryset(self, column):
        now = timezone.now()
        cases = [
            make_article(column),
            make_article(column, status=Article.Status.DRAFT),
            make_article(column, publish_at=now + timedelta(days=1)),
            make_article(column, unpublish_at=now - timedelta(minutes=1), publish_at=now - timedelta(days=1)),
        ]
        public = set(Article.objects.published(now=now))
        assert {article for article in cases if article.is_published(now=now)} == public == {cases[0]}


class TestAvailability:
    def test_an_article_is_available_in_a_language_with_title_and_body(self, column):
        both = make_article(column)
        chinese_only = make_article(column, languages=("zh-hans",))
        english_title_only = make_article(column, languages=("zh-hans",), title_en="Title without a body")
        english_body_only = make_article(column, languages=("zh-hans",), body_en="<p>Body without a title</p>")
        assert set(Article.objects.available_in("zh-hans")) == {
            both,
            chinese_only,
            english_title_only,
            english_body_only,
        }
        assert list(Article.objects.available_in("en")) == [both]
        assert english_title_only.available_languages() == ["zh-hans"]
        assert both.available_languages() == ["zh-hans", "en"]

    def test_public_combines_the_gate_and_the_language(self, column):
        english = make_article(column)
        make_article(column, status=Article.Status.DRAFT)
        make_article(column, languages=("zh-hans",))
        assert list(Article.objects.public("en")) == [english]

    def test_no_fallback_to_chinese_when_english_is_missing(self, column):
        from django.utils import translation

        article = make_article(column, languages=("zh-hans",))
        with translation.override("en"):
            assert article.title in ("", None)
        with translation.override("zh-hans"):
            assert article.title == article.title_zh_hans

    def test_availability_is_stored_on_every_save_and_held_by_the_database(self, column):
        from django.db import IntegrityError, transaction

        article = make_article(column, languages=("zh-hans",))
        assert (article.available_zh_hans, article.available_en) == (True, False)
        article.title_en, article.body_en = "Now in English", "<p>Body</p>"
        article.save()
        assert list(Article.objects.available_in("en")) == [article]
        article.body_en = "<script>only a script</script>"  # cleaned away on save
        article.save()
        assert list(Article.objects.available_in("en")) == []
        Article.objects.bulk_create([Article(column=column, title_en="Bulk", body_en="<p>Bulk</p>")])
        assert Article.objects.available_in("en").get().title_en == "Bulk"
        # A write that forgets the flag is refused rather than left out of step.
        with pytest.raises(IntegrityError), transaction.atomic():
            Article.objects.filter(title_en="Bulk").update(body_en="")
        Article.objects.filter(title_en="Bulk").update(body_en="", available_en=False)
        assert not Article.objects.available_in("en").exists()

    def test_each_language_is_stored_on_save(self, column):
        make_article(column, languages=("zh-hans",))
        article = Article.objects.get()
        assert article.available_zh_hans is True
        assert article.available_en is False


class TestValidation:
    WECHAT = "https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg"

    @pytest.mark.parametrize(
        "source",
        [WECHAT, "http://www.example.gov.cn/pic.png", "//cdn.example.com/a.jpg", "www.example.org/a.png"],
    )
    def test_publishing_refuses_pictures_from_other_sites_naming_them(self, column, source):
        body = f'<p>Text</p><img src="{source}" alt="From elsewhere"><img src="/media/library/ok.jpg" alt="Ours">'
        article = Article(column=column, title_en="Pasted", body_en=body, status=Article.Status.PUBLISHED)
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        message = " ".join(error.value.message_dict["body_en"])
        assert source in message and "/media/library/ok.jpg" not in message
        article.status = Article.Status.DRAFT
        article.full_clean()  # a draft keeps them, so nothing typed is lost

    def test_pictures_of_the_site_and_its_media_origins_are_published(self, column, settings):
        settings.PORTAL_MEDIA_ORIGINS = ["https://*.amazonaws.com", "https://media.example.gov.cn"]
        body = (
            '<p>Text</p><img src="/media/library/a.jpg" alt="a">'
            '<img src="https://bucket.s3.amazonaws.com/library/b.jpg" alt="b">'
            '<img src="https://media.example.gov.cn/library/c.jpg" alt="c">'
        )
        Article(column=column, title_en="Ours", body_en=body, status=Article.Status.PUBLISHED).full_clean()

    def test_body_is_sanitized_on_save_whatever_the_path(self, column):
        article = make_article(
            column,
            body_en='<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">x</a></p>',
        )
        article.refresh_from_db()
        assert "<script" not in article.body_en
        assert "onclick" not in article.body_en
        assert "javascript:" not in article.body_en
        assert article.body_en.startswith("<p>Hi")

    def test_a_title_is_required_in_some_language(self, column):
        article = Article(column=column, status=Article.Status.DRAFT)
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        assert "title_zh_hans" in error.value.message_dict

    def test_publishing_needs_one_complete_language(self, column):
        article = Article(column=column, title_en="Only a title", status=Article.Status.PUBLISHED)
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        assert "status" in error.value.message_dict

    def test_empty_rich_text_counts_as_no_body(self, column):
        article = Article(
            column=column, title_en="T", body_en="<p><br></p>", title_zh_hans="标题", body_zh_hans="<p>正文</p>"
        )
        article.full_clean()
        assert article.body_en == ""
        assert article.available_languages() == ["zh-hans"]

    def test_unpublish_must_follow_publish(self, column):
        now = timezone.now()
        article = Article(column=column, title_zh_hans="标题", publish_at=now, unpublish_at=now - timedelta(hours=1))
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        assert "unpublish_at" in error.value.message_dict

    def test_slug_comes_from_the_english_title(self, column):
        article = Article(column=column, title_zh_hans="标题", title_en="Jilin Signs 12 Projects!", body_en="<p>x</p>")
        article.full_clean()
        assert article.slug == "jilin-signs-12-projects"

    def test_chinese_only_article_has_an_address_without_slug(self, column):
        article = make_article(column, languages=("zh-hans",))
        assert article.get_absolute_url("zh-hans") == f"/zh-hans/news/{article.pk}/"


class TestSiteSettings:
    def test_load_returns_an_unsaved_default_before_any_row_exists(self):
        assert SiteSettings.load().pk == 1
        assert not SiteSettings.objects.exists()

    def test_there_is_only_one_row(self, site_settings):
        SiteSettings(site_name_zh_hans="另一个", site_name_en="Another").save()
        assert SiteSettings.objects.count() == 1
        assert SiteSettings.load().site_name_en == "Another"

    def test_the_database_refuses_a_second_row(self, site_settings):
        with pytest.raises(IntegrityError):
            SiteSettings.objects.bulk_create([SiteSettings(pk=2, site_name_zh_hans="x", site_name_en="x")])


@pytest.mark.django_db
def test_archive_months_are_the_local_months_datetimes_gives():
    """One grouped query on SQLite (news.models.ArticleQuerySet.archive_months); the months in
    Beijing time, across the UTC month boundaries where the two calendars disagree."""
    from datetime import UTC, datetime

    column = make_article(publish_at=datetime(2026, 7, 15, tzinfo=UTC)).column
    moments = [
        datetime(2026, 10, 31, 15, 59, tzinfo=UTC),  # 31 October 23:59 in Beijing
        datetime(2026, 10, 31, 16, 0, tzinfo=UTC),  # 1 November 00:00 in Beijing
        datetime(2026, 9, 30, 20, 0, tzinfo=UTC),  # 1 October in Beijing, September in UTC
        datetime(2026, 7, 1, 3, 0, tzinfo=UTC),
        datetime(2025, 12, 31, 17, 0, tzinfo=UTC),  # 1 January 2026 in Beijing
        datetime(2025, 12, 31, 15, 0, tzinfo=UTC),  # still 2025 in Beijing
    ]
    for moment in moments:
        make_article(column, publish_at=moment)
    make_article(publish_at=datetime(2024, 3, 3, tzinfo=UTC))  # another column: not listed
    public = Article.objects.public().filter(column=column)

    expected = list(public.datetimes("publish_at", "month", order="DESC"))
    months = public.archive_months()
    assert months == expected
    # November comes only from the last row of October in UTC, 2025-12 only from the first of a group.
    assert [(m.year, m.month) for m in months] == [(2026, 11), (2026, 10), (2026, 7), (2026, 1), (2025, 12)]
    assert all(m.utcoffset() == timedelta(hours=8) for m in months)
