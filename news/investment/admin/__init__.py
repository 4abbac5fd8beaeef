"""The investor services' admin: ``enquiries`` (reference data for site administrators and the
enquiry inbox) and ``projects`` (the project editor, built from the article editor's pieces)."""

from . import enquiries, projects  # noqa: F401  (registrations)
