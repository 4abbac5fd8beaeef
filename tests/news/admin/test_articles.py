import re

import pytest
from django.contrib.auth import get_user_model

from news.models import Article, SiteSettings
from tests.factories import admin_form_data, article_form, image_file, make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "a-long-password-1")
    client.force_login(user)
    client.user = user
    return client


class TestArticleAdmin:
    def test_fieldsets_group_each_language_together(self, staff_client, site):
        page = staff_client.get("/admin/news/article/add/", headers={"accept-language": "en"}).content.decode()
        chinese = page.index("Simplified Chinese version")
        english = page.index("English version")
        fields = {
            name: page.index(f'name="{name}"') for name in ("title_zh_hans", "body_zh_hans", "title_en", "body_en")
        }
        assert (
            chinese
            < fields["title_zh_hans"]
            < fields["body_zh_hans"]
            < english
            < fields["title_en"]
            < fields["body_en"]
        )
        assert 'name="title"' not in page  # the untranslated original field is not offered

    def test_a_bilingual_article_added_in_the_admin_appears_on_both_sites(self, staff_client, site):
        response = staff_client.post(
            "/admin/news/article/add/",
            article_form(site, cover_image=image_file(), cover_alt_zh_hans="封面", cover_alt_en="Cover"),
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        article = Article.objects.get()
        assert article.slug == "jilin-signs-new-projects"
        assert article.created_by == staff_client.user == article.updated_by
        assert article.cover_width == 64
        assert "吉林签约新项目" in staff_client.get("/zh-hans/").content.decode()
        assert "Jilin Signs New Projects" in staff_client.get("/en/").content.decode()
        en = staff_client.get(article.get_absolute_url("en"))
        assert en.status_code == 200 and "English body" in en.content.decode() and "Jilin Daily" in en.content.decode()

    def test_publish_time_is_entered_in_shanghai_time(self, staff_client, site):
        staff_client.post("/admin/news/article/add/", article_form(site))
        article = Article.objects.get()
        assert article.publish_at.isoformat() == "2026-11-01T01:40:00+00:00"

    def test_invalid_form_saves_nothing_and_says_why(self, staff_client, site):
        response = staff_client.post(
            "/admin/news/article/add/",
            article_form(site, title_zh_hans="", title_en="", body_zh_hans="", body_en=""),
            headers={"accept-language": "en"},
        )
        assert response.status_code == 200
        assert "Write the title in at least one language." in response.content.decode()
        assert not Article.objects.exists()

    def test_list_shows_languages_status_and_filters_missing_english(self, staff_client, site):
        make_article(site, title_en="Complete", title_zh_hans="完整")
        make_article(site, languages=("zh-hans",), title_zh_hans="缺英文")
        page = staff_client.get("/admin/news/article/", headers={"accept-language": "en"}).content.decode()
        assert "Complete" in page and "缺英文" in page
        assert "EN ✗" in page and "EN ✓" in page
        missing = staff_client.get("/admin/news/article/?missing=en").content.decode()
        assert "缺英文" in missing and "Complete" not in missing

    def test_scheduled_articles_are_marked_in_the_list(self, staff_client, site):
        from datetime import timedelta

        from django.utils import timezone

        make_article(site, publish_at=timezone.now() + timedelta(days=2))
        page = staff_client.get("/admin/news/article/", headers={"accept-language": "en"}).content.decode()
        assert "Scheduled" in page

    @pytest.mark.parametrize(("query", "found"), [("Matchmaking", True), ("洽谈", True), ("nothing-like-it", False)])
    def test_search_covers_both_titles(self, staff_client, site, query, found):
        make_article(site, title_en="Project Matchmaking", title_zh_hans="项目洽谈")
        page = staff_client.get("/admin/news/article/", {"q": query}).content.decode()
        assert ("Project Matchmaking" in page or "项目洽谈" in page) is found

    def test_view_on_site_opens_a_language_the_article_exists_in(self, staff_client, site):
        article = make_article(site, languages=("zh-hans",))
        page = staff_client.get(
            f"/admin/news/article/{article.pk}/change/", headers={"accept-language": "en"}
        ).content.decode()
        link = re.search(r'href="([^"]+)" class="viewsitelink"', page).group(1)
        assert link == f"/zh-hans/news/{article.pk}/"
        assert staff_client.get(link).status_code == 200

    def test_the_admin_speaks_chinese_to_a_chinese_browser(self, staff_client, site):
        page = staff_client.get("/admin/", headers={"accept-language": "zh-CN,zh;q=0.9"}).content.decode()
        assert "投资促进网站管理后台" in page  # our own string
        assert "注销" in page or "登出" in page  # Django's own translation
        assert "文章" in page and "栏目" in page


class TestSiteSettingsAdmin:
    def test_the_list_goes_straight_to_the_one_row(self, staff_client, site_settings):
        response = staff_client.get("/admin/news/sitesettings/")
        assert response.status_code == 302
        assert response["Location"] == "/admin/news/sitesettings/1/change/"

    def test_no_second_row_and_no_delete(self, staff_client, site_settings):
        assert staff_client.get("/admin/news/sitesettings/add/").status_code == 403
        assert staff_client.get("/admin/news/sitesettings/1/delete/").status_code == 403

    def test_editing_in_both_languages(self, staff_client, site_settings):
        data = {
            "site_name_zh_hans": "新名称",
            "site_name_en": "New name",
            "sponsor_zh_hans": "",
            "sponsor_en": "",
            "contact_address_zh_hans": "长春",
            "contact_address_en": "Changchun",
            "contact_phone": "0431-1",
            "contact_email": "a@example.org",
            "icp_record": "吉ICP备1号",
            "icp_url": "https://beian.miit.gov.cn/",
            "public_security_record": "",
            "public_security_url": "",
            "government_site_code": "",
            "government_site_code_url": "",
        }
        response = staff_client.post("/admin/news/sitesettings/1/change/", data)
        assert response.status_code == 302
        assert SiteSettings.load().site_name_en == "New name"
        assert "版权所有：新名称" in staff_client.get("/zh-hans/").content.decode()


def test_anonymous_users_are_sent_to_the_login(client, db):
    response = client.get("/admin/news/article/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_can_switch_the_admin_language(staff_client):
    page = staff_client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    assert 'name="language" value="zh-hans" lang="zh-Hans">简体中文</button>' in page
    response = staff_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert "投资促进网站管理后台" in staff_client.get("/admin/", headers={"accept-language": "en"}).content.decode()


def test_the_article_admins_bases_wrap_each_other_in_the_stated_order():
    """news/admin/articles.py: a storage failure is shown only once django-reversion's revision
    block and the transaction have both rolled back, so SafeSaveAdminMixin must be outermost."""
    from reversion.admin import VersionAdmin

    from news.admin.articles import ArticleAdmin
    from news.admin.csp import NonceMediaMixin
    from news.admin.site import PortalAdmin
    from news.uploads.cleanup import SafeSaveAdminMixin

    order = ArticleAdmin.__mro__
    assert order.index(SafeSaveAdminMixin) < order.index(VersionAdmin) < order.index(PortalAdmin)
    assert order.index(PortalAdmin) < order.index(NonceMediaMixin)


class TestRefusedSave:
    """A refused save says which fields, links to each, and reports each fault once (news/admin/forms.py)."""

    def test_a_too_long_title_is_one_clear_error_named_and_linked(self, client, site):
        senior = make_staff("Senior editor")
        client.force_login(senior)
        data = admin_form_data(column=site.pk, title_zh_hans="长" * 256, body_zh_hans="<p>正文</p>")
        response = client.post("/admin/news/article/add/", data, headers={"accept-language": "zh-hans"})
        assert response.status_code == 200
        page = response.content.decode()
        assert '<a href="#id_title_zh_hans">标题（简体中文）</a>' in page
        assert "最多 255 个字符，现有 256 个。" in page
        assert "至少用一种语言" not in page and "确保该变量" not in page
        assert "[zh-hans]" not in page
        assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This text is 1207 characters long; at most 1000 can be saved."),
        ("zh-hans", "这段文字有 1207 个字符，最多只能保存 1000 个。"),
    ],
)
def test_a_body_over_the_limit_is_refused_with_a_message_in_the_editors_language(
    staff_client, site, settings, language, message
):
    settings.PORTAL_BODY_MAX_CHARACTERS = 1000
    response = staff_client.post(
        "/admin/news/article/add/",
        article_form(site, body_zh_hans="<p>" + "长" * 1200 + "</p>"),
        headers={"accept-language": language},
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "The form sent more than 1 MB of text, so nothing was saved."), ("zh-hans", "表单提交的文字超过 1 MB")],
)
def test_a_form_too_large_to_read_says_so_in_the_editors_language(staff_client, site, settings, language, message):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = staff_client.post(
        "/admin/news/article/add/",
        article_form(site, body_zh_hans="<p>" + "长" * 600_000 + "</p>"),
        headers={"accept-language": language},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert "300000" in response.content.decode() and not Article.objects.exists()


@pytest.mark.parametrize(
    ("url", "data", "model", "slug"),
    [
        (
            "/admin/news/tag/add/",
            {"name_zh_hans": "1184亿元", "name_en": "118.4 Billion Yuan"},
            "Tag",
            "118-4-billion-yuan",
        ),
        (
            "/admin/news/region/add/",
            {"name_zh_hans": "长春·吉林", "name_en": "Changchun·Jilin", "order": "0"},
            "Region",
            "changchun-jilin",
        ),
        (
            "/admin/news/column/add/",
            {
                "name_zh_hans": "R&D",
                "name_en": "R&D / Innovation",
                "description_zh_hans": "",
                "order": "0",
                "kind": "news",
            },
            "Column",
            "r-d-innovation",
        ),
        (
            "/admin/news/page/add/",
            {
                "title_zh_hans": "3.5%",
                "title_en": "Growth of 3.5%",
                "body_zh_hans": "<p>一</p>",
                "body_en": "<p>One</p>",
                "order": "0",
            },
            "Page",
            "growth-of-3-5",
        ),
    ],
)
def test_a_slug_left_empty_keeps_figures_and_separators(staff_client, url, data, model, slug):
    from django.apps import apps

    response = staff_client.post(url, {"slug": "", **data}, headers={"accept-language": "zh-hans"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert apps.get_model("news", model).objects.get(slug=slug)
    page = staff_client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    assert "留空时根据英文名称生成。" in page


class TestFormWording:
    """What the form says beside its inputs (news/admin/site.py, news/admin/library.py)."""

    def test_the_date_and_time_boxes_are_named(self, client, site):
        client.force_login(make_staff("Senior editor"))
        zh = client.get("/admin/news/article/add/", headers={"accept-language": "zh-hans"}).content.decode()
        assert re.search(r'<input[^>]+name="publish_at_0"[^>]+aria-label="发布时间：日期"', zh)
        assert re.search(r'<input[^>]+name="unpublish_at_1"[^>]+aria-label="撤下时间：时间"', zh)
        en = client.get("/admin/news/article/add/", headers={"accept-language": "en"}).content.decode()
        assert re.search(r'<input[^>]+name="publish_at_0"[^>]+aria-label="Publish at: date"', en)

    def test_an_attachment_is_named_as_readers_get_it_not_by_its_stored_name(self, client, site):
        from django.core.files.base import ContentFile

        from news.models import Attachment

        article = make_article(site)
        attachment = Attachment(article=article, title_zh_hans="政策全文", title_en="Full text")
        attachment.file.save("whatever.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
        attachment.full_clean()
        attachment.save()
        client.force_login(make_staff("Senior editor"))
        page = client.get(f"/admin/news/article/{article.pk}/change/", headers={"accept-language": "zh-hans"})
        html = page.content.decode()
        assert "政策全文.pdf (PDF, 15" in html
        stored = attachment.file.name.rsplit("/", 1)[1]
        assert f">{attachment.file.name}<" not in html and f">{stored}<" not in html

    def test_who_began_and_changed_it_are_names_not_links_to_account_pages(self, client, site):
        writer = make_staff("Editor", "wangxm")
        writer.last_name, writer.first_name = "王", "小明"
        writer.save()
        article = make_article(site, created_by=writer, updated_by=writer)
        client.force_login(make_staff("Senior editor"))
        html = client.get(f"/admin/news/article/{article.pk}/change/", headers={"accept-language": "zh-hans"})
        html = html.content.decode()
        assert "/admin/auth/user/" not in html  # only a Site administrator may open those pages
        assert re.search(r'<div class="readonly">王小明</div>', html)
        assert client.get(f"/admin/auth/user/{writer.pk}/change/").status_code == 403

    def test_the_cover_is_named_by_its_alt_text_not_by_its_stored_name(self, client, site):
        article = make_article(site, cover_alt_zh_hans="长春新区航拍", cover_alt_en="Changchun New Area from the air")
        article.cover_image.save("cover.jpg", image_file(), save=True)
        client.force_login(make_staff("Senior editor"))
        for language, name in (("zh-hans", "长春新区航拍"), ("en", "Changchun New Area from the air")):
            html = client.get(f"/admin/news/article/{article.pk}/change/", headers={"accept-language": language})
            html = html.content.decode()
            assert re.search(rf'<a href="{re.escape(article.cover_image.url)}">{name} \(', html), language
            assert f">{article.cover_image.name}<" not in html
