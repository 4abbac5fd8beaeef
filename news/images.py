"""Uploaded pictures: checked and re-encoded with Pillow, then resized into a few widths.

Nothing an editor uploads is stored as sent. The file is opened by its content (never
trusted by its name), limited in bytes and pixels, fully decoded (a truncated file
fails here, not on the site), turned upright by its EXIF orientation and written anew
without any metadata, so GPS positions and camera details never reach the public.
Each stored picture also gets smaller copies (``RENDITION_WIDTHS``) in its own format
and in WebP, named after it, so templates build ``srcset`` without a database query.
"""

import io
import posixpath
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .faults import files_removed_on_error, record_written

# Formats accepted, by what Pillow finds inside the file; each is stored as OUTPUT_FORMAT.
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
RENDITION_WIDTHS = (480, 960, 1600)
JPEG_QUALITY = 85
WEBP_QUALITY = 80


def _output_format(image):
    # Pictures with transparency stay PNG; everything else becomes a JPEG.
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    return ("PNG", "png") if has_alpha else ("JPEG", "jpg")


def reencode(upload):
    """Check ``upload`` and return it re-encoded as a new ``ContentFile`` with a generated name.

    Raises ``ValidationError`` with a message for the editor when the file is not an
    accepted picture or is too large.
    """
    upload.seek(0)
    data = upload.read()
    if len(data) > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The picture is larger than %(limit)s MB."),
            code="image_too_large",
            params={"limit": settings.IMAGE_MAX_BYTES // (1024 * 1024)},
        )
    try:
        image = Image.open(io.BytesIO(data))
        image_format = image.format
        width, height = image.size
        if image_format not in ACCEPTED_FORMATS:
            raise ValidationError(_("This file is not a JPEG, PNG, WebP or GIF picture."), code="image_format")
        # Checked from the header, before decoding: a decompression bomb never gets decoded.
        if width * height > settings.IMAGE_MAX_PIXELS:
            raise ValidationError(
                _("The picture has too many pixels (%(width)s × %(height)s); the limit is %(limit)s megapixels."),
                code="image_pixels",
                params={"width": width, "height": height, "limit": settings.IMAGE_MAX_PIXELS // 1_000_000},
            )
        image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not a JPEG, PNG, WebP or GIF picture."), code="image_format") from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(_("The picture is damaged or incomplete."), code="image_damaged") from None

    image = ImageOps.exif_transpose(image)
    output_format, extension = _output_format(image)
    if output_format == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    elif output_format == "PNG" and image.mode not in ("RGBA", "LA", "RGB", "L"):
        image = image.convert("RGBA")
    buffer = io.BytesIO()
    # A new image object has no EXIF, ICC or text chunks unless they are passed in: none are.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    if output_format == "JPEG":
        clean.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        clean.save(buffer, "PNG", optimize=True)
    return SimpleUploadedFile(f"{uuid.uuid4().hex}.{extension}", buffer.getvalue(), f"image/{extension}")


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


class ReencodedImageFormField(forms.ImageField):
    """The admin's picture field: the upload is checked and replaced by its re-encoded copy."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        try:
            return reencode(data)
        except ValidationError as error:
            raise ValidationError(error.messages, code="invalid_image") from None

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"
        return attrs


class ProcessedImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # All or nothing: a storage error half-way (disk full) leaves no picture or copy behind.
        with files_removed_on_error():
            super().save(name, content, save=False)
            record_written(self.storage, self.name)
            make_renditions(self)
            if save:
                self.instance.save()


class ProcessedImageField(models.ImageField):
    """An ``ImageField`` whose newly stored pictures get their resized copies.

    The renditions are written whenever a file is written to storage through the field,
    whatever saved it (the admin, the importer, the demo, the shell), as
    ``SanitizedHTMLField`` does for HTML.
    """

    attr_class = ProcessedImageFieldFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ReencodedImageFormField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs
