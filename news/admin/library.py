"""The picture library: pictures are uploaded here and placed in bodies from the editor's picture button."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models import Q
from django.forms import modelform_factory
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..i18n import localized
from ..models import Image
from ..uploads.cleanup import SafeSaveAdminMixin
from ..uploads.documents import download_name
from ..uploads.renditions import rendition_name, rendition_widths
from .site import PortalAdmin, language_fieldsets


class ImageAdmin(SafeSaveAdminMixin, PortalAdmin):
    """The picture library: pictures are uploaded here and placed in bodies from the editor."""

    list_display = ("thumbnail", "__str__", "width", "height", "uploaded_at", "uploaded_by")
    list_select_related = ("uploaded_by",)
    search_fields = [localized(field, code) for field in ("alt", "caption") for code, _name in settings.LANGUAGES]
    fieldsets = [(None, {"fields": ["file"]}), *language_fieldsets(("alt", "caption", "credit"))]

    @admin.display(description=_("picture"))
    def thumbnail(self, image):
        return format_html('<img src="{}" alt="" class="library-thumbnail" loading="lazy">', small_url(image))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        picker = path("picker/", self.admin_site.admin_view(self.picker_view), name="news_image_picker")
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="news_image_upload")
        return [picker, upload, *super().get_urls()]

    def upload_view(self, request):
        """A picture pasted, dropped or uploaded into a body (static/js/admin-editor-pictures.js, the
        picker's upload form): POST ``file`` and ``alt`` (the alt text in ``language``, a site
        language, default the admin's). The file passes the library's own checks (format, size,
        re-encoding without metadata) and becomes a library picture uploaded by the person.

        Answers JSON: ``{"id", "url" (the copy for bodies), "alt"}``, or status 400 with ``{"error"}``
        in the admin's language (nothing stored); 403 without the right to add pictures; 405 for GET.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        language = request.POST.get("language")
        if language not in dict(settings.LANGUAGES):
            language = translation.get_language()
        alt = localized("alt", language)
        form = modelform_factory(Image, fields=["file", alt])({alt: request.POST.get("alt", "")}, request.FILES)
        valid = form.is_valid()
        if not (form.cleaned_data.get(alt) or "").strip():
            # Publishing refuses a body picture without it: asked for now, while the picture is in mind.
            form.add_error(alt, _("Write the picture's alt text: what it shows, for readers who cannot see it."))
            valid = False
        if not valid:
            errors = [message for messages in form.errors.values() for message in messages]
            return JsonResponse({"error": " ".join(errors)}, status=400)
        image = form.save(commit=False)
        image.uploaded_by = request.user
        image.save()
        self.log_addition(request, image, [{"added": {}}])
        return JsonResponse({"id": image.pk, "url": body_url(image), "alt": getattr(image, alt) or ""})

    def picker_view(self, request):
        """The window the body editor's picture button opens: choose a picture to place in the text."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        language = request.GET.get("language")
        if language not in dict(settings.LANGUAGES):
            language = translation.get_language()
        query = " ".join(request.GET.get("q", "").split())[:100]
        images = Image.objects.all()
        if query:
            # Every word in an alt text or caption, in any language, or in the file's name.
            for word in query.split():
                found = Q(file__icontains=word)
                for field in self.search_fields:
                    found |= Q(**{f"{field}__icontains": word})
                images = images.filter(found)
        images = images[:200]
        choices = [
            {
                "image": image,
                "thumbnail": small_url(image),
                "url": body_url(image),
                "alt": getattr(image, localized("alt", language)),
                "caption": getattr(image, localized("caption", language)),
            }
            for image in images
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Choose a picture"),
            "choices": choices,
            "function_number": request.GET.get("CKEditorFuncNum", ""),
            "is_popup": True,
            "add_url": reverse("admin:news_image_add"),
            "upload_url": reverse("admin:news_image_upload"),
            "query": query,
            "language": language,
        }
        return TemplateResponse(request, "admin/news/image/picker.html", context)


def add_cover(article, user):
    """Put ``article``'s cover, just uploaded with it, in the picture library too, with its alt text,
    caption and credit in every language: a copy under images/ (the library's own renditions;
    deleting either never removes the other's file). Returns the new ``Image``."""
    image = Image(uploaded_by=user)
    for field in ("alt", "caption", "credit"):
        for code, _name in settings.LANGUAGES:
            setattr(image, localized(field, code), getattr(article, localized(f"cover_{field}", code)) or "")
    with article.cover_image.open("rb") as cover:
        image.file.save(article.cover_image.name.rsplit("/", 1)[-1], ContentFile(cover.read()), save=False)
    image.save()
    return image


def small_url(image):
    """The smallest stored copy of a library picture, for thumbnails."""
    widths = rendition_widths(image.width)
    if len(widths) > 1:
        return image.file.storage.url(rendition_name(image.file.name, widths[0]))
    return image.file.url


def body_url(image):
    """The copy placed in article bodies: at most 960 pixels wide, enough for the text column."""
    fitting = [width for width in rendition_widths(image.width) if width <= 960]
    if fitting and fitting[-1] != image.width:
        return image.file.storage.url(rendition_name(image.file.name, fitting[-1]))
    return image.file.url


class _ShownFile:
    """A stored attachment as the file widget shows it: the name readers download, its kind and size,
    not the generated storage name (attachments/2026/11/3f9c….pdf)."""

    def __init__(self, file):
        self.file = file
        self.url = file.url

    def __str__(self):
        attachment = self.file.instance
        name = download_name(attachment.title, self.file.name)
        return f"{name} ({attachment.kind}, {filesizeformat(attachment.size)})"


class _ShownCover:
    """An article's current cover as the file input names it: by its alt text and size, not by
    the generated name it is stored under (covers/2026/12/6ac317fa….jpg)."""

    def __init__(self, file):
        self.file = file
        self.url = file.url

    def __str__(self):
        article = self.file.instance
        current = translation.get_language() or settings.LANGUAGE_CODE
        codes = [current] + [code for code, _name in settings.LANGUAGES if code != current]
        alt = next((text for code in codes if (text := getattr(article, localized("cover_alt", code), ""))), "")
        try:
            size = filesizeformat(self.file.size)
        except OSError:  # the file is missing from the storage: the name still says which cover it was
            return alt or str(_("Cover image"))
        return f"{alt or _('Cover image')} ({size})"


class CoverFileWidget(AdminFileWidget):
    """The article's cover input, naming the current picture by its alt text."""

    def format_value(self, value):
        value = super().format_value(value)
        if value and getattr(value, "instance", None) is not None and getattr(value, "url", None):
            return _ShownCover(value)
        return value


class AttachmentFileWidget(AdminFileWidget):
    """The attachment row's file input, naming the current file as readers will get it."""

    def format_value(self, value):
        value = super().format_value(value)
        if value and getattr(value, "instance", None) is not None and getattr(value, "url", None):
            return _ShownFile(value)
        return value
