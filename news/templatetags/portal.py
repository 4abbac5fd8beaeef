from django import template
from django.utils import translation

register = template.Library()


@register.filter
def bcp47(language_code):
    """Django's ``zh-hans`` as the tag HTML and hreflang expect: ``zh-Hans``."""
    locale = translation.to_locale(language_code)
    return locale.replace("_", "-")


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    return context["request"].build_absolute_uri(url)
