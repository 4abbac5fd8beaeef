"""Pictures pasted or dropped into a body's editor (static/js/admin-editor-pictures.js) go through the
picture library's upload checks, with the alt text asked for, and the library's copy is placed."""

import base64
import io

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from news.models import Article, Image
from tests.factories import STAFF_PASSWORD, make_column, make_staff

pytestmark = pytest.mark.browser

# A picture handed to the editor as the clipboard or a drag from the desktop would: a File in a
# DataTransfer, in a paste or drop event on the editable text (how Chromium delivers both).
HAND_OVER = """([kind, name, type, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type }));
  const target = document.querySelector(".field-body_zh_hans [contenteditable=true]");
  target.focus();
  const event = kind === "paste"
    ? new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true })
    : new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true });
  target.dispatchEvent(event);
}"""


def png(colour):
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 200), colour).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def logged_in(web, user, path):
    page = web.open(None)
    page.goto(f"/admin/login/?next={path}")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_selector(".field-body_zh_hans [contenteditable=true]")
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize("kind", ["paste", "drop"])
def test_a_pasted_or_dropped_picture_becomes_a_library_picture_in_the_text(web, transactional_db, kind):
    editor = make_staff("Editor")
    column = make_column()
    page = logged_in(web, editor, "/admin/news/article/add/")
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept("签约仪式现场")

    page.on("dialog", answer)
    page.evaluate(HAND_OVER, [kind, "signing.png", "image/png", png((200, 30, 30))])
    placed = page.locator(".field-body_zh_hans [contenteditable=true] img")
    expect(placed).to_have_count(1)
    assert asked and "signing.png" in asked[0] and "替代文字" in asked[0]  # asked in the admin's language
    picture = Image.objects.get()
    assert picture.alt_zh_hans == "签约仪式现场" and picture.uploaded_by == editor
    assert picture.file.name.startswith("images/")  # re-encoded by the library (a PNG photo becomes a JPEG)
    assert placed.get_attribute("src") == picture.file.url  # the copy for bodies: this one is narrow already
    assert placed.get_attribute("alt") == "签约仪式现场"

    page.locator("#id_column").select_option(str(column.pk))
    page.locator("#id_title_zh_hans").fill("有图片的稿件")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    body = Article.objects.get().body_zh_hans
    assert 'alt="签约仪式现场"' in body and "/media/images/" in body


def test_a_file_the_library_refuses_is_named_and_nothing_is_placed(web, transactional_db):
    editor = make_staff("Editor")
    make_column()
    page = logged_in(web, editor, "/admin/news/article/add/")
    page.on("dialog", lambda dialog: dialog.accept("一张图"))
    fake = base64.b64encode(b"<html>not a picture</html>").decode()
    page.evaluate(HAND_OVER, ["paste", "fake.png", "image/png", fake])
    error = page.locator(".field-body_zh_hans .picture-upload-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("fake.png")
    assert page.locator(".field-body_zh_hans [contenteditable=true] img").count() == 0
    assert not Image.objects.exists()


def test_cancelling_the_alt_text_uploads_nothing(web, transactional_db):
    editor = make_staff("Editor")
    make_column()
    page = logged_in(web, editor, "/admin/news/article/add/")
    page.on("dialog", lambda dialog: dialog.dismiss())
    page.evaluate(HAND_OVER, ["drop", "photo.png", "image/png", png((10, 10, 200))])
    page.wait_for_timeout(500)
    assert page.locator(".field-body_zh_hans [contenteditable=true] img").count() == 0
    assert not Image.objects.exists()
