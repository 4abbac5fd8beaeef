"""Forms on reader pages: the filter and search forms of the project list, the zone directory,
the policy library and the site search.

Their ``<select>`` lists are written in Python (``ReaderSelect``): Django's ``Select`` renders
each option through its own template, and on the project list's eight lists (about a hundred
options) that was 40% of an uncached page's CPU (``bench/inprocess.py /zh-hans/projects/
--profile``). The markup is the same, byte for byte (tests/news/test_forms.py). Their labels too: Django's
``label_tag()`` renders ``django/forms/label.html`` for each field, which cost as much as all the
selects together.
"""

from django import forms
from django.utils.safestring import mark_safe

from .text import escape_html as _escape


def _attributes(attrs):
    """``attrs`` as Django's ``attrs.html`` writes them: `` name="value"``, `` name`` for True,
    nothing for False (escaped)."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class ReaderSelect(forms.Select):
    """``forms.Select`` whose ``render()`` writes the markup of Django's ``select.html`` and
    ``select_option.html`` templates directly (options grouped and selected as ``optgroups()``
    groups and selects them; ``Select`` options inherit no attributes)."""

    def render(self, name, value, attrs=None, renderer=None):
        # What get_context() and optgroups() work out, without a dictionary of a dozen keys per
        # option: the select's attributes, the selected values, the first match selected (all
        # with ``multiple``).
        select_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            select_attrs["multiple"] = True
        values = self.format_value(value)
        parts = [f'<select name="{_escape(name)}"{_attributes(select_attrs)}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            if grouped:
                parts.append(f'\n  <optgroup label="{_escape(option_value)}">')
            for subvalue, sublabel in option_label if grouped else [(option_value, option_label)]:
                selected = (not has_selected or self.allow_multiple_selected) and str(subvalue) in values
                has_selected |= selected
                escaped, label = _escape(subvalue), _escape(sublabel)
                parts.append(f'\n  <option value="{escaped}"{SELECTED if selected else ""}>{label}</option>\n')
            if grouped:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


SELECTED = " selected"


class ReaderForm(forms.Form):
    """A form shown on reader pages: each plain ``Select`` of its fields becomes a ``ReaderSelect``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                widget = ReaderSelect(attrs=field.widget.attrs)
                widget.choices = field.widget.choices
                widget.is_required = field.widget.is_required
                field.widget = widget

    def render(self, template_name=None, context=None, renderer=None):
        """Labels (``label_tag()`` renders ``template_name_label`` through here) written as
        Django's ``label.html`` and ``attrs.html`` write them; anything else as Django renders it."""
        if template_name is None or template_name != self.template_name_label or context is None:
            return super().render(template_name, context, renderer)
        label = _escape(context["label"])
        if not context["use_tag"]:
            return mark_safe(label)  # noqa: S308 - escaped above
        tag = context["tag"]
        return mark_safe(f"<{tag}{_attributes(context['attrs'] or {})}>{label}</{tag}>")  # noqa: S308 - escaped
