"""Uploaded pictures: checked and re-encoded with Pillow (the resized copies are ``renditions``).

Nothing an editor uploads is stored as sent. The file is opened by its content (never
trusted by its name), limited in bytes and pixels, fully decoded (a truncated file
fails here, not on the site), turned upright by its EXIF orientation and written anew
without any metadata, so GPS positions and camera details never reach the public.
"""

import io
import posixpath
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats accepted, by what Pillow finds inside the file, and the file name endings each may
# carry; each is stored as OUTPUT_FORMAT. MPO is how Pillow names the JPEG of many phone cameras.
FORMAT_EXTENSIONS = {
    "JPEG": ("jpg", "jpeg"),
    "MPO": ("jpg", "jpeg"),
    "PNG": ("png",),
    "WEBP": ("webp",),
    "GIF": ("gif",),
}


ACCEPTED_FORMATS = set(FORMAT_EXTENSIONS)


OPENED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


ACCEPTED_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "gif")


JPEG_QUALITY = 85


# Markup that turns a picture into a polyglot a browser might run as a page, whatever the
# picture's own bytes (a text chunk, a comment, data after the end). Compressed picture data
# matching one of these by chance is vanishingly unlikely.
_MARKUP = re.compile(rb"<\s*(?:script|html|body|svg|iframe|object|embed|\?php|!doctype)\b", re.IGNORECASE)


def _output_format(image):
    # Pictures with transparency stay PNG; everything else becomes a JPEG.
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    return ("PNG", "png") if has_alpha else ("JPEG", "jpg")


def _too_many_pixels(width=None, height=None, frames=1):
    limit = settings.PORTAL_IMAGE_MAX_PIXELS // 1_000_000
    if frames > 1:
        return ValidationError(
            _(
                "The picture has too many pixels (%(frames)s frames of %(width)s × %(height)s); "
                "the limit is %(limit)s megapixels in all."
            ),
            code="image_pixels",
            params={"width": width, "height": height, "frames": frames, "limit": limit},
        )
    if width is None:
        return ValidationError(
            _("The picture has too many pixels; the limit is %(limit)s megapixels."),
            code="image_pixels",
            params={"limit": limit},
        )
    return ValidationError(
        _("The picture has too many pixels (%(width)s × %(height)s); the limit is %(limit)s megapixels."),
        code="image_pixels",
        params={"width": width, "height": height, "limit": limit},
    )


def _not_a_picture():
    return ValidationError(_("This file is not a JPEG, PNG, WebP or GIF picture."), code="image_format")


def check_name(name):
    """Refuse a file name that does not end in a picture extension (``../../x.php``, ``x.jpg.html``)."""
    extension = posixpath.splitext(name or "")[1].lower().lstrip(".")
    if extension not in ACCEPTED_EXTENSIONS:
        raise ValidationError(
            _("Only pictures ending in .jpg, .jpeg, .png, .webp or .gif can be uploaded (not “.%(extension)s”)."),
            code="image_extension",
            params={"extension": extension[:20] or "?"},
        )
    return extension


def _gif_frames(data, stop):
    """The number of frames in GIF ``data``, counting no further than ``stop``.

    Pillow's ``n_frames`` walks every frame: a 15 MB GIF of a million 1×1 frames takes
    seconds. Here the walk ends as soon as the count is over the limit; damaged data ends it too.
    """
    if len(data) < 13:
        return 1
    position = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    frames = 0
    while position < len(data) and frames < stop:
        block = data[position]
        if block == 0x2C:  # an image: descriptor, optional colour table, LZW code size, data
            frames += 1
            if position + 10 > len(data):
                break
            flags = data[position + 9]
            position += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0) + 1
        elif block == 0x21:  # an extension: label, then data
            position += 2
        else:  # the trailer, or damage: Pillow decides about the rest
            break
        while position < len(data) and data[position]:  # sub-blocks up to the empty one
            position += data[position] + 1
        position += 1
    return max(frames, 1)


def _open_checked(data):
    """Open ``data`` as an accepted picture and check its size from the header, before decoding."""
    try:
        # Only the parsers of the accepted formats ever see the bytes (JPEG's also finds MPO).
        image = Image.open(io.BytesIO(data), formats=OPENED_FORMATS)
    except UnidentifiedImageError:
        raise _not_a_picture() from None
    width, height = image.size
    if width * height > settings.PORTAL_IMAGE_MAX_PIXELS:
        raise _too_many_pixels(width, height)
    # Animated pictures count every frame, as Wagtail does; only the first is kept.
    frames = (
        _gif_frames(data, settings.PORTAL_IMAGE_MAX_FRAMES + 1)
        if image.format == "GIF"
        else getattr(image, "n_frames", 1)
    )
    if frames > settings.PORTAL_IMAGE_MAX_FRAMES:
        raise ValidationError(
            _("The picture is animated with more than %(limit)s frames."),
            code="image_frames",
            params={"limit": settings.PORTAL_IMAGE_MAX_FRAMES},
        )
    if width * height * frames > settings.PORTAL_IMAGE_MAX_PIXELS:
        raise _too_many_pixels(width, height, frames)
    image.seek(0)
    return image


def reencode(upload):
    """Check ``upload`` and return it re-encoded as a new ``ContentFile`` with a generated name.

    Raises ``ValidationError`` with a message for the editor when the file is not an
    accepted picture, is too large, or its name does not say what it is.
    """
    extension = check_name(upload.name)
    if upload.size is not None and upload.size > settings.PORTAL_IMAGE_MAX_BYTES:
        # Refused before reading: an oversized upload is never held in memory.
        raise _too_large()
    upload.seek(0)
    data = upload.read(settings.PORTAL_IMAGE_MAX_BYTES + 1)
    if len(data) > settings.PORTAL_IMAGE_MAX_BYTES:
        raise _too_large()
    if not data:
        raise ValidationError(_("The file is empty."), code="image_empty")
    try:
        image = _open_checked(data)
        if extension not in FORMAT_EXTENSIONS[image.format]:
            raise ValidationError(
                _(
                    "This file is a %(format)s picture but its name ends in “.%(extension)s”. "
                    "Rename it to end in “.%(expected)s” and upload it again."
                ),
                code="image_mismatch",
                params={
                    "format": image.format.replace("MPO", "JPEG"),
                    "extension": extension,
                    "expected": FORMAT_EXTENSIONS[image.format][0],
                },
            )
        if _MARKUP.search(data):
            raise ValidationError(
                _("This picture also contains web page or script code, so it is refused."),
                code="image_markup",
            )
        image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard (beyond Image.MAX_IMAGE_PIXELS) fired while reading the header; the
        # warning is an exception only where warnings are errors, as in the tests.
        raise _too_many_pixels() from None
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
    # The media type goes with the file to S3 (ContentType), so it must be the registered one.
    content_type = "image/jpeg" if output_format == "JPEG" else "image/png"
    return SimpleUploadedFile(f"{uuid.uuid4().hex}.{extension}", buffer.getvalue(), content_type)


def _too_large():
    return ValidationError(
        _("The picture is larger than %(limit)s MB."),
        code="image_too_large",
        params={"limit": settings.PORTAL_IMAGE_MAX_BYTES // (1024 * 1024)},
    )
