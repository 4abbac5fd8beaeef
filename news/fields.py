"""The project's model and form fields: each does its job whatever path saves the model
(the admin, an import, the shell).

- ``SanitizedHTMLField``: HTML cleaned with the allowlist (``news/text.py``) on every save.
- ``ProcessedImageField``: pictures re-encoded on upload and given their resized copies.
- ``DocumentField``: documents whose files a failing save removes again.
- ``WebAddressFormField`` and ``WebAddressesMixin``: only http(s) addresses, with a message that says so.
- ``staff_member()``: who created, changed or uploaded something.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.utils.translation import gettext_lazy as _

from .text import sanitize_html, validate_web_address
from .uploads.cleanup import files_removed_on_error, record_written
from .uploads.images import reencode
from .uploads.renditions import make_renditions


class SanitizedHTMLField(models.TextField):
    """A text field whose HTML is cleaned with the allowlist every time it is saved.

    Cleaning lives in the field rather than in a form so that no path into the
    database (admin, import, shell) can store unsanitized markup. Its validators refuse a
    text longer than ``PORTAL_BODY_MAX_CHARACTERS`` (``full_clean``: the admin and imports).
    """

    @property
    def validators(self):
        # From the setting at run time rather than in the field's arguments (no migration).
        return [*super().validators, BodyLengthValidator(settings.PORTAL_BODY_MAX_CHARACTERS)]

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class BodyLengthValidator(MaxLengthValidator):
    message = _(
        "This text is %(show_value)d characters long; at most %(limit_value)d can be saved. "
        "Split it into several articles, or attach the full document as a file."
    )


class ReencodedImageFormField(forms.ImageField):
    """The admin's picture field: the upload is checked and replaced by its re-encoded copy."""

    def to_python(self, data):
        # Django's own checks first: a name, not too long, not empty (its messages are translated).
        data = forms.FileField.to_python(self, data)
        if data is None:
            return None
        try:
            return reencode(data)
        except ValidationError as error:
            raise ValidationError(error.messages, code="invalid_image") from None

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"
        return attrs


class ProcessedImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # All or nothing: a storage error half-way (disk full) leaves no picture or copy behind.
        with files_removed_on_error():
            super().save(name, content, save=False)
            record_written(self.storage, self.name)
            make_renditions(self)
            if save:
                self.instance.save()


class ProcessedImageField(models.ImageField):
    """An ``ImageField`` whose newly stored pictures get their resized copies.

    The renditions are written whenever a file is written to storage through the field,
    whatever saved it (the admin, the importer, the demo, the shell), as
    ``SanitizedHTMLField`` does for HTML.
    """

    attr_class = ProcessedImageFieldFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ReencodedImageFormField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs


class DocumentFieldFile(FieldFile):
    def save(self, name, content, save=True):
        super().save(name, content, save=False)
        # A save that fails later (the article, another attachment) removes the file again.
        record_written(self.storage, self.name)
        if save:
            self.instance.save()


class DocumentField(models.FileField):
    """A ``FileField`` whose written files a failing admin save removes (news/uploads/cleanup.py)."""

    attr_class = DocumentFieldFile

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs


class WebAddressFormField(forms.URLField):
    """The admin's field for every ``URLField``: the scheme is checked before Django's URL rules."""

    def validate(self, value):
        super().validate(value)
        validate_web_address(value)


class WebAddressesMixin:
    """For models with ``URLField``s: ``full_clean()`` refuses other schemes with ``WEB_ADDRESS_MESSAGE`` alone."""

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        errors = {}
        for field in self._meta.concrete_fields:
            if isinstance(field, models.URLField) and field.name not in exclude:
                try:
                    validate_web_address(getattr(self, field.attname))
                except ValidationError as error:
                    errors[field.name] = error.error_list
                    exclude.add(field.name)
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def staff_member(verbose_name):
    """A link to the staff member who did something (``created_by``, ``uploaded_by``): set by the
    admin, never edited in a form, and kept empty rather than deleted with the account."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=verbose_name,
    )


class FirstPublishedField(models.DateTimeField):
    """When an article was first published (its publish time then); empty while it never was.

    Set by whatever saves a published article (the admin, the workflow, an import), and never
    changed again, so that publishing it again keeps the date readers knew (news/workflow.py).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None and model_instance.status == "published":
            value = model_instance.publish_at
            setattr(model_instance, self.attname, value)
        return value
