"""What an article page tells search engines and link previews: Open Graph and NewsArticle JSON-LD."""

from functools import lru_cache

from django.templatetags.static import static
from django.utils import translation

from .i18n import bcp47

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


def article_meta(request, article, site_name):
    """The ``meta`` dict that templates/includes/meta.html renders, for an article."""
    absolute = request.build_absolute_uri
    url = absolute(article.get_absolute_url())
    image = absolute(article.cover_image.url) if article.cover_image else None
    default_image = share_image(request)
    description = article.summary or article.title
    publisher = {"@type": "Organization", "name": site_name}
    author = {"@type": "Person", "name": article.author} if article.author else publisher
    return {
        "title": article.title,
        "description": description,
        "type": "article",
        "canonical": url,
        "image": image,
        "json_ld": {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title[:110],
            "description": description,
            "datePublished": article.publish_at.isoformat(),
            "dateModified": article.updated_at.isoformat(),
            "inLanguage": bcp47(translation.get_language()),
            "articleSection": article.column.name,
            "mainEntityOfPage": url,
            "url": url,
            "image": [image or default_image],
            "author": author,
            "publisher": {**publisher, "logo": {"@type": "ImageObject", "url": default_image}},
        },
    }
