"""Which policy fields exist once per language. Issuer and topic names are reference data and
need every language; numbers, dates and codes are never translated."""

from modeltranslation.translator import TranslationOptions, register

from ..translation import EVERY_LANGUAGE
from .models import DocumentMeta, Issuer, TopicCategory


@register(Issuer)
class IssuerTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = EVERY_LANGUAGE


@register(TopicCategory)
class TopicCategoryTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = EVERY_LANGUAGE


@register(DocumentMeta)
class DocumentMetaTranslationOptions(TranslationOptions):
    fields = ("keywords", "validity_reason")
