"""Which fields exist once per language (django-modeltranslation).

Slugs, dates, people's names as typed, addresses and files are not translated.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Article, Column, Page, SiteSettings


@register(Column)
class ColumnTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("zh-hans", "en")


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "cover_caption", "cover_alt", "cover_credit", "source")


@register(Page)
class PageTranslationOptions(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("zh-hans", "en")


@register(SiteSettings)
class SiteSettingsTranslationOptions(TranslationOptions):
    fields = ("site_name", "sponsor", "contact_address")
    required_languages = {"zh-hans": ("site_name",), "en": ("site_name",)}
