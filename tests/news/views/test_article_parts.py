"""The article page's kept parts (templates/news/article_detail.html ``{% kept %}``): kept under a
digest of everything they show, so that any change to it, a save or an ``update()`` behind the ORM
that leaves the content version alone, shows on the next request; the read count never kept."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.utils import timezone

from news.models import Article, Attachment, Column, Region, SiteSettings, Tag
from news.views import reader
from tests.factories import RegionFactory, make_article

pytestmark = pytest.mark.django_db

PARTS = ("includes/breadcrumb_article.html", "includes/reader_tools.html", "includes/related_articles.html")


@pytest.fixture
def cold(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # every request renders (the page cache off)
    return settings


@pytest.fixture
def page(site, cold):
    """An article with a region, a tag, an attachment, an older and a newer neighbour (related too)."""
    now = timezone.now()
    older = make_article(site, title_en="The older one", publish_at=now - timedelta(days=3))
    article = make_article(site, title_en="The article", body_en="<p>First body</p>", region=RegionFactory())
    article.publish_at = now - timedelta(days=2)
    article.save()
    newer = make_article(site, title_en="The newer one", publish_at=now - timedelta(days=1))
    tag = Tag.objects.create(name_zh_hans="能源", name_en="Energy", slug="energy")
    article.tags.add(tag)
    attachment = Attachment(article=article, title_en="Annex one", title_zh_hans="附件一")
    attachment.file.save("annex.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return {"article": article, "older": older, "newer": newer, "tag": tag, "attachment": attachment}


def get(client, article):
    response = client.get(article.get_absolute_url("en"))
    assert response.status_code == 200
    return response


def rendered_parts(response):
    return [template.name for template in response.templates if template.name in PARTS]


def test_the_parts_are_kept_and_the_page_is_the_same(client, page):
    first = get(client, page["article"])
    assert rendered_parts(first) == list(PARTS)
    second = get(client, page["article"])
    assert rendered_parts(second) == []  # none of them rendered again
    assert second.content == first.content
    text = second.content.decode()
    for shown in ("The article", "First body", "The older one", "The newer one", "Energy", "Annex one"):
        assert shown in text


def _article(page):
    Article.objects.filter(pk=page["article"].pk).update(title_en="Retitled", body_en="<p>Second body</p>")
    return ["Retitled", "Second body"]


def _column(page):
    # Behind the ORM: the breadcrumb and the feed link inside the parts must follow the column's
    # row, not a fragment kept per content version (which an update() leaves as it is).
    Column.objects.filter(pk=page["article"].column_id).update(name_en="Renamed column")
    # The breadcrumb's last link, and the column's feed link.
    return ['">Renamed column</a></li>\n  </ol>', 'title="Renamed column: latest news"']


def _region(page):
    Region.objects.filter(pk=page["article"].region_id).update(name_en="Renamed region", slug="renamed-region")
    return ["Renamed region", "/en/region/renamed-region/"]


def _tag(page):
    Tag.objects.filter(pk=page["tag"].pk).update(name_en="Renamed tag")
    return ["Renamed tag"]


def _new_tag(page):
    page["article"].tags.add(Tag.objects.create(name_zh_hans="农业", name_en="Farming", slug="farming"))
    return ["Farming"]


def _attachment(page):
    Attachment.objects.filter(pk=page["attachment"].pk).update(title_en="Annex renamed", accessible=True)
    return ["Annex renamed"]


def _neighbour(page):
    Article.objects.filter(pk=page["older"].pk).update(title_en="Older retitled")
    return ["Older retitled"]  # the previous link and a related article


def _unpublished_neighbour(page):
    Article.objects.filter(pk=page["newer"].pk).update(status=Article.Status.DRAFT)
    return []


def _author(page):
    Article.objects.filter(pk=page["article"].pk).update(author_en="Li Ming and Wang Fang")
    return ['<meta name="Author" content="Li Ming and Wang Fang">', '"name": "Wang Fang"']


def _site_code(page):
    # The head's identification code (the settings row is read per content version, with the chrome).
    settings = SiteSettings.objects.get()
    settings.government_site_code = "2200000099"
    settings.save()
    return ['<meta name="SiteIDCode" content="2200000099">']


def _site_name(page):
    settings = SiteSettings.objects.get()
    settings.site_name_en = "Renamed site"
    settings.save()
    return ["Renamed site"]


@pytest.mark.parametrize(
    "change",
    [
        _article,
        _column,
        _region,
        _tag,
        _new_tag,
        _attachment,
        _neighbour,
        _unpublished_neighbour,
        _author,
        _site_code,
        _site_name,
    ],
)
def test_a_change_to_anything_the_parts_show_shows_on_the_next_request(client, page, change):
    get(client, page["article"])
    before = get(client, page["article"])
    assert rendered_parts(before) == []
    shown = change(page)
    after = get(client, page["article"])
    text = after.content.decode()
    for expected in shown:
        assert expected in text
    if change is _unpublished_neighbour:
        assert "The newer one" not in text
    assert after.content != before.content
    # What the article's part of a page rendered with nothing kept writes (the header and footer,
    # kept per content version, are not this test's: an update() leaves the version alone).
    caches["article_parts"].clear()
    fresh = get(client, page["article"])
    assert main(fresh) == main(after)
    # And its head's meta tags (kept under ``meta_key``), with the site's chrome read in the same
    # content version both times.
    assert head(fresh) == head(after)


def main(response):
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def head(response):
    return response.content.decode().split("</head>", 1)[0]


def test_a_policy_documents_meta_tags_are_rendered_each_time(client, site, cold):
    """Its JSON-LD and keywords follow the document's rows, which ``meta_key`` does not hold."""
    from news.policies.models import DocumentMeta
    from tests.factories import make_policy

    article = make_policy(title_en="A policy")
    first = client.get(article.get_absolute_url("en"))
    assert first.status_code == 200 and first.context["meta_key"] is None
    DocumentMeta.objects.filter(article=article).update(keywords="wind power", document_number="吉政发〔2025〕77号")
    text = client.get(article.get_absolute_url("en")).content.decode()
    assert '<meta name="Keywords" content="wind power">' in head_text(text)
    assert "吉政发〔2025〕77号" in head_text(text)  # the JSON-LD's legislationIdentifier


def head_text(text):
    return text.split("</head>", 1)[0]


def test_the_read_count_is_never_kept(client, page, monkeypatch):
    monkeypatch.setattr(reader.visits, "article_reads", lambda pk: 1234)
    assert '<span class="read-count">1,234</span>' in get(client, page["article"]).content.decode()
    monkeypatch.setattr(reader.visits, "article_reads", lambda pk: 5678)
    response = get(client, page["article"])
    assert rendered_parts(response) == []
    assert '<span class="read-count">5,678</span>' in response.content.decode()


def test_each_language_and_address_has_its_own_parts(client, page, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.example.org"]
    article = page["article"]
    english = get(client, article).content.decode()
    chinese = client.get(article.get_absolute_url("zh-hans"))
    assert "The article" in english and "阅读本文简体中文版" in english
    assert article.title_zh_hans in main(chinese) and "The article" not in main(chinese)
    assert "Read this article in English" in main(chinese)
    # Another host: the printed web address follows it.
    other = client.get(article.get_absolute_url("en"), HTTP_HOST="portal.example.org")
    assert "http://portal.example.org/en/news/" in other.content.decode().split('class="print-only')[1][:300]


def test_the_kept_links_and_meta_follow_the_row_and_the_host(client, page, settings):
    # The language links and the meta (title, addresses, JSON-LD) are kept under the article's row,
    # its column's, the host and the language (news/views/reader.py ArticleDetailView.article_key).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.example.org"]
    article = page["article"]
    get(client, article)
    assert "<title>The article - " in get(client, article).content.decode()
    Article.objects.filter(pk=article.pk).update(title_en="Retitled", slug="retitled")
    text = client.get(f"/en/news/{article.pk}/retitled/").content.decode()
    assert "<title>Retitled - " in text and '"headline": "Retitled"' in text
    assert f'hreflang="en" href="http://testserver/en/news/{article.pk}/retitled/"' in text
    other = client.get(f"/en/news/{article.pk}/retitled/", HTTP_HOST="portal.example.org").content.decode()
    assert f'hreflang="en" href="http://portal.example.org/en/news/{article.pk}/retitled/"' in other
    assert "http://testserver" not in other


def test_a_crawl_keeps_the_parts_of_the_last_articles_read_only(client, site, cold):
    """The parts are kept in a cache of their own, bounded (``PORTAL_ARTICLE_PARTS``, ~5 KB an
    entry): a crawler walking every article keeps the last ones read, not all of them, and the
    cards' cache (``template_fragments``) is left to the cards."""
    bound = 3
    cold.CACHES = {
        **cold.CACHES,
        "article_parts": {**cold.CACHES["article_parts"], "OPTIONS": {"MAX_ENTRIES": bound}},
    }
    articles = [make_article(site, title_en=f"Crawled {n}") for n in range(2 * bound)]
    for article in articles:
        assert rendered_parts(get(client, article)) == list(PARTS)
    assert rendered_parts(get(client, articles[-1])) == []  # the last one read: kept
    assert rendered_parts(get(client, articles[0])) == list(PARTS)  # the first: forgotten


def test_the_parts_cache_is_bounded_by_the_setting(settings):
    assert settings.CACHES["article_parts"]["OPTIONS"]["MAX_ENTRIES"] == settings.PORTAL_ARTICLE_PARTS
    assert settings.CACHES["article_parts"]["LOCATION"] != settings.CACHES["template_fragments"]["LOCATION"]


def test_previews_are_never_kept_even_when_missing_variables_render_as_text(client, site, cold, senior_client):
    """A preview has no ``kept_key``: with ``string_if_invalid`` set (a common debugging setting)
    a missing key must still mean "not kept", or every preview would share one set of parts."""
    cold.TEMPLATES = [
        {**cold.TEMPLATES[0], "OPTIONS": {**cold.TEMPLATES[0]["OPTIONS"], "string_if_invalid": "INVALID"}}
    ]
    first = make_article(site, status=Article.Status.DRAFT, title_en="Draft A", body_en="<p>AAA body</p>")
    second = make_article(site, status=Article.Status.DRAFT, title_en="Draft B", body_en="<p>BBB body</p>")
    assert "AAA body" in senior_client.get(f"/admin/news/article/{first.pk}/preview/en/").content.decode()
    page = senior_client.get(f"/admin/news/article/{second.pk}/preview/en/").content.decode()
    assert "BBB body" in page and "AAA body" not in page


def test_a_long_body_is_rendered_each_time_not_kept(client, site, cold):
    """A part longer than ``KEPT_PART_MAX_CHARACTERS`` (a long policy document) is not kept: an entry
    of the parts cache stays small; the shorter parts of the same page are kept."""
    from news.pagecache.fragments import KEPT_PART_MAX_CHARACTERS

    long_body = "<p>" + "长" * (KEPT_PART_MAX_CHARACTERS + 1) + "</p>"
    make_article(site, title_en="Related one", publish_at=timezone.now() - timedelta(days=1))
    article = make_article(site, title_en="Long", body_en=long_body)
    first = get(client, article)
    assert rendered_parts(first) == list(PARTS)
    second = get(client, article)
    assert second.content == first.content and "Related one" in second.content.decode()
    # The bottom part (the body, then the related articles) rendered again; the top one kept.
    assert rendered_parts(second) == ["includes/related_articles.html"]


def test_an_article_loaded_without_all_its_fields_is_not_kept(page):
    from news.pagecache import fragments

    deferred = Article.objects.defer("body_en").get(pk=page["article"].pk)
    with pytest.raises(ValueError, match="without all its fields"):
        fragments.row_values(deferred)


def test_a_file_read_through_its_field_is_the_same_row(page):
    # A file field's value is its name until read through the field, then a FieldFile: the kept
    # parts' key must not change with that (it did when anything read the file's address first).
    from news.pagecache import fragments

    attachment = Attachment.objects.get(article=page["article"])
    fresh = Attachment.objects.get(pk=attachment.pk)
    assert attachment.file.url  # now a FieldFile in the instance
    assert fragments.row_values(attachment) == fragments.row_values(fresh)
    assert attachment.file.name in fragments.row_values(fresh)
    Attachment.objects.filter(pk=attachment.pk).update(file="attachments/another.pdf")
    assert fragments.row_values(Attachment.objects.get(pk=attachment.pk)) != fragments.row_values(attachment)


def test_a_long_or_empty_file_name_read_through_its_field_is_the_same_row(page):
    # A name over 64 characters is shortened like any long text, FieldFile or not; an empty one
    # (a FieldFile of name "") is the empty text.
    from news.pagecache import fragments

    attachment = Attachment.objects.get(article=page["article"])
    for name in (f"attachments/2026/12/{'a-long-file-name-' * 4}.pdf", ""):
        Attachment.objects.filter(pk=attachment.pk).update(file=name)
        read, fresh = Attachment.objects.get(pk=attachment.pk), Attachment.objects.get(pk=attachment.pk)
        assert read.file.name == name  # now a FieldFile in the instance
        assert fragments.row_values(read) == fragments.row_values(fresh), name


@pytest.mark.parametrize(
    "language, host, secure",
    [
        ("en", "localhost", False),
        ("en", "127.0.0.1", False),
        ("en", "localhost", True),
        ("zh-hans", "localhost", False),
    ],
)
def test_kept_meta_tags_are_each_address_and_languages_own(client, page, language, host, secure):
    """Review s11 of d30475b (coverage: passes before and after): the head kept for one host,
    scheme or language is never served for another; each is what a render with nothing kept writes."""
    article = page["article"]
    # Every other address and language first, so that their heads are kept in this process.
    for other_language in ("en", "zh-hans"):
        for other_host in ("localhost", "127.0.0.1"):
            for other_secure in (False, True):
                client.get(article.get_absolute_url(other_language), HTTP_HOST=other_host, secure=other_secure)
    kept = client.get(article.get_absolute_url(language), HTTP_HOST=host, secure=secure)
    assert kept.status_code == 200 and kept.context["meta_key"] is not None
    caches["article_parts"].clear()
    fresh = client.get(article.get_absolute_url(language), HTTP_HOST=host, secure=secure)
    assert head(kept) == head(fresh)
    scheme = "https" if secure else "http"
    assert f'<link rel="canonical" href="{scheme}://{host}/{language}/' in head(kept)
    assert f'<meta name="SiteDomain" content="{host}">' in head(kept)
