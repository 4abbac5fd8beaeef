"""Previews of drafts: from the admin in each language, and by a signed link that expires."""

import re
import time
from unittest import mock

import pytest
from django.core import signing

from news import preview
from news.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(site):
    return make_article(
        site, status=Article.Status.DRAFT, title_zh_hans="草稿标题", title_en="Draft title", body_en="<p>Draft body</p>"
    )


def assert_private(response):
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


class TestAdminPreview:
    @pytest.mark.parametrize(
        ("language", "title", "lang"), [("zh-hans", "草稿标题", "zh-Hans"), ("en", "Draft title", "en")]
    )
    def test_shows_the_draft_as_the_public_page_in_each_language(self, senior_client, draft, language, title, lang):
        response = senior_client.get(f"/admin/news/article/{draft.pk}/preview/{language}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert f'<html lang="{lang}">' in page
        assert f"<h1>{title}</h1>" in page and 'class="article-body"' in page
        assert 'class="preview-banner"' in page
        assert_private(response)
        # The public page is still a 404: only the preview shows it.
        assert senior_client.get(draft.get_absolute_url(language)).status_code == 404

    def test_the_change_page_links_to_both_previews_and_offers_signed_links(self, senior_client, draft):
        page = senior_client.get(f"/admin/news/article/{draft.pk}/change/").content.decode()
        assert f"/admin/news/article/{draft.pk}/preview/zh-hans/" in page
        assert f"/admin/news/article/{draft.pk}/preview/en/" in page
        assert "http://testserver/en/preview/" in page

    def test_needs_an_account(self, client, draft):
        response = client.get(f"/admin/news/article/{draft.pk}/preview/en/")
        assert response.status_code == 302 and "/login/" in response["Location"]


class TestSignedLink:
    def test_a_valid_link_shows_the_draft_without_an_account(self, client, draft):
        url = preview.signed_url(draft, "en")
        response = client.get(url)
        assert response.status_code == 200
        assert "Draft title" in response.content.decode()
        assert_private(response)

    def test_the_language_switch_stays_in_the_preview(self, client, draft):
        page = client.get(preview.signed_url(draft, "en")).content.decode()
        other = re.search(r'href="(/zh-hans/preview/[^"]+)" hreflang="zh-Hans"', page).group(1)
        assert "草稿标题" in client.get(other).content.decode()

    def test_an_expired_link_is_refused(self, client, draft, settings):
        url = preview.signed_url(draft, "en")
        later = time.time() + settings.PORTAL_PREVIEW_LINK_MAX_AGE + 1
        with mock.patch("django.core.signing.time.time", return_value=later):
            assert client.get(url).status_code == 404
        just_in_time = time.time() + settings.PORTAL_PREVIEW_LINK_MAX_AGE - 60
        with mock.patch("django.core.signing.time.time", return_value=just_in_time):
            assert client.get(url).status_code == 200

    def test_a_forged_or_altered_link_is_refused(self, client, draft, site):
        other = make_article(site, status=Article.Status.DRAFT, title_en="Secret other draft")
        token = preview.make_token(draft)
        forged = signing.dumps({"article": other.pk}, salt="another-salt")
        for bad in (
            forged,
            token[:-2] + "xx",
            signing.dumps({"article": other.pk}, key="not-our-secret", salt=preview.SALT),
        ):
            response = client.get(f"/en/preview/{bad}/")
            assert response.status_code == 404
            assert "Secret other draft" not in response.content.decode()


class TestAttachments:
    """A preview's attachments open for whoever may see the preview; the public address stays a 404."""

    @pytest.fixture
    def attachment(self, draft):
        from django.core.files.base import ContentFile

        from news.models import Attachment

        attachment = Attachment(article=draft, title_en="Annex", title_zh_hans="附件", size=8)
        attachment.file.save("annex.pdf", ContentFile(b"%PDF-1.7"), save=False)
        attachment.save()
        return attachment

    def test_the_signed_preview_links_a_download_that_works(self, client, draft, attachment):
        page = client.get(preview.signed_url(draft, "en")).content.decode()
        link = re.search(r'<a href="([^"]+)" download>Annex</a>', page).group(1)
        assert "/preview/" in link
        response = client.get(link)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.7"
        assert "attachment" in response["Content-Disposition"]
        assert_private(response)
        assert client.get(attachment.get_absolute_url()).status_code == 404  # not public yet

    def test_the_admin_preview_links_a_download_that_works(self, senior_client, draft, attachment):
        page = senior_client.get(f"/admin/news/article/{draft.pk}/preview/en/").content.decode()
        link = re.search(r'<a href="([^"]+)" download>Annex</a>', page).group(1)
        assert senior_client.get(link).status_code == 200

    def test_a_token_opens_only_its_own_articles_attachments(self, client, site, attachment):
        other = make_article(site, status=Article.Status.DRAFT)
        token = preview.make_token(other)
        assert client.get(f"/en/preview/{token}/attachments/{attachment.pk}/").status_code == 404
        assert client.get(f"/en/preview/forged/attachments/{attachment.pk}/").status_code == 404
