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
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe


def _attributes(attrs):
    """``attrs`` as Django's ``attrs.html`` writes them: `` name="value"``, `` name`` for True,
    nothing for False."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


class ReaderSelect(forms.Select):
    """``forms.Select`` whose ``render()`` writes the markup of Django's ``select.html`` and
    ``select_option.html`` templates directly (options grouped as ``optgroups()`` groups them)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                # Escaped as format_html() would, without its cost per call (a hundred options a page).
                value, label = conditional_escape(option["value"]), conditional_escape(option["label"])
                attributes = _attributes(option["attrs"]) if option["attrs"] else ""
                parts.append(f'\n  <option value="{value}"{attributes}>{label}</option>\n')
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped by format_html


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
        label = conditional_escape(context["label"])
        if not context["use_tag"]:
            return mark_safe(label)  # noqa: S308 - escaped above
        tag = context["tag"]
        return format_html("<{}{}>{}</{}>", tag, _attributes(context["attrs"] or {}), label, tag)
