"""Template tags for pictures on the reader pages and the translation work in the admin."""

import re

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from ..images import srcsets
from ..models import Article

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
def lazy_images(html):
    """Pictures in a (sanitized) body load when they come into view, like the other pictures below the top."""
    return mark_safe(_IMG.sub('<img loading="lazy" decoding="async" ', html or ""))  # noqa: S308 - sanitized on save


_IMG = re.compile(r"<img (?![^>]*\bloading=)")


@register.simple_tag
def missing_translations():
    """For each language but the default: how many public articles lack it, and the list that finds them."""
    published = Article.objects.published()
    changelist = reverse("admin:news_article_changelist")
    result = []
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        count = published.exclude(pk__in=published.available_in(code).values("pk")).count()
        if count:
            query = urlencode({"status__exact": Article.Status.PUBLISHED, "missing": code})
            result.append(
                {
                    "code": code,
                    "name": translation.get_language_info(code)["name_translated"],
                    "count": count,
                    "url": f"{changelist}?{query}",
                }
            )
    return result
