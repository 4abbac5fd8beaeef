"""The investor services' admin: ``enquiries`` (reference data for site administrators and the
enquiry inbox), ``projects`` (the project editor, built from the article editor's pieces) and ``zones``."""

from . import enquiries, projects, zones  # noqa: F401  (registrations)
