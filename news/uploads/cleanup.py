"""Files written by a save that then fails are removed again.

``SafeSaveAdminMixin`` wraps an admin form's save: if the storage refuses a file (``OSError`` such
as ENOSPC, or an S3 client error), the transaction has rolled back, every file the save had
already written is removed, and the same form comes back with the editor's input and a message
saying nothing was saved. Files written during a save that fails for any other reason are
removed too (``files_removed_on_error``).
"""

import contextvars
import errno
import logging
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..text import short_log_value

logger = logging.getLogger("portal.faults")

_written = contextvars.ContextVar("portal_written_files", default=None)


def record_written(storage, name):
    """Note a file just written to ``storage``, so that a failing save can remove it."""
    written = _written.get()
    if written is not None:
        written.append((storage, name))


def _remove(written):
    for storage, name in reversed(written):
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 - the storage may be what failed; say so and go on
            logger.warning("Could not remove %s after a failed save.", short_log_value(name))


@contextmanager
def files_removed_on_error():
    """Remove the files written inside the block if it raises; nests (an outer block keeps them)."""
    outer = _written.get()
    written = []
    token = _written.set(written)
    try:
        yield written
    except BaseException:
        _written.reset(token)
        _remove(written)
        raise
    _written.reset(token)
    if outer is not None:
        outer.extend(written)


def _storage_errors():
    errors = [OSError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # S3 support not installed
        pass
    else:
        errors += [BotoCoreError, ClientError]
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()


def storage_error_message(error):
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _(
            "The file could not be stored: the server's disk is full. Nothing was saved; your text is kept "
            "below. Please tell the site administrator, then save again."
        )
    return _(
        "The file could not be stored: the file storage reported an error. Nothing was saved; your text is "
        "kept below. Please try again in a few minutes, or tell the site administrator."
    )


class SafeSaveAdminMixin:
    """Admin saves that fail on the file storage come back as a form error; see the module docstring.

    List it first among an admin's bases: it must wrap django-reversion's revision block and
    Django's transaction, so that both have rolled back before the form is shown again (a
    revision block that ended normally would record the rolled-back save as a version).
    """

    # add_view and change_view, not changeform_view: django-reversion wraps these two in its
    # revision block, which must have ended (rolled back) before the form is shown again.
    def add_view(self, request, form_url="", extra_context=None):
        return self._saved_or_refused(super().add_view, request, None, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._saved_or_refused(super().change_view, request, object_id, form_url, extra_context)

    def _saved_or_refused(self, view, request, object_id, *args):
        arguments = (request, *args) if object_id is None else (request, object_id, *args)
        try:
            with files_removed_on_error():
                return view(*arguments)
        except STORAGE_ERRORS as error:
            if request.method != "POST":
                raise
            logger.error(
                "Storage error (%s) saving %s %s: %s",
                type(error).__name__,
                self.model._meta.label,
                object_id or "new",
                short_log_value(error),
            )
            request.portal_save_error = storage_error_message(error)
        # The same form again, with the editor's input and the message; it cannot validate, so
        # nothing is written.
        return view(*arguments)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        message = getattr(request, "portal_save_error", None)
        if message is None:
            return form

        def clean(self):
            super(failed, self).clean()
            raise ValidationError(message, code="storage_error")

        failed = type(form.__name__, (form,), {"clean": clean})
        return failed
