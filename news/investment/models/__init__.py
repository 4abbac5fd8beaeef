from .enquiries import PERSONAL_FIELDS, Enquiry, EnquiryEvent
from .reference import EnquiryDesk, Sector, Serial, WorkingDay

__all__ = ["PERSONAL_FIELDS", "Enquiry", "EnquiryDesk", "EnquiryEvent", "Sector", "Serial", "WorkingDay"]
