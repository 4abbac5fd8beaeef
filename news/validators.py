"""Addresses editors type into link fields: web addresses only.

Django's ``URLValidator`` already refuses ``javascript:`` and ``data:``, but as "Enter a valid
URL", which does not tell an editor what is wrong, and it lets ``ftp:`` through. These checks
run first, in the admin's form fields and in ``full_clean()`` (imports), with a message that
says what is allowed; the ``web_address`` template filter keeps a value written around
validation (a raw ``update()``) from ever becoming a link.
"""

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http", "https")
MESSAGE = _("Only web addresses that start with http:// or https:// can be used.")


def is_web_address(value):
    """Whether ``value`` is an http or https address (as a browser would read its scheme)."""
    try:
        # urlsplit drops tabs and newlines inside the scheme and leading spaces, as browsers do.
        return urlsplit(str(value).strip()).scheme.lower() in WEB_SCHEMES
    except ValueError:
        return False


def validate_web_address(value):
    if value and not is_web_address(value):
        raise ValidationError(MESSAGE, code="web_address")


class WebAddressFormField(forms.URLField):
    """The admin's field for every ``URLField``: the scheme is checked before Django's URL rules."""

    def validate(self, value):
        super().validate(value)
        validate_web_address(value)


class WebAddressesMixin:
    """For models with ``URLField``s: ``full_clean()`` refuses other schemes with ``MESSAGE`` alone."""

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
