"""Uploaded media on S3-compatible storage, against a local S3 server (moto) on 127.0.0.1."""

import re
import runpy
import urllib.request

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from storages.backends.s3 import S3Storage

from tests.factories import image_file, make_article
from tests.servers import new_bucket, s3_client, s3_environment


@pytest.fixture
def s3_media(s3_endpoint, settings, monkeypatch):
    """The project's settings as the environment variables make them, with a fresh bucket."""
    bucket = new_bucket(s3_endpoint)
    for name, value in s3_environment(s3_endpoint, bucket).items():
        monkeypatch.setenv(name, value)
    configured = runpy.run_path(str(django_settings.BASE_DIR / "portal" / "settings.py"))
    assert configured["PORTAL_SERVE_MEDIA"] is False
    settings.STORAGES = {**settings.STORAGES, "default": configured["STORAGES"]["default"]}
    return bucket


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


@pytest.mark.django_db
def test_a_cover_image_is_stored_in_the_bucket_and_served_from_it(client, site, s3_media, s3_endpoint):
    upload = image_file("harbour.jpg", size=(120, 80))
    uploaded_bytes = upload.read()
    upload.seek(0)
    article = make_article(site, cover_image=upload, featured=True)
    assert isinstance(default_storage._wrapped, S3Storage)
    url = article.cover_image.url
    assert url.startswith(f"{s3_endpoint}/{s3_media}/covers/")
    assert (article.cover_width, article.cover_height) == (120, 80)
    status, body = fetch(url)
    assert status == 200 and body == uploaded_bytes
    assert f'src="{url}"' in client.get("/en/").content.decode()


@pytest.mark.django_db
def test_a_second_upload_with_the_same_name_does_not_replace_the_first(site, s3_media):
    first = make_article(site, cover_image=image_file("same.jpg", size=(10, 10)))
    second = make_article(site, cover_image=image_file("same.jpg", size=(20, 20)))
    assert first.cover_image.name != second.cover_image.name
    assert fetch(first.cover_image.url)[0] == fetch(second.cover_image.url)[0] == 200


def test_without_a_bucket_media_stay_on_local_disk():
    assert django_settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


@pytest.mark.django_db
def test_objects_get_the_content_type_of_their_generated_name(site, s3_media, s3_endpoint):
    # Readers fetch media straight from the bucket, so the type stored with each object is the
    # one their browser sees: a picture's, a document's, never HTML whatever the upload was called.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from news.models import Attachment
    from news.uploads import images, renditions

    article = make_article(site, cover_image=images.reencode(image_file("../../cover.php.jpg", size=(500, 300))))
    attachment = Attachment(article=article, title_en="Policy")
    # The uploader's browser claims text/html: the bucket must not keep that.
    document = SimpleUploadedFile("x.pdf", b"%PDF-1.7\n<html><script>alert(1)</script>", content_type="text/html")
    attachment.file.save("../../policy.html.pdf", document, save=True)
    s3 = s3_client(s3_endpoint)
    expected = {
        article.cover_image.name: "image/jpeg",
        renditions.rendition_name(article.cover_image.name, 480): "image/jpeg",
        renditions.rendition_name(article.cover_image.name, 480, "webp"): "image/webp",
        attachment.file.name: "application/pdf",
    }
    for name, content_type in expected.items():
        assert re.fullmatch(r"(covers/\d{4}/\d{2}|attachments)/[0-9a-f]{32}(_w480)?\.(jpg|webp|pdf)", name)
        head = s3.head_object(Bucket=s3_media, Key=name)
        assert head["ContentType"] == content_type
        assert head.get("ContentDisposition") == ("attachment" if name.endswith(".pdf") else None)
    assert type(default_storage._wrapped).__name__ == "MediaS3Storage"
