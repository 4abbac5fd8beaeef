"""Operations: backup and restore round trip, the health check."""

import hashlib
import io
import subprocess
import sys
import tarfile

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from news.models import Article, Column, Page, Region, SiteSettings, Tag
from news.operations import backup, health
from tests import servers
from tests.factories import image_file, make_article

MODELS = (Article, Column, Page, Region, SiteSettings, Tag)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def export_checksum(folder):
    """SHA-256 of a fresh export (same file name each time, so the file paths inside match)."""
    folder.mkdir()
    path = folder / "articles.jsonl"
    call_command("export_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return hashlib.sha256(path.read_bytes()).hexdigest()


def media_checksums():
    result = {}
    for name in backup.media_files():
        with default_storage.open(name, "rb") as handle:
            result[name] = hashlib.sha256(handle.read()).hexdigest()
    return result


@pytest.mark.django_db(transaction=True)
class TestBackupAndRestore:
    def test_the_round_trip_loses_nothing(self, tmp_path, settings):
        call_command("load_demo", stdout=io.StringIO())
        make_article(
            Column.objects.first(), title_en="Uploaded here", cover_image=image_file("upload.png", image_format="PNG")
        )
        before = counts()
        before_export = export_checksum(tmp_path / "before")
        before_media = media_checksums()
        assert len(before_media) >= 5
        archive = tmp_path / "site.tar.gz"
        call_command("backup", str(archive), stdout=io.StringIO())

        # An empty installation: no rows, no media.
        call_command("flush", interactive=False, verbosity=0)
        settings.MEDIA_ROOT = tmp_path / "empty-media"
        assert Article.objects.count() == 0 and media_checksums() == {}

        out = io.StringIO()
        call_command("restore", str(archive), stdout=out)
        assert "Restored the database" in out.getvalue()
        assert counts() == before
        assert export_checksum(tmp_path / "after") == before_export
        assert media_checksums() == before_media

    def test_no_restored_over_page_is_served_from_the_page_cache(self, client, tmp_path):
        column = Column.objects.create(slug="c", name_zh_hans="栏", name_en="C")
        article = make_article(column, title_en="In the backup")
        archive = tmp_path / "site.tar.gz"
        call_command("backup", str(archive), stdout=io.StringIO())
        Article.objects.filter(pk=article.pk).update(title_en="Replaced by the restore")  # behind the ORM's signals
        client.get("/en/")
        cached = client.get("/en/")
        assert cached["X-Page-Cache"] == "hit" and "Replaced by the restore" in cached.content.decode()
        call_command("restore", str(archive), "--force", stdout=io.StringIO())
        page = client.get("/en/")
        assert page["X-Page-Cache"] == "miss"
        assert "In the backup" in page.content.decode() and "Replaced by the restore" not in page.content.decode()

    def test_the_archive_and_the_sqlite_file_are_readable_by_their_owner_only(self, tmp_path):
        archive = tmp_path / "site.tar.gz"
        archive.write_bytes(b"")
        archive.chmod(0o644)  # an older archive of the same name
        call_command("backup", str(archive), stdout=io.StringIO())
        assert archive.stat().st_mode & 0o777 == 0o600
        (tmp_path / "data").mkdir()
        env = servers.environment(tmp_path / "data")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
            cwd=settings.BASE_DIR, env=env, check=True, timeout=300,
        )  # fmt: skip
        assert (tmp_path / "data" / "db.sqlite3").stat().st_mode & 0o777 == 0o600

    def test_a_damaged_archive_is_refused_before_anything_changes(self, tmp_path):
        make_article(Column.objects.create(slug="c", name_zh_hans="栏", name_en="C"), title_en="Keep me")
        archive = tmp_path / "site.tar.gz"
        call_command("backup", str(archive), stdout=io.StringIO())
        damaged = tmp_path / "damaged.tar.gz"
        with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
            for member in source.getmembers():
                data = source.extractfile(member).read()
                if member.name.startswith("database"):
                    data = data[:-10] + b"0123456789"
                target.addfile(member, io.BytesIO(data))
        with pytest.raises(CommandError, match="Checksum mismatch"):
            call_command("restore", str(damaged), "--force", stdout=io.StringIO())
        assert Article.objects.get().title_en == "Keep me"

    def test_restore_refuses_a_site_with_articles_without_force(self, tmp_path):
        make_article(title_en="Existing")
        archive = tmp_path / "site.tar.gz"
        call_command("backup", str(archive), stdout=io.StringIO())
        with pytest.raises(CommandError, match="already has articles"):
            call_command("restore", str(archive), stdout=io.StringIO())


@pytest.mark.django_db
class TestHealthCheck:
    def test_healthy(self, client):
        response = client.get("/healthz/status")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "storage": "ok"}
        assert "no-cache" in response["Cache-Control"]

    def test_liveness_answers_200_while_every_dependency_fails(self, client, monkeypatch):
        def broken():
            raise DatabaseError("down")

        for name in health.CHECKS:
            monkeypatch.setitem(health.CHECKS, name, broken)
        assert client.get("/healthz/status").status_code == 503
        response = client.get("/healthz")
        assert response.status_code == 200 and response.json() == {"status": "ok"}
        assert "no-cache" in response["Cache-Control"]

    def test_a_failing_database_is_a_503_without_details(self, client, monkeypatch):
        def broken():
            raise DatabaseError("connection refused to db.internal:5432 password=secret")

        monkeypatch.setitem(health.CHECKS, "database", broken)
        response = client.get("/healthz/status")
        assert response.status_code == 503
        assert response.json()["database"] == "error"
        assert b"secret" not in response.content and b"db.internal" not in response.content

    def test_a_cache_that_loses_writes_is_reported(self, client, monkeypatch):
        monkeypatch.setattr(cache, "get", lambda key, default=None, **kwargs: default)
        response = client.get("/healthz/status")
        assert response.status_code == 503 and response.json()["cache"] == "error"
