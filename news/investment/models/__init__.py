from .enquiries import PERSONAL_FIELDS, Enquiry, EnquiryEvent
from .projects import CooperationMode, Project, ProjectAttachment
from .reference import EnquiryDesk, Sector, Serial, WorkingDay

__all__ = [
    "PERSONAL_FIELDS",
    "CooperationMode",
    "Enquiry",
    "EnquiryDesk",
    "EnquiryEvent",
    "Project",
    "ProjectAttachment",
    "Sector",
    "Serial",
    "WorkingDay",
]
