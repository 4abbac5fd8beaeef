"""Language helpers, one copy each: the configured codes, per-language field names, tags.

``language_codes()`` follows ``settings.LANGUAGES`` (adding a language is a settings change);
``localized("title", "zh-hans")`` is modeltranslation's column name ``title_zh_hans``.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop
from modeltranslation.utils import build_localized_fieldname

# Strings Django 5.2's admin shows that its own zh_Hans catalogue lacks (the app list's column
# headers, read by screen readers) or gets wrong (an English full stop after a Chinese sentence,
# "您可以在下面再次编辑它."): listed so that `make messages` puts them in ours, which is searched
# first. The JavaScript ones are in static/js/admin-editor-i18n.js.
DJANGO_ADMIN_GAPS = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("You may edit it again below."),
    gettext_noop(
        "Please enter the correct %(username)s and password for a staff account. "
        "Note that both fields may be case-sensitive."
    ),
]

# Open Graph wants language_TERRITORY.
_OG_LOCALES = {"zh-hans": "zh_CN", "en": "en_US"}


def language_codes():
    """The codes of ``settings.LANGUAGES``, in order: ``["zh-hans", "en"]``."""
    return [code for code, _name in settings.LANGUAGES]


def localized(field, language):
    """``localized("title", "zh-hans")`` → ``"title_zh_hans"``."""
    return build_localized_fieldname(field, language)


def availability_name(language):
    """``available_<code>``: the article column that says whether it is written in ``language``."""
    return localized("available", language)


def all_columns_of(field):
    """The field and each of its translations: ``["body", "body_zh_hans", "body_en"]``."""
    return [field, *(localized(field, code) for code in language_codes())]


def bcp47(language_code):
    """Django's ``zh-hans`` as the tag HTML and hreflang expect: ``zh-Hans``."""
    locale = translation.to_locale(language_code)
    return locale.replace("_", "-")


def og_locale(language_code):
    """Open Graph's ``language_TERRITORY``: ``zh-hans`` → ``zh_CN``."""
    return _OG_LOCALES.get(language_code, translation.to_locale(language_code))


def with_language(message, code):
    """``message`` with ``%(language)s`` filled in by the language's name in the active language.

    Wrap it in ``django.utils.functional.lazy`` where the text is built before a language is
    active (admin fieldsets, filters).
    """
    return message % {"language": translation.get_language_info(code)["name_translated"]}


def field_label(model, name):
    """The label of ``model``'s field ``name`` in the active language: "标题（中文）" for
    ``title_zh_hans`` rather than modeltranslation's "标题 [zh-hans]"; ``name`` itself when the
    model has no such field (a label stored by an older version)."""
    from django.core.exceptions import FieldDoesNotExist
    from modeltranslation.fields import TranslationField

    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return translation.gettext(name)
    if isinstance(field, TranslationField):
        return translation.gettext("%(field)s (%(language)s)") % {
            "field": field.translated_field.verbose_name,
            "language": translation.get_language_info(field.language)["name_translated"],
        }
    return str(field.verbose_name)
