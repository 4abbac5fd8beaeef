"""What an article page tells search engines and link previews: Open Graph and NewsArticle JSON-LD."""

from django.templatetags.static import static
from django.utils import translation

from .templatetags.portal import bcp47

SHARE_IMAGE = "img/share.png"


def article_meta(request, article, site_name):
    """The ``meta`` dict that templates/includes/meta.html renders, for an article."""
    absolute = request.build_absolute_uri
    url = absolute(article.get_absolute_url())
    image = absolute(article.cover_image.url) if article.cover_image else None
    share_image = absolute(static(SHARE_IMAGE))
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
            "image": [image or share_image],
            "author": author,
            "publisher": {**publisher, "logo": {"@type": "ImageObject", "url": share_image}},
        },
    }
