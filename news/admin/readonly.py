"""What a person who may view but not change an object sees (an editor opening a published article).

Django shows such a form as read-only model fields: labels with modeltranslation's codes
("正文 [en]") and rich text as its raw HTML. Here every translated field is shown through a
display of its own, ``shown__<field>``, with the staff label ("正文（英文）"), rich text rendered.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from ..i18n import field_label

PREFIX = "shown__"


class ReadOnlyViewMixin:
    """For a ModelAdmin; ``rich_text_fields`` are the (untranslated) names of fields holding HTML."""

    rich_text_fields = ("body",)

    def _view_only(self, request, obj):
        return obj is not None and not self.has_change_permission(request, obj)

    def _translated(self, name):
        try:
            return hasattr(self.model._meta.get_field(name), "translated_field")
        except FieldDoesNotExist:
            return False

    def _shown_fields(self, fields):
        return [PREFIX + name if isinstance(name, str) and self._translated(name) else name for name in fields]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._view_only(request, obj):
            return fieldsets
        return [(name, {**options, "fields": self._shown_fields(options["fields"])}) for name, options in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self._view_only(request, obj):
            return fields
        shown = [
            name
            for _title, options in self.get_fieldsets(request, obj)
            for name in options["fields"]
            if isinstance(name, str) and name.startswith(PREFIX)
        ]
        return [*fields, *shown]

    def __getattr__(self, name):
        if not name.startswith(PREFIX):
            raise AttributeError(name)
        field_name = name.removeprefix(PREFIX)
        try:
            field = self.model._meta.get_field(field_name)
        except FieldDoesNotExist:
            raise AttributeError(name) from None
        rich = getattr(field, "translated_field", field).name in self.rich_text_fields

        def shown(obj):
            value = getattr(obj, field_name)
            # Rich text is cleaned by the allowlist on every save (news/fields.py, news/text.py),
            # as on the reader pages, which show it the same way.
            return mark_safe(value or "") if rich else value  # noqa: S308

        shown.short_description = capfirst(field_label(self.model, field_name))
        return shown
