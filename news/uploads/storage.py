"""How uploaded files are offered to browsers, whoever serves them (the app, nginx or S3).

The type comes from the file's generated name, never from what the uploader's browser
claimed: pictures are shown as pictures, documents are downloaded, anything else is plain
bytes. docs/nginx.conf applies the same table when nginx serves the media folder.
"""

from storages.backends.s3 import S3Storage

from .documents import DOCUMENT_TYPES, extension_of

PICTURE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
}
# For responses of the app itself: a file opened on its own runs nothing and loads nothing.
SANDBOX_POLICY = "default-src 'none'; sandbox"


def media_headers(name):
    """``(content_type, content_disposition or None)`` for the stored file ``name``; None if not servable."""
    extension = extension_of(name)
    if extension in PICTURE_TYPES:
        return PICTURE_TYPES[extension], None
    if extension in DOCUMENT_TYPES:
        return DOCUMENT_TYPES[extension][2], "attachment"
    return None


class MediaS3Storage(S3Storage):
    """S3 storage that stores each object with the type of its name (and documents as downloads).

    django-storages would otherwise keep the ``Content-Type`` the uploader's browser sent,
    so a document posted as ``text/html`` would be served as a page from the bucket.
    """

    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        content_type, disposition = media_headers(name) or ("application/octet-stream", "attachment")
        parameters["ContentType"] = content_type
        if disposition:
            parameters["ContentDisposition"] = disposition
        return parameters
