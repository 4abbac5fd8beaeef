"""Which fields exist once per language (django-modeltranslation).

Slugs, dates, addresses and files are not translated; an article's byline is (李雪晴 on the Chinese
page, Li Xueqing on the English one), and so is the editor in charge (责任编辑), shown under the body:
an English page shows the names written for it, never the Chinese ones.
"""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from .models import Article, Attachment, Column, Image, Page, Region, SiteSettings, Tag

# Column names, page texts and the site name are short and shown everywhere: every
# language must have them. Articles may exist in one language only.
EVERY_LANGUAGE = tuple(code for code, _name in settings.LANGUAGES)


@register(Column)
class ColumnTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = EVERY_LANGUAGE


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "cover_caption", "cover_alt", "cover_credit", "source", "author", "editor")


@register(Page)
class PageTranslationOptions(TranslationOptions):
    fields = ("title", "body")
    required_languages = EVERY_LANGUAGE


@register(SiteSettings)
class SiteSettingsTranslationOptions(TranslationOptions):
    fields = ("site_name", "sponsor", "contact_address")
    required_languages = dict.fromkeys(EVERY_LANGUAGE, ("site_name",))


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = EVERY_LANGUAGE


@register(Tag)
class TagTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = EVERY_LANGUAGE


@register(Image)
class ImageTranslationOptions(TranslationOptions):
    fields = ("alt", "caption", "credit")


@register(Attachment)
class AttachmentTranslationOptions(TranslationOptions):
    fields = ("title",)
