"""Pictures on the reader pages: a stored picture with its resized copies, and pictures in bodies."""

import re

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from ..uploads.renditions import rendition_widths, srcsets

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(file, width, height, alt, sizes="100vw", eager=False):
    """A stored picture with its WebP and resized copies: ``srcset``, ``sizes``, width and height."""
    if not file:
        return {}
    own, webp = srcsets(file, width) if width else ("", "")
    return {
        "src": file.url,
        "srcset": own,
        "webp_srcset": webp,
        "sizes": sizes,
        "width": width,
        "height": height,
        "alt": alt,
        "eager": eager,
    }


@register.filter(is_safe=True)
def responsive_body(html):
    """Pictures in a (sanitized) body: lazy loading, and for library pictures their resized copies and WebP.

    The editor places a library picture by its 960-pixel copy (``…_w960.jpg``); the smaller
    copies next to it are known by name, so no query is needed.
    """
    return mark_safe(_IMG.sub(_responsive_img, html or ""))  # noqa: S308 - the body is sanitized on save


_IMG = re.compile(r"<img [^>]*>")


_SRC = re.compile(r'\bsrc="([^"]+)"')


BODY_SIZES = "(min-width: 42rem) 42rem, 100vw"


def _responsive_img(match):
    tag = match.group(0)
    if "loading=" not in tag:
        tag = tag.replace("<img ", '<img loading="lazy" decoding="async" ', 1)
    src = _SRC.search(tag)
    rendition = src and re.fullmatch(r"(?P<base>.+)_w(?P<width>\d+)\.(?P<ext>jpg|png)", src.group(1))
    if not rendition or not src.group(1).startswith(settings.MEDIA_URL) or "srcset=" in tag:
        return tag
    base, width, extension = rendition["base"], int(rendition["width"]), rendition["ext"]
    widths = [w for w in rendition_widths(width + 1) if w <= width]
    own = ", ".join(f"{base}_w{w}.{extension} {w}w" for w in widths)
    webp = ", ".join(f"{base}_w{w}.webp {w}w" for w in widths)
    img = tag.replace("<img ", f'<img srcset="{own}" sizes="{BODY_SIZES}" ', 1)
    return f'<picture><source type="image/webp" srcset="{webp}" sizes="{BODY_SIZES}">{img}</picture>'
