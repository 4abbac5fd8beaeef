"""What an article page tells search engines and link previews: Open Graph and NewsArticle JSON-LD."""

import re
from functools import lru_cache

from django.templatetags.static import static
from django.utils import translation

from .i18n import bcp47
from .text import has_east_asian

SHARE_IMAGE = "img/share.png"


@lru_cache(maxsize=1)
def _share_image_path():
    # The hashed name from the static files manifest, which is read once per process anyway.
    return static(SHARE_IMAGE)


def reset():
    """Forget the share image's hashed name (news/signals.py calls it when the static settings change)."""
    _share_image_path.cache_clear()


def share_image(request):
    """The absolute address of the picture link previews show for a page without its own."""
    return request.build_absolute_uri(_share_image_path())


# Names in a byline are separated by these; Chinese bylines also by spaces (李雪晴 姜明远).
NAME_SEPARATORS = re.compile(r"\s*(?:[,，、;；/／|｜]|\band\b)\s*")
# Words before the names that are no name: 记者 (reporter), 通讯员 (correspondent), 文 (text by), 摄 (photos by).
# 文, 摄 and 图 only when something sets them apart (文 is also a family name).
_ROLES = re.compile(r"^(?:(?:本报|本网)?(?:记者|通讯员)\s*[:：]?\s*|(?:文|摄影?|图)(?:\s*[:：]\s*|\s+|$))")


def byline_names(byline):
    """The people a byline names, one string each: ``"李雪晴 姜明远"`` → ``["李雪晴", "姜明远"]``,
    ``"Li Ming and Wang Fang"`` → ``["Li Ming", "Wang Fang"]``.

    Chinese and Korean names hold no space, so a space separates two of them; in Latin letters
    it separates given and family name, so only commas, 、, semicolons, slashes and "and" do.
    A Japanese name written with a space (佐藤 花子) reads as two: write it without one.
    """
    names = []
    for part in NAME_SEPARATORS.split(byline or ""):
        part = _ROLES.sub("", part.strip())
        if has_east_asian(part):
            names.extend(_ROLES.sub("", word) for word in part.split())
        elif part:
            names.append(part)
    return [name for name in names if name]


def article_meta(request, article, site_name):
    """The ``meta`` dict that templates/includes/meta.html renders, for an article."""
    absolute = request.build_absolute_uri
    url = absolute(article.get_absolute_url())
    image = absolute(article.cover_image.url) if article.cover_image else None
    default_image = share_image(request)
    description = article.summary or article.title
    publisher = {"@type": "Organization", "name": site_name}
    people = [{"@type": "Person", "name": name} for name in byline_names(article.author)]
    return {
        "title": article.title,
        "description": description,
        "type": "article",
        "canonical": url,
        "image": image,
        "json_ld": {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            # The whole title: Google's old 110-character limit is gone, and a cut one misleads.
            "headline": article.title,
            "description": description,
            "datePublished": article.publish_at.isoformat(),
            "dateModified": article.updated_at.isoformat(),
            "inLanguage": bcp47(translation.get_language()),
            "articleSection": article.column.name,
            "mainEntityOfPage": url,
            "url": url,
            "image": [image or default_image],
            "author": people or [publisher],
            "publisher": {**publisher, "logo": {"@type": "ImageObject", "url": default_image}},
        },
    }
