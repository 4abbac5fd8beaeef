"""Template tags of the admin's newsroom pages: the translation work left."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from ..models import Article

register = template.Library()


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
