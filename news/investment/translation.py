"""Which investment fields exist once per language. Reference data needs every language."""

from modeltranslation.translator import TranslationOptions, register

from ..translation import EVERY_LANGUAGE
from .models import EnquiryDesk, Sector


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = EVERY_LANGUAGE


@register(EnquiryDesk)
class EnquiryDeskTranslationOptions(TranslationOptions):
    fields = ("name", "office_hours")
    required_languages = dict.fromkeys(EVERY_LANGUAGE, ("name",))
