"""Files chosen in a form that was refused are kept for the retry.

A browser never fills a file input again, so after a refused save (a missing title, an edit
conflict) the cover picture and the attachments had to be chosen again. Instead, every file whose
own field raised no error is put aside in the media storage under ``unsaved/`` (a name with no
servable extension: news/uploads/storage.py serves nothing there), and the form comes back with a
signed token per file in a hidden input, ``<field name>__kept``. On the retry a field without a
newly chosen file gets the kept one, which then goes through the same upload checks as any other
(news/uploads/). A token is bound to the person and the field, and expires after ``MAX_AGE``
seconds; kept files left behind are removed after that age the next time files are kept.
"""

import logging
import mimetypes
import uuid
from datetime import timedelta

from django import forms
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.utils import timezone

from ..text import short_log_value

logger = logging.getLogger("portal.faults")

FOLDER = "unsaved"
MAX_AGE = 24 * 3600
SUFFIX = "__kept"
_SALT = "news.admin.kept_uploads"


def _token(request, field_name, stored, filename):
    return signing.dumps({"u": request.user.pk, "f": field_name, "s": stored, "n": filename}, salt=_SALT)


def _read_token(request, field_name, token):
    try:
        data = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("u") != request.user.pk or data.get("f") != field_name:
        return None
    stored = data.get("s", "")
    if not stored.startswith(f"{FOLDER}/") or ".." in stored:
        return None
    return data


def restore_kept_files(request):
    """Put the kept files of a retried POST into ``request.FILES`` where no new file was chosen."""
    if request.method != "POST":
        return
    for key in [key for key in request.POST if key.endswith(SUFFIX)]:
        field_name = key.removesuffix(SUFFIX)
        if request.FILES.get(field_name):
            continue  # a newly chosen file wins
        data = _read_token(request, field_name, request.POST[key])
        if data is None or not default_storage.exists(data["s"]):
            continue
        upload = TemporaryUploadedFile(
            data["n"], mimetypes.guess_type(data["n"])[0] or "application/octet-stream", 0, None
        )
        with default_storage.open(data["s"], "rb") as kept:
            for chunk in iter(lambda: kept.read(1024 * 1024), b""):
                upload.write(chunk)
        upload.size = upload.tell()
        upload.seek(0)
        request.FILES[field_name] = upload
        default_storage.delete(data["s"])  # kept again below if this save is refused too


def _bound_forms(context):
    form = context["adminform"].form
    yield form, None
    for inline in context.get("inline_admin_formsets", ()):
        for number, inline_form in enumerate(inline.formset.forms, 1):
            yield inline_form, f"{inline.opts.verbose_name_plural} {number}"


def keep_files_of_refused_form(request, context):
    """Put aside the files of a refused POST that passed their own checks; adds ``kept_uploads`` to
    ``context``: ``[{"label", "filename", "input_name", "token"}]``, and ``refused_uploads``, the
    files refused by their own checks: ``[{"label", "filename"}]``."""
    if request.method != "POST" or not request.FILES or not context.get("errors"):
        return
    if getattr(request, "portal_save_error", None):
        return  # the storage itself just refused a file (news/uploads/cleanup.py): nothing to keep it in
    kept, refused = [], []
    for form, row in _bound_forms(context):
        for name, field in form.fields.items():
            input_name = form.add_prefix(name)
            upload = request.FILES.get(input_name)
            if not isinstance(field, forms.FileField) or not upload:
                continue
            label = f"{row}: {field.label}" if row else str(field.label)
            if name in form.errors:
                refused.append({"label": label, "filename": upload.name})
                continue
            stored = f"{FOLDER}/{uuid.uuid4().hex}.kept"
            try:
                upload.seek(0)
                stored = default_storage.save(stored, upload)
            except OSError as error:
                logger.warning("Could not keep %s for the retry: %s", short_log_value(upload.name), error)
                continue
            kept.append(
                {
                    "label": label,
                    "filename": upload.name,
                    "input_name": input_name + SUFFIX,
                    "token": _token(request, input_name, stored, upload.name),
                }
            )
    if kept:
        _remove_old_kept_files()
    context["kept_uploads"] = kept
    context["refused_uploads"] = refused


class KeptUploadsMixin:
    """For a ModelAdmin: files of a refused save are kept for the retry (see the module docstring)."""

    def add_view(self, request, form_url="", extra_context=None):
        restore_kept_files(request)
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        restore_kept_files(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        keep_files_of_refused_form(request, context)
        return super().render_change_form(request, context, *args, **kwargs)


def _remove_old_kept_files():
    limit = timezone.now() - timedelta(seconds=MAX_AGE)
    try:
        _folders, names = default_storage.listdir(FOLDER)
        for name in names:
            path = f"{FOLDER}/{name}"
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
    except (OSError, NotImplementedError) as error:
        logger.warning("Could not remove old kept files: %s", error)
