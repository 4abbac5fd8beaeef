"""Uploaded pictures: checked by content, re-encoded without metadata, resized, shown with srcset."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from PIL import Image as PILImage

from news.models import Article, Image
from news.uploads import images, renditions
from tests.factories import admin_form_data, make_article, make_project, make_zone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The messages are matched in English; the default language is Chinese.
    with translation.override("en"):
        yield


def encoded(size=(1200, 800), image_format="JPEG", exif=None, color=(200, 30, 30)):
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    PILImage.new("RGB", size, color).save(buffer, image_format, **options)
    return buffer.getvalue()


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data)


def exif_with_gps_and_orientation(orientation=6):
    exif = PILImage.Exif()
    exif[0x0112] = orientation  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x8825] = {1: "N", 2: (43.0, 52.0, 0.0), 3: "E", 4: (125.0, 19.0, 0.0)}  # GPS
    return exif


class TestReencode:
    def test_exif_and_gps_are_stripped_and_orientation_applied(self):
        data = encoded(size=(300, 200), exif=exif_with_gps_and_orientation())
        assert PILImage.open(io.BytesIO(data)).getexif().get(0x0112) == 6
        result = PILImage.open(images.reencode(upload(data)))
        assert result.size == (200, 300)  # turned upright
        assert not result.getexif()  # no orientation, camera or GPS left
        assert "exif" not in result.info

    def test_a_truncated_file_is_refused(self):
        data = encoded(size=(800, 600))
        with pytest.raises(ValidationError, match="damaged or incomplete"):
            images.reencode(upload(data[: len(data) // 2]))

    @pytest.mark.parametrize(
        "data", [b"%PDF-1.7 not a picture", b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\0" * 10]
    )
    def test_content_that_is_not_a_picture_is_refused_whatever_its_name(self, data):
        with pytest.raises(ValidationError):
            images.reencode(upload(data, "innocent.jpg"))

    def test_format_by_content_and_a_name_that_says_the_same(self):
        # A JPEG under any JPEG name is stored under a generated name of our choosing.
        result = images.reencode(upload(encoded(), "../../Beach.JPEG"))
        assert re.fullmatch(r"[0-9a-f]{32}\.jpg", result.name)
        assert PILImage.open(result).format == "JPEG"
        # A PNG named .jpg is refused, as Wagtail does, with what to do about it.
        with pytest.raises(ValidationError, match="a PNG picture but its name ends in “.jpg”"):
            images.reencode(upload(encoded(image_format="PNG"), "photo.jpg"))
        with pytest.raises(ValidationError, match="not “.html”"):
            images.reencode(upload(encoded(), "../../evil.jpg.html"))

    def test_too_many_pixels_is_refused_before_decoding(self, settings):
        settings.PORTAL_IMAGE_MAX_PIXELS = 1_000_000
        with pytest.raises(ValidationError, match="too many pixels"):
            images.reencode(upload(encoded(size=(1001, 1000))))
        images.reencode(upload(encoded(size=(1000, 1000))))  # at the limit: fine

    def test_frames_are_counted_no_further_than_the_limit(self, settings):
        # A million 1×1 frames fit in 15 MB; Pillow's n_frames would walk them all.
        header = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff"
        frame = b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00"
        data = header + frame * 200_000 + b"\x3b"
        assert images._gif_frames(data, 101) == 101
        assert images._gif_frames(data, 10**6) == PILImage.open(io.BytesIO(data)).n_frames == 200_000
        settings.PORTAL_IMAGE_MAX_BYTES = len(data)
        with pytest.raises(ValidationError, match="more than 100 frames"):
            images.reencode(upload(data, "many.gif"))

    def test_too_many_bytes_is_refused(self, settings):
        settings.PORTAL_IMAGE_MAX_BYTES = 1000
        with pytest.raises(ValidationError, match="larger than"):
            images.reencode(upload(encoded()))

    def test_transparency_is_kept_as_png(self):
        buffer = io.BytesIO()
        PILImage.new("RGBA", (40, 40), (0, 0, 0, 0)).save(buffer, "PNG")
        result = images.reencode(upload(buffer.getvalue(), "logo.png"))
        assert result.name.endswith(".png") and PILImage.open(result).mode == "RGBA"


class TestRenditions:
    def test_a_stored_picture_gets_smaller_copies_and_webp(self, site):
        article = make_article(site, cover_image=images.reencode(upload(encoded(size=(1200, 800)))))
        storage, name = article.cover_image.storage, article.cover_image.name
        assert article.cover_width == 1200
        for width in (480, 960):
            with storage.open(renditions.rendition_name(name, width)) as copy:
                assert PILImage.open(copy).size == (width, round(800 * width / 1200))
        for width in (480, 960, 1200):
            with storage.open(renditions.rendition_name(name, width, "webp")) as copy:
                assert PILImage.open(copy).format == "WEBP"
        assert not storage.exists(renditions.rendition_name(name, 1600))  # never enlarged

    def test_the_article_page_uses_srcset_sizes_dimensions_and_lazy_loading(self, client, site):
        article = make_article(
            site,
            cover_image=images.reencode(upload(encoded(size=(1200, 800)))),
            cover_alt_zh_hans="封面",
            cover_alt_en="The cover",
            featured=True,
        )
        page = client.get(article.get_absolute_url("en")).content.decode()
        assert '<source type="image/webp" srcset="' in page
        img = re.search(
            r'<img src="[^"]+" srcset="([^"]+)" sizes="[^"]+" alt="The cover" width="1200" height="800"', page
        )
        assert img and "480w" in img.group(1) and "960w" in img.group(1) and "1200w" in img.group(1)
        assert 'loading="lazy"' not in img.group(0)  # the article's own cover is the page's main picture
        storage = article.cover_image.storage
        for url in re.findall(r"/media/(\S+) \d+w", page):
            assert storage.exists(url)


class TestAltText:
    def test_a_published_article_needs_cover_alt_text_in_each_available_language(self, site):
        article = make_article(site, cover_image=ContentFile(encoded(), "c.jpg"), cover_alt_zh_hans="封面")
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        assert set(error.value.message_dict) == {"cover_alt_en"}
        article.cover_alt_en = "Cover"
        article.full_clean()

    def test_only_languages_the_article_is_available_in_count(self, site):
        article = make_article(
            site, languages=("zh-hans",), cover_image=ContentFile(encoded(), "c.jpg"), cover_alt_zh_hans="封面"
        )
        article.full_clean()

    def test_pictures_in_the_body_need_alt_text_too(self, site):
        article = make_article(site, body_en='<p>Text</p><figure><img src="/media/images/a.jpg"></figure>')
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        assert "body_en" in error.value.message_dict
        article.status = Article.Status.DRAFT
        article.full_clean()  # a draft may still lack it


class TestAdminUpload:
    def test_a_bad_cover_is_refused_with_a_message_and_nothing_saved(self, senior_client, site):
        article = make_article(site, status=Article.Status.DRAFT, title_en="Unchanged")
        data = admin_form_data(article, title_en="Changed", cover_image=upload(b"<svg onload=alert(1)>", "x.jpg"))
        response = senior_client.post(
            f"/admin/news/article/{article.pk}/change/", data, headers={"accept-language": "en"}
        )
        assert response.status_code == 200
        assert "not a JPEG, PNG, WebP or GIF picture" in response.content.decode()
        article.refresh_from_db()
        assert article.title_en == "Unchanged" and not article.cover_image

    def test_the_picture_library_and_its_picker(self, senior_client):
        data = {"file": upload(encoded(size=(1600, 900), exif=exif_with_gps_and_orientation(1)), "Beach.JPG")}
        data.update(alt_zh_hans="长白山", alt_en="Changbai Mountain", caption_zh_hans="", caption_en="In winter")
        data.update(credit_zh_hans="", credit_en="")
        assert senior_client.post("/admin/news/image/add/", data).status_code == 302
        image = Image.objects.get()
        assert image.uploaded_by == senior_client.user
        assert "Beach" not in image.file.name and image.width == 1600
        with image.file.open() as stored:
            assert not PILImage.open(stored).getexif()
        picker = senior_client.get("/admin/news/image/picker/?language=en&CKEditorFuncNum=-1").content.decode()
        assert 'data-alt="Changbai Mountain"' in picker and 'data-caption="In winter"' in picker
        assert "_w960.jpg" in picker  # bodies get the copy that fits the text column
        assert 'data-function-number="-1"' in picker
        assert "<script>" not in picker.split("</head>")[1]  # no inline script (CSP)


def test_make_renditions_backfills_pictures_stored_before(site):
    article = make_article(site, cover_image=images.reencode(upload(encoded(size=(1000, 600)))))
    storage = article.cover_image.storage
    zone = make_zone(map_review_number="吉S（2024）001号")
    zone.map_image.save("map.png", images.reencode(upload(encoded(size=(1000, 600), image_format="PNG"), "map.png")))
    project = make_project(cover_image=images.reencode(upload(encoded(size=(1000, 600)))))
    copies = [
        renditions.rendition_name(stored.name, 480, "webp")
        for stored in (article.cover_image, zone.map_image, project.cover_image)
    ]
    for copy in copies:
        storage.delete(copy)
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert all(storage.exists(copy) for copy in copies), "every kind of stored picture, not only articles'"
    assert "Renditions written for 3 pictures." in out.getvalue()


def test_pictures_in_the_body_load_lazily_in_their_resized_copies(client, site):
    from news.admin.library import body_url

    picture = Image(file=images.reencode(upload(encoded(size=(2000, 1000)))), alt_en="A")
    picture.save()
    src = body_url(picture)
    assert src.endswith("_w960.jpg")
    article = make_article(
        site, body_en=f'<figure><img src="{src}" alt="A"></figure><p><img src="https://example.org/x.png" alt="B"></p>'
    )
    page = client.get(article.get_absolute_url("en")).content.decode()
    webp = re.search(r'<picture><source type="image/webp" srcset="([^"]+)"', page).group(1)
    own = re.search(r'<img srcset="([^"]+)" sizes="[^"]+" loading="lazy" decoding="async" src="([^"]+)" alt="A">', page)
    assert own and own.group(2) == src
    storage = picture.file.storage
    for candidate in [*webp.split(", "), *own.group(1).split(", ")]:
        url, width = candidate.split(" ")
        assert width in ("480w", "960w") and storage.exists(url.removeprefix("/media/"))
    assert '<img loading="lazy" decoding="async" src="https://example.org/x.png" alt="B">' in page  # others: lazy only


def test_files_saved_directly_through_the_field_get_renditions_too(site):
    # As the demo loader does: FieldFile.save() writes the file before the model is saved.
    article = make_article(site, languages=("zh-hans",))
    article.cover_image.save("direct.jpg", ContentFile(encoded(size=(700, 400))), save=True)
    assert article.cover_image.storage.exists(renditions.rendition_name(article.cover_image.name, 480, "webp"))
