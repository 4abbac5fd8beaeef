"""Faults in the request path: the database away, the storage full or failing, a save failing half-way.

The database is made to fail from inside the test (an execute wrapper or a patched connection),
so these run on SQLite and PostgreSQL alike; tests/test_database_outage.py stops a real
PostgreSQL server under a running portal.
"""

import errno
import logging
import re
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.test import Client
from django.utils import translation
from reversion.models import Version

from news.models import Article, Attachment, Image, SearchDocument, Tag
from tests.factories import admin_form_data, image_file, make_article
from tests.servers import new_bucket, s3_client

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@contextmanager
def failing_sql(pattern=r".", error=OperationalError, message="server closed the connection unexpectedly"):
    """Every statement matching ``pattern`` fails as ``error`` before it reaches the database."""
    matcher = re.compile(pattern, re.IGNORECASE)

    def wrapper(execute, sql, params, many, context):
        if matcher.search(sql) and not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK)", sql, re.I):
            raise error(message)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def tolerant(client):
    """The client answering as a browser would see it, instead of raising the server's exception."""
    client.raise_request_exception = False
    return client


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def assert_unavailable_page(response, first_language):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Language"] == first_language
    body = response.content.decode()
    # Both languages, the reader's first; no traceback, no SQL, no exception text.
    english = body.index("Service temporarily unavailable")
    chinese = body.index("服务暂时不可用")
    assert (english < chinese) == (first_language == "en")
    assert "cannot reach its database" in body and "无法连接数据库" in body
    for leak in ("Traceback", "OperationalError", "InterfaceError", "server closed", "SELECT"):
        assert leak not in body
    # The security headers still wrap it (the 503 is made inside the middleware stack).
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    return body


# --- The database away --------------------------------------------------------------------


@pytest.mark.django_db
class TestDatabaseUnavailable:
    @pytest.mark.parametrize("error", [OperationalError, InterfaceError])
    @pytest.mark.parametrize(
        ("path", "language"), [("/en/", "en"), ("/zh-hans/", "zh-hans"), ("/en/search/?q=x", "en")]
    )
    def test_readers_get_a_bilingual_503_with_retry_after(self, client, site, caplog, error, path, language):
        with failing_sql(error=error), caplog.at_level(logging.INFO):
            response = tolerant(client).get(path)
        assert_unavailable_page(response, language)
        # Logged once, with the exception's class, and not as Django's traceback.
        records = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(records) == 1, [r.getMessage() for r in records]
        assert records[0].name == "portal.faults" and error.__name__ in records[0].getMessage()
        assert records[0].exc_info is None

    def test_a_failed_connection_is_a_503_and_the_next_request_recovers(self, client, site):
        attempts = []

        def refuse(*args, **kwargs):
            attempts.append(1)
            raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

        article = make_article(site)
        with mock.patch.object(connection, "ensure_connection", refuse):
            response = tolerant(client).get(article.get_absolute_url("en"))
        assert attempts and assert_unavailable_page(response, "en")
        assert "Connection refused" not in response.content.decode()
        # The same process, with nothing restarted: the database answers again, so do the pages.
        response = client.get(article.get_absolute_url("en"))
        assert response.status_code == 200 and article.title_en in response.content.decode()

    def test_a_cached_page_is_still_served(self, client, site):
        article = make_article(site)
        assert client.get(article.get_absolute_url("en")).status_code == 200  # now in the page cache
        with failing_sql():
            response = tolerant(client).get(article.get_absolute_url("en"))
            other = tolerant(Client()).get("/en/search/?q=nothing-cached")
        assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
        assert other.status_code == 503

    def test_the_language_comes_from_the_browser_outside_the_language_prefixes(self, client, site):
        with failing_sql():
            response = tolerant(client).get("/sitemap.xml", headers={"accept-language": "en"})
        assert_unavailable_page(response, "en")
        with failing_sql():
            response = tolerant(client).get("/sitemap.xml", headers={"accept-language": "zh-CN,zh;q=0.9"})
        assert_unavailable_page(response, "zh-hans")

    def test_errors_in_middleware_are_caught_too(self, editor_client, site):
        # The session is read by SessionMiddleware, before any view runs.
        with failing_sql(r'"django_session"'):
            response = tolerant(editor_client).get("/admin/", headers={"accept-language": "en"})
        assert_unavailable_page(response, "en")

    def test_an_admin_save_tells_the_editor_nothing_was_saved(self, senior_client, site):
        article = make_article(site, title_en="Before")
        before = article_state(article)
        url = f"/admin/news/article/{article.pk}/change/"
        with failing_sql(r'^\s*UPDATE "news_article"'):
            response = tolerant(senior_client).post(
                url, admin_form_data(article, title_en="After"), headers={"accept-language": "en"}
            )
        body = assert_unavailable_page(response, "en")
        assert "Nothing was saved" in body and "Back button" in body and "什么也没有保存" in body
        assert article_state(article) == before

    def test_the_status_agrees_and_liveness_stays_200(self, client, db):
        with failing_sql():
            response = client.get("/healthz/status")
            assert client.get("/healthz").status_code == 200
        assert response.status_code == 503 and response.json()["database"] == "error"
        assert response["Retry-After"] == "30"

    def test_other_database_errors_stay_500s(self, client, site):
        with failing_sql(error=DatabaseError, message="value too long"):
            response = tolerant(client).get("/en/")
        assert response.status_code == 500 and "Retry-After" not in response


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real reconnection: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_postgresql_refusing_new_connections_then_accepting_them(client, site):
    article = make_article(site)
    connection.close()
    with mock.patch.object(
        type(connections["default"]), "get_new_connection", side_effect=OperationalError("connection refused")
    ) as connect:
        response = tolerant(client).get(article.get_absolute_url("en"))
    assert connect.called
    assert_unavailable_page(response, "en")
    assert client.get(article.get_absolute_url("en")).status_code == 200


# --- Storage full or failing during an upload ---------------------------------------------


@contextmanager
def storage_failing(error, after=0, storage_class=FileSystemStorage):
    """``_save`` on the storage in use raises ``error`` from its ``after+1``-th call on."""
    calls = []
    original = storage_class._save

    def save(self, name, content):
        calls.append(name)
        if len(calls) > after:
            raise error
        return original(self, name, content)

    with mock.patch.object(storage_class, "_save", save):
        yield calls


DISK_FULL = OSError(errno.ENOSPC, "No space left on device")
STORAGE_BROKEN = OSError(errno.EIO, "Input/output error")


def article_state(article):
    """Everything an admin save of ``article`` writes, as plain values."""
    with translation.override("en"):  # modeltranslation reads .values() in the active language
        return {
            "row": Article.objects.filter(pk=article.pk).values().get(),
            "tags": sorted(article.tags.values_list("pk", flat=True)),
            "versions": sorted(Version.objects.get_for_object(article).values_list("pk", "serialized_data")),
            "search": sorted(SearchDocument.objects.filter(article=article).values_list("language", "title", "body")),
            "attachments": sorted(Attachment.objects.filter(article=article).values_list("pk", "file")),
        }


def full_change(article, tag, **overrides):
    """A change touching every related part: fields, tags, cover (with renditions), an attachment."""
    return admin_form_data(
        article,
        title_en="Changed title",
        body_en="<p>Changed body</p>",
        cover_image=image_file("cover.jpg", size=(1000, 600)),
        cover_alt_zh_hans="封面",
        cover_alt_en="Cover",
        tags=[tag.pk],
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-file": SimpleUploadedFile("guide.pdf", PDF),
            "attachments-0-title_zh_hans": "指南",
            "attachments-0-title_en": "Guide",
            "attachments-0-order": "0",
        },
        **overrides,
    )


@pytest.fixture
def saved_article(senior_client, site):
    """A draft saved once through the admin, so it has a revision and search documents."""
    article = make_article(site, status=Article.Status.DRAFT, title_en="Original title")
    url = f"/admin/news/article/{article.pk}/change/"
    assert senior_client.post(url, admin_form_data(article)).status_code == 302
    article.refresh_from_db()
    assert Version.objects.get_for_object(article).count() == 1 and SearchDocument.objects.filter(article=article)
    return article


@pytest.fixture
def tag(db):
    return Tag.objects.create(slug="new-energy", name_zh_hans="新能源", name_en="New energy")


@pytest.mark.django_db
class TestStorageErrors:
    @pytest.mark.parametrize(
        ("error", "after", "message"),
        [
            (DISK_FULL, 0, "the server&#x27;s disk is full"),  # the cover itself
            (DISK_FULL, 3, "the server&#x27;s disk is full"),  # half-way through its resized copies
            (DISK_FULL, 6, "the server&#x27;s disk is full"),  # the attachment, after the article's row
            (STORAGE_BROKEN, 0, "the file storage reported an error"),
            (PermissionError(errno.EACCES, "Permission denied"), 1, "the file storage reported an error"),
        ],
    )
    def test_an_upload_the_storage_refuses_changes_nothing(
        self, senior_client, saved_article, tag, caplog, error, after, message
    ):
        before, files_before = article_state(saved_article), media_files()
        url = f"/admin/news/article/{saved_article.pk}/change/"
        with storage_failing(error, after) as calls:
            response = senior_client.post(url, full_change(saved_article, tag), headers={"accept-language": "en"})
        assert len(calls) == after + 1  # it did fail there
        assert response.status_code == 200
        body = response.content.decode()
        assert message in body and "Nothing was saved; your text is kept below" in body
        assert "Changed title" in body  # the editor's input comes back in the form
        assert article_state(saved_article) == before
        assert media_files() == files_before
        assert any(r.name == "portal.faults" and type(error).__name__ in r.getMessage() for r in caplog.records)
        # Once the storage works again, the same form saves.
        response = senior_client.post(url, full_change(saved_article, tag))
        assert response.status_code == 302
        assert article_state(saved_article) != before

    def test_the_message_is_in_chinese_for_chinese_editors(self, senior_client, saved_article, tag):
        url = f"/admin/news/article/{saved_article.pk}/change/"
        with storage_failing(DISK_FULL):
            response = senior_client.post(url, full_change(saved_article, tag), headers={"accept-language": "zh-CN"})
        assert "服务器磁盘已满" in response.content.decode()

    def test_a_new_article_is_not_created(self, senior_client, site, tag):
        count, files_before = Article.objects.count(), media_files()
        data = full_change(None, tag, column=site.pk, title_zh_hans="新文章", body_zh_hans="<p>正文</p>")
        with storage_failing(DISK_FULL, after=2):
            response = senior_client.post("/admin/news/article/add/", data, headers={"accept-language": "en"})
        assert response.status_code == 200 and "disk is full" in response.content.decode()
        assert Article.objects.count() == count and not Attachment.objects.exists()
        assert media_files() == files_before

    def test_the_picture_library(self, senior_client):
        data = {"file": image_file("harbour.jpg", size=(1600, 900))}
        data.update(alt_zh_hans="港口", alt_en="Harbour", caption_zh_hans="", caption_en="", credit_zh_hans="")
        data.update(credit_en="")
        with storage_failing(DISK_FULL, after=4):
            response = senior_client.post("/admin/news/image/add/", data, headers={"accept-language": "en"})
        assert response.status_code == 200 and "disk is full" in response.content.decode()
        assert not Image.objects.exists() and media_files() == []

    def test_on_s3(self, senior_client, saved_article, tag, s3_endpoint, settings):
        from botocore.exceptions import ClientError
        from storages.backends.s3 import S3Storage

        bucket = new_bucket(s3_endpoint)
        options = {
            "bucket_name": bucket,
            "endpoint_url": s3_endpoint,
            "region_name": "us-east-1",
            "access_key": "testing",
            "secret_key": "testing",
            "file_overwrite": False,
        }
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        }
        before = article_state(saved_article)
        refused = ClientError(
            {"Error": {"Code": "InternalError", "Message": "We encountered an internal error"}}, "PutObject"
        )
        url = f"/admin/news/article/{saved_article.pk}/change/"
        with storage_failing(refused, after=2, storage_class=S3Storage) as calls:
            response = senior_client.post(url, full_change(saved_article, tag), headers={"accept-language": "en"})
        assert len(calls) == 3
        assert response.status_code == 200 and "the file storage reported an error" in response.content.decode()
        assert article_state(saved_article) == before
        client = s3_client(s3_endpoint)
        assert client.list_objects_v2(Bucket=bucket).get("KeyCount") == 0  # the two written copies are gone


# --- Every admin save is all or nothing ---------------------------------------------------


@contextmanager
def search_index_failing():
    with mock.patch("news.search.index_article", side_effect=RuntimeError("index failed")):
        yield


@contextmanager
def renditions_failing():
    with mock.patch("news.fields.make_renditions", side_effect=RuntimeError("cannot resize")):
        yield


FAILURES = {
    "tags": lambda: failing_sql(r'INSERT (OR IGNORE )?INTO "news_article_tags"', DatabaseError, "deadlock detected"),
    "attachment inline": lambda: failing_sql(r'INSERT INTO "news_attachment"', DatabaseError, "disk I/O error"),
    "revision": lambda: failing_sql(r'INSERT INTO "reversion_version"', DatabaseError, "could not extend file"),
    "search index": search_index_failing,
    "cover renditions": renditions_failing,
    "database lost mid-save": lambda: failing_sql(r'INSERT INTO "news_attachment"', OperationalError),
}


@pytest.mark.django_db
class TestAllOrNothing:
    def test_the_full_change_saves_when_nothing_fails(self, senior_client, saved_article, tag):
        before = article_state(saved_article)
        url = f"/admin/news/article/{saved_article.pk}/change/"
        assert senior_client.post(url, full_change(saved_article, tag)).status_code == 302
        after = article_state(saved_article)
        # Every part the failure tests break is written by this save.
        assert all(after[part] != before[part] for part in before), after
        assert after["tags"] == [tag.pk] and len(after["versions"]) == 2
        assert any("changed" in body.lower() for _language, _title, body in after["search"])

    @pytest.mark.parametrize("failure", FAILURES)
    def test_a_failing_part_leaves_the_article_as_it_was(self, senior_client, saved_article, tag, failure):
        before, files_before = article_state(saved_article), media_files()
        url = f"/admin/news/article/{saved_article.pk}/change/"
        with FAILURES[failure]():
            response = tolerant(senior_client).post(url, full_change(saved_article, tag))
        assert response.status_code == (503 if failure == "database lost mid-save" else 500)
        assert article_state(saved_article) == before
        assert media_files() == files_before  # the cover and its copies were written, then removed

    def test_publishing_is_audited_only_when_it_happened(self, senior_client, saved_article, tag, caplog):
        url = f"/admin/news/article/{saved_article.pk}/change/"
        data = full_change(saved_article, tag, status=Article.Status.PUBLISHED)
        with FAILURES["revision"](), caplog.at_level(logging.INFO, logger="portal.audit"):
            tolerant(senior_client).post(url, data)
        assert not [r for r in caplog.records if "article.publish" in r.getMessage()]
