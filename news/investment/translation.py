"""Which investment fields exist once per language. Reference data needs every language."""

from modeltranslation.translator import TranslationOptions, register

from ..translation import EVERY_LANGUAGE
from .models import (
    CooperationMode,
    DevelopmentZone,
    EnquiryDesk,
    Indicator,
    Project,
    ProjectAttachment,
    Sector,
    ZoneFigure,
    ZonePicture,
)

ZONE_TRANSLATED_FIELDS = (
    "name",
    "short_name",
    "approved_by",
    "overview",
    "location_transport",
    "infrastructure",
    "land_and_space",
    "management_body",
    "address",
    "cover_alt",
    "cover_caption",
    "cover_credit",
)


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


@register(Indicator)
class IndicatorTranslationOptions(TranslationOptions):
    fields = ("name", "unit")
    required_languages = dict.fromkeys(EVERY_LANGUAGE, ("name",))


@register(DevelopmentZone)
class DevelopmentZoneTranslationOptions(TranslationOptions):
    # A zone is available in a language where its name and overview are written.
    fields = ZONE_TRANSLATED_FIELDS


@register(ZoneFigure)
class ZoneFigureTranslationOptions(TranslationOptions):
    fields = ("source",)


@register(ZonePicture)
class ZonePictureTranslationOptions(TranslationOptions):
    fields = ("alt", "caption")
