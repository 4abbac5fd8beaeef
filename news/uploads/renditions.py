"""Each stored picture's smaller copies (``RENDITION_WIDTHS``), in its own format and in WebP,
named after it, so templates build ``srcset`` without a database query."""

import io
import posixpath

from django.core.files.base import ContentFile
from PIL import Image

from .cleanup import record_written
from .images import JPEG_QUALITY

RENDITION_WIDTHS = (480, 960, 1600)


WEBP_QUALITY = 80


def rendition_name(name, width, extension=None):
    """``covers/2026/11/ab12.jpg`` → ``covers/2026/11/ab12_w960.jpg`` (or ``.webp``)."""
    base, own_extension = posixpath.splitext(name)
    return f"{base}_w{width}{'.' + extension if extension else own_extension}"


def rendition_widths(width):
    """The widths made for a picture ``width`` pixels wide: the smaller standard ones and its own."""
    if not width:
        return []
    return [w for w in RENDITION_WIDTHS if w < width] + [width]


def make_renditions(field_file):
    """Write the resized copies and WebP versions of a stored picture next to it."""
    storage = field_file.storage
    with storage.open(field_file.name, "rb") as source:
        image = Image.open(source)
        image.load()
    own_format = image.format or "JPEG"
    for width in rendition_widths(image.width):
        height = round(image.height * width / image.width)
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        for image_format, extension in ((own_format, None), ("WEBP", "webp")):
            if image_format == own_format and width == image.width:
                continue  # the original itself
            buffer = io.BytesIO()
            options = {"quality": WEBP_QUALITY} if image_format == "WEBP" else {"optimize": True}
            if image_format == "JPEG":
                options["quality"] = JPEG_QUALITY
            resized.save(buffer, image_format, **options)
            name = rendition_name(field_file.name, width, extension)
            if storage.exists(name):
                storage.delete(name)
            record_written(storage, storage.save(name, ContentFile(buffer.getvalue())))


def srcsets(field_file, width):
    """``(jpeg_or_png_srcset, webp_srcset)`` for a stored picture of known ``width``."""
    storage = field_file.storage
    own, webp = [], []
    for w in rendition_widths(width):
        own.append(f"{field_file.url if w == width else storage.url(rendition_name(field_file.name, w))} {w}w")
        webp.append(f"{storage.url(rendition_name(field_file.name, w, 'webp'))} {w}w")
    return ", ".join(own), ", ".join(webp)
