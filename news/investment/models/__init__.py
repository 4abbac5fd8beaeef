from .enquiries import PERSONAL_FIELDS, Enquiry, EnquiryEvent
from .figures import Indicator, ZoneFigure, ZonePicture
from .projects import CooperationMode, Project, ProjectAttachment
from .reference import EnquiryDesk, Sector, Serial, WorkingDay
from .search import ServiceSearchDocument
from .zones import DevelopmentZone

__all__ = [
    "PERSONAL_FIELDS",
    "CooperationMode",
    "DevelopmentZone",
    "Enquiry",
    "EnquiryDesk",
    "EnquiryEvent",
    "Indicator",
    "Project",
    "ProjectAttachment",
    "Sector",
    "Serial",
    "ServiceSearchDocument",
    "WorkingDay",
    "ZoneFigure",
    "ZonePicture",
]
