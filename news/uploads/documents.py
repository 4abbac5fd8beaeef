"""Attached documents: which types are accepted, how they are named and offered for download.

A document is accepted by its extension *and* by the first bytes of its content, so a
page renamed ``.pdf`` is refused. Stored files get generated names; the reader's
download is named after the attachment's title, reduced to characters that are safe
in a ``Content-Disposition`` header on every system.
"""

import posixpath
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..text import visible

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .xls, .wps and .et


ZIP = b"PK\x03\x04"  # the container of .docx, .xlsx and .zip


PDF = b"%PDF-"


# extension → (what readers see, the content's first bytes, the media type)
DOCUMENT_TYPES = {
    "pdf": ("PDF", (PDF,), "application/pdf"),
    "doc": ("Word", (OLE,), "application/msword"),
    "docx": ("Word", (ZIP,), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xls": ("Excel", (OLE,), "application/vnd.ms-excel"),
    "xlsx": ("Excel", (ZIP,), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "wps": ("WPS", (OLE, ZIP), "application/vnd.ms-works"),
    "et": ("WPS", (OLE, ZIP), "application/vnd.ms-excel"),
    "zip": ("ZIP", (ZIP, b"PK\x05\x06"), "application/zip"),
}


def extension_of(name):
    return posixpath.splitext(name or "")[1].lower().lstrip(".")


def validate_document(file):
    """Raise ``ValidationError`` unless ``file`` is an accepted document within the size limit."""
    extension = extension_of(file.name)
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Only PDF, Word, Excel, WPS and ZIP files can be attached (not “.%(extension)s”)."),
            code="document_type",
            params={"extension": extension or "?"},
        )
    if file.size > settings.PORTAL_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB."),
            code="document_too_large",
            params={"limit": settings.PORTAL_ATTACHMENT_MAX_BYTES // (1024 * 1024)},
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head.startswith(DOCUMENT_TYPES[extension][1]):
        raise ValidationError(
            _("The content of this file is not a %(kind)s document, whatever its name says."),
            code="document_content",
            params={"kind": DOCUMENT_TYPES[extension][0]},
        )


def attachment_upload_to(instance, filename):
    """A generated name that keeps only the (checked) extension: never the uploader's name."""
    return f"attachments/{uuid.uuid4().hex}.{extension_of(filename)}"


def kind(name):
    return DOCUMENT_TYPES.get(extension_of(name), ("", (), ""))[0]


def media_type(name):
    return DOCUMENT_TYPES.get(extension_of(name), ("", (), "application/octet-stream"))[2]


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|;]+')


def download_name(title, name):
    """The file name a reader's browser saves: the title, cleaned, with the stored extension."""
    cleaned = " ".join(_UNSAFE.sub(" ", visible(title or "")).split()).strip(" .")[:120] or "attachment"
    return f"{cleaned}.{extension_of(name)}"
