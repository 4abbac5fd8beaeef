"""Which investment fields exist once per language. Reference data needs every language."""

from modeltranslation.translator import TranslationOptions, register

from ..translation import EVERY_LANGUAGE
from .models import CooperationMode, EnquiryDesk, Project, ProjectAttachment, Sector


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = EVERY_LANGUAGE


@register(EnquiryDesk)
class EnquiryDeskTranslationOptions(TranslationOptions):
    fields = ("name", "office_hours")
    required_languages = dict.fromkeys(EVERY_LANGUAGE, ("name",))


@register(CooperationMode)
class CooperationModeTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = EVERY_LANGUAGE


@register(Project)
class ProjectTranslationOptions(TranslationOptions):
    # A project may exist in one language only; it is available where title, summary and body are.
    fields = (
        "title",
        "summary",
        "body",
        "site",
        "promoter",
        "withdrawn_reason",
        "cover_alt",
        "cover_caption",
        "cover_credit",
    )


@register(ProjectAttachment)
class ProjectAttachmentTranslationOptions(TranslationOptions):
    fields = ("title",)
