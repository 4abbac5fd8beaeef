"""Files readers download: attachments of public articles, and uploaded media when the app serves them."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.static import serve

from ..models import Article, Attachment
from ..operations.headers import PUBLISHED_PICTURE_POLICY
from ..uploads.documents import download_name, media_type
from ..uploads.storage import PICTURE_TYPES, SANDBOX_POLICY, media_headers


def attachment_download(request, pk):
    """An attachment of a public article, saved by the browser under its title (never shown inline).

    Staff who may view articles get the attachments of drafts too (the admin's "view on site"),
    marked private so that no shared cache keeps them."""
    staff = request.user.is_authenticated and request.user.has_perm("news.view_article")
    articles = Article.objects.all() if staff else Article.objects.published()
    attachment = get_object_or_404(Attachment.objects.select_related("article"), pk=pk, article__in=articles)
    response = download(attachment)
    if staff and not Article.objects.published().filter(pk=attachment.article_id).exists():
        patch_cache_control(response, private=True, no_store=True)
    return response


def download(attachment):
    """The attachment's file as a download under its title, with its own type and ``nosniff``."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment.title, attachment.file.name),
        content_type=media_type(attachment.file.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve_media(request, path):
    """Uploaded files when the app serves them itself (``PORTAL_SERVE_MEDIA``).

    Only the types in ``storage.media_headers`` are served, with their own type: an
    ``.html`` or ``.svg`` put in the folder by other means is a 404, never a page. Pictures
    may be loaded by other sites (feed readers, link previews: they are published there as
    enclosures and og:image); documents keep the site's same-origin policy.
    """
    headers = media_headers(path)
    if headers is None:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        response["Content-Type"], disposition = headers
        if disposition:
            response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    if headers[0] in PICTURE_TYPES.values():
        response["Cross-Origin-Resource-Policy"] = PUBLISHED_PICTURE_POLICY
    return response
