"""Template tags of the admin's newsroom pages: the translation work left, history in words, names."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from .. import dashboard, revisions
from ..models import Article
from ..staff.names import display_name

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


@register.filter
def comment_text(comment):
    """A version's stored comment in the reader's language (``news.revisions.comment_text``)."""
    return revisions.comment_text(comment)


@register.filter
def person(user):
    """A staff member's name as staff read it: 李主编, not 主编 李 (``news.staff.names``)."""
    return display_name(user)


@register.filter
def field_of(form, name):
    """The bound field ``name`` of ``form`` (for the error summary, which links to each field)."""
    return form[name]


@register.simple_tag(takes_context=True)
def worklists(context):
    """The newsroom's work lists for the person looking (``news.dashboard.worklists``)."""
    user = context["request"].user
    if not user.has_perm("news.change_article"):
        return []
    return dashboard.worklists(user)
