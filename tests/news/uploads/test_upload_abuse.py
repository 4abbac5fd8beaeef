"""Hostile uploads posted through the real admin forms, as a logged-in editor.

Each file is refused with a message the editor understands, and nothing is written: no row
in the database, no file in the media folder. The files are made here, small: the
30000 × 30000 PNG is a valid header over a few bytes of data, never 900 million pixels.
"""

import io
import os
import re
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import PngImagePlugin

from news.models import Article, Attachment, Image
from tests.factories import admin_form_data

pytestmark = pytest.mark.django_db

SCRIPT = b"<html><body><script>alert(document.domain)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def picture(image_format="PNG", size=(40, 30), **options):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (11, 74, 139)).save(buffer, image_format, **options)
    return buffer.getvalue()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width, height):
    """A well-formed PNG that claims ``width`` × ``height`` grey pixels over one row of data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * (width + 1)))
        + png_chunk(b"IEND", b"")
    )


def animated_gif(frames):
    # Neighbouring frames differ, or Pillow would merge them into one.
    images = [PILImage.new("L", (4, 4), index * 37 % 256) for index in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=20, loop=0)
    return buffer.getvalue()


def png_with_html_in_a_text_chunk():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    return picture("PNG", pnginfo=info)


def nested_zip():
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * 1_000_000)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("inner.zip", inner.getvalue())
        archive.writestr("page.html", SCRIPT)
    return outer.getvalue()


# (case, file name, content, the message the editor reads). Shared by both forms where it applies.
PICTURE_CORPUS = [
    ("30000x30000 png", "huge.png", png_header_only(30000, 30000), "too many pixels"),
    ("12000x12000 png", "big.png", png_header_only(12000, 12000), "too many pixels"),
    ("500-frame gif", "anim.gif", animated_gif(500), "animated with more than 100 frames"),
    ("png named .jpg", "photo.jpg", picture("PNG"), "a PNG picture but its name ends in “.jpg”"),
    ("jpeg named .png", "photo.png", picture("JPEG"), "a JPEG picture but its name ends in “.png”"),
    ("png+html appended", "poly.png", picture("PNG") + SCRIPT, "contains web page or script code"),
    ("png+html in a text chunk", "poly2.png", png_with_html_in_a_text_chunk(), "contains web page or script code"),
    ("jpeg+html in a comment", "poly.jpg", picture("JPEG", comment=SCRIPT), "contains web page or script code"),
    ("svg with script", "logo.svg", SVG, "not “.svg”"),
    ("svg with script named .png", "logo.png", SVG, "not a JPEG, PNG, WebP or GIF picture"),
    ("html named .jpg", "page.jpg", SCRIPT, "not a JPEG, PNG, WebP or GIF picture"),
    ("0-byte file", "empty.jpg", b"", "The submitted file is empty."),
    ("over the size limit", "large.jpg", picture("JPEG") + b"\0" * (1024 * 1024), "larger than 1 MB"),
    ("path in the name", "../../x.php", picture("PNG"), "not “.php”"),
    ("double extension", "x.jpg.html", picture("JPEG"), "not “.html”"),
    ("executable", "setup.exe", b"MZ\x90\x00" + b"\0" * 60, "not “.exe”"),
    ("no extension", "picture", picture("JPEG"), "not “.?”"),
    ("truncated png", "cut.png", picture("PNG", size=(300, 200))[:-40], "damaged or incomplete"),
    ("truncated jpeg", "cut.jpg", picture("JPEG", size=(300, 200))[:200], "damaged or incomplete"),
    ("tiff named .jpg", "scan.jpg", picture("TIFF"), "not a JPEG, PNG, WebP or GIF picture"),
    ("bmp named .png", "paint.png", picture("BMP"), "not a JPEG, PNG, WebP or GIF picture"),
    ("null byte in the name", "x.php\0.jpg", picture("PNG"), None),
    ("very long name", "a" * 300 + ".jpg", picture("JPEG"), "Ensure this filename has at most 100 characters"),
]

ATTACHMENT_CORPUS = [
    ("0-byte file", "empty.pdf", b"", "The submitted file is empty."),
    ("over the size limit", "big.pdf", PDF + b"\0" * (1024 * 1024), "larger than 1 MB"),
    ("path in the name", "../../x.php", b"<?php system($_GET['c']); ?>", "not “.php”"),
    ("html", "page.html", SCRIPT, "not “.html”"),
    ("html renamed .pdf", "page.pdf", SCRIPT, "not a PDF document"),
    ("double extension", "x.pdf.html", PDF, "not “.html”"),
    ("svg with script", "logo.svg", SVG, "not “.svg”"),
    ("executable", "setup.exe", b"MZ\x90\x00" + b"\0" * 60, "not “.exe”"),
    ("png+html named .pdf", "poly.pdf", picture("PNG") + SCRIPT, "not a PDF document"),
    ("zip named .docx", "nested.docx", PDF, "not a Word document"),
    ("null byte in the name", "x.php\0.pdf", SCRIPT, None),
    ("very long name", "a" * 300 + ".pdf", PDF, "Ensure this filename has at most 200 characters"),
]


def media_files(settings):
    root = settings.MEDIA_ROOT
    return {os.path.join(folder, name) for folder, _dirs, names in os.walk(root) for name in names}


def counts():
    return (Article.objects.count(), Attachment.objects.count(), Image.objects.count())


@pytest.fixture
def limits(settings):
    settings.PORTAL_IMAGE_MAX_BYTES = 1024 * 1024
    settings.PORTAL_ATTACHMENT_MAX_BYTES = 1024 * 1024
    return settings


def post_picture(client, name, data, language="en"):
    fields = {"file": SimpleUploadedFile(name, data)}
    for field in ("alt", "caption", "credit"):
        fields.update({f"{field}_zh_hans": "", f"{field}_en": ""})
    fields["alt_en"] = "A picture"
    return client.post("/admin/news/image/add/", fields, headers={"accept-language": language})


def post_attachment(client, column, name, data, language="en"):
    data = admin_form_data(
        column=column.pk,
        title_zh_hans="附件测试",
        body_zh_hans="<p>正文</p>",
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-file": SimpleUploadedFile(name, data),
            "attachments-0-title_zh_hans": "附件",
            "attachments-0-title_en": "Attachment",
            "attachments-0-order": "0",
        },
    )
    return client.post("/admin/news/article/add/", data, headers={"accept-language": language})


def assert_refused(response, message, before, files_before, settings):
    assert response.status_code == 200, "the form must be answered again, not saved"
    page = response.content.decode()
    assert "errornote" in page  # Django's "Please correct the error below."
    if message is not None:
        assert message in page
    assert counts() == before
    assert media_files(settings) == files_before


@pytest.mark.parametrize(("case", "name", "data", "message"), PICTURE_CORPUS, ids=[c[0] for c in PICTURE_CORPUS])
def test_hostile_pictures_are_refused_and_nothing_is_written(editor_client, limits, case, name, data, message):
    before, files_before = counts(), media_files(limits)
    response = post_picture(editor_client, name, data)
    assert_refused(response, message, before, files_before, limits)


@pytest.mark.parametrize(("case", "name", "data", "message"), ATTACHMENT_CORPUS, ids=[c[0] for c in ATTACHMENT_CORPUS])
def test_hostile_attachments_are_refused_and_nothing_is_written(editor_client, site, limits, case, name, data, message):
    before, files_before = counts(), media_files(limits)
    response = post_attachment(editor_client, site, name, data)
    assert_refused(response, message, before, files_before, limits)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.jpg", picture("PNG"), "这个文件是 PNG 图片，但文件名以“.jpg”结尾"),
        ("huge.png", png_header_only(30000, 30000), "图片像素过多"),
        ("anim.gif", animated_gif(500), "超过 100 帧的动图"),
        ("../../x.php", picture("PNG"), "“.php”"),
        ("empty.jpg", b"", "所提交的是空文件。"),  # Django's own message and translation
    ],
    ids=["png named .jpg", "30000x30000 png", "500-frame gif", "path in the name", "0-byte file"],
)
def test_the_messages_are_in_the_editors_language(editor_client, limits, name, data, message):
    before, files_before = counts(), media_files(limits)
    response = post_picture(editor_client, name, data, language="zh-hans")
    assert_refused(response, message, before, files_before, limits)


def test_attachment_refusal_in_chinese(editor_client, site, limits):
    before, files_before = counts(), media_files(limits)
    response = post_attachment(editor_client, site, "page.pdf", SCRIPT, language="zh-hans")
    assert_refused(response, "不是 PDF 文档", before, files_before, limits)


def test_a_zip_is_stored_as_sent_and_never_opened(editor_client, site, limits):
    # A nested archive with a page inside: accepted as a ZIP (the portal never unpacks it),
    # stored under a generated name and offered only as a download.
    response = post_attachment(editor_client, site, "../../bundle.zip", nested_zip())
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.file.name.startswith("attachments/") and "bundle" not in attachment.file.name


def test_the_good_ones_still_pass(editor_client, site, limits):
    # The same forms accept an ordinary picture and document: the refusals above are not blanket ones.
    assert post_picture(editor_client, "Photo.JPEG", picture("JPEG")).status_code == 302
    assert post_picture(editor_client, "still.gif", animated_gif(3)).status_code == 302
    assert post_attachment(editor_client, site, "policy.pdf", PDF).status_code == 302
    assert Image.objects.count() == 2 and Attachment.objects.count() == 1
    assert PILImage.open(Image.objects.order_by("pk").last().file).format == "JPEG"  # the GIF: its first frame


# --- What is stored and how it is served --------------------------------------------


def test_uploads_are_stored_under_generated_names(editor_client, site, limits):
    assert post_picture(editor_client, "../../<b>My photo</b>.JPG", picture("JPEG")).status_code == 302
    assert post_attachment(editor_client, site, "../../政策 全文.PDF", PDF).status_code == 302
    picture_name, document_name = Image.objects.get().file.name, Attachment.objects.get().file.name
    assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", picture_name)
    assert re.fullmatch(r"attachments/[0-9a-f]{32}\.pdf", document_name)
    stored = {os.path.relpath(path, limits.MEDIA_ROOT) for path in media_files(limits)}
    assert picture_name in stored and document_name in stored
    assert not any("photo" in path or "政策" in path or ".." in path for path in stored)


def test_media_are_served_with_their_own_type_and_documents_as_downloads(client, editor_client, site, limits):
    post_picture(editor_client, "photo.jpg", picture("JPEG"))
    post_attachment(editor_client, site, "policy.pdf", PDF)
    shown = client.get(f"/media/{Image.objects.get().file.name}")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert shown.get("Content-Disposition", "inline").startswith("inline")
    downloaded = client.get(f"/media/{Attachment.objects.get().file.name}")
    assert downloaded["Content-Type"] == "application/pdf" and downloaded["Content-Disposition"] == "attachment"
    for response in (shown, downloaded):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize("name", ["page.html", "page.htm", "logo.svg", "run.js", "x.php", "x.xhtml", "noext", "a.txt"])
def test_the_media_folder_never_serves_pages_or_scripts(client, settings, name):
    # Put there by other means than an upload (a restore, a person with shell access).
    folder = settings.MEDIA_ROOT / "images"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(SCRIPT)
    (folder / "beside.jpg").write_bytes(picture("JPEG"))
    assert client.get(f"/media/images/{name}").status_code == 404
    assert client.get("/media/images/beside.jpg").status_code == 200  # the folder itself is served
