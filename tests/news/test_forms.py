"""Reader forms write their selects in Python, with the markup Django's templates write (news/forms.py)."""

import types
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.utils.functional import lazy, lazystr
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from news.forms import ReaderForm, ReaderSelect, _escape
from news.investment.filters import ProjectFilterForm
from news.investment.views.zones import ZoneFilterForm
from news.policies.filters import PolicyFilterForm
from news.views.search import SearchForm


class Sample(ReaderForm):
    plain = forms.ChoiceField(choices=[("", "Any"), ("a", "A & <b>"), (1, "One")], required=False)
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("x", "X")], required=False
    )
    required = forms.ChoiceField(choices=[("y", "Yes"), ("n", "No")])
    radio = forms.ChoiceField(choices=[("y", "Yes")], widget=forms.RadioSelect, required=False)


def django_markup(bound_field):
    """What Django's own Select (its templates) writes for the same field and data."""
    field = bound_field.field
    widget = forms.Select(attrs=field.widget.attrs)
    widget.choices, widget.is_required = field.widget.choices, field.widget.is_required
    return str(bound_field.as_widget(widget=widget))


@pytest.mark.parametrize(
    "data", [{}, {"plain": "a", "grouped": "pear", "required": "n"}, {"plain": "1", "grouped": "x"}]
)
def test_reader_select_writes_what_djangos_select_template_writes(data):
    form = Sample(data or None)
    form.is_valid()
    for name in ("plain", "grouped", "required"):
        assert isinstance(form.fields[name].widget, ReaderSelect)
        assert str(form[name]) == django_markup(form[name])
    assert "&amp; &lt;b&gt;" in str(form["plain"])
    assert type(form.fields["radio"].widget) is forms.RadioSelect  # other widgets are left alone


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [ProjectFilterForm, ZoneFilterForm, PolicyFilterForm, SearchForm])
def test_every_reader_filter_form_writes_its_selects_as_django_would(form_class, client):
    client.get("/zh-hans/")  # the demo's reference data is not needed: empty lists render too
    form = form_class({})
    form.is_valid()
    selects = [name for name, field in form.fields.items() if isinstance(field.widget, ReaderSelect)]
    assert selects
    for name in selects:
        assert str(form[name]) == django_markup(form[name])


def django_label(form_class, name, form_kwargs, **kwargs):
    """What Django's ``label.html`` template writes for the same label (the form's own
    ``render()`` set aside on this instance)."""
    form = form_class({}, **form_kwargs)
    form.render = types.MethodType(forms.Form.render, form)
    return form[name].label_tag(**kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("form_class", [Sample, ProjectFilterForm, ZoneFilterForm, PolicyFilterForm, SearchForm])
def test_reader_labels_are_what_djangos_label_template_writes(form_class, language):
    from django.utils import translation

    with translation.override(language):
        form = form_class({})
        for name in form.fields:
            for kwargs in ({}, {"attrs": {"class": "x", "hidden": True, "off": False}}, {"tag": "legend"},
                           {"contents": "A & <b>"}, {"label_suffix": ""}):  # fmt: skip
                assert form[name].label_tag(**kwargs) == django_label(form_class, name, {}, **kwargs), (name, kwargs)
        unlabelled = Sample({}, auto_id=False)
        assert unlabelled["plain"].label_tag() == django_label(Sample, "plain", {"auto_id": False})
        assert "<label" not in unlabelled["plain"].label_tag()


class Shown:
    """Not a string: escaped as its ``str()``."""

    def __str__(self):
        return 'a "b" & <c>'


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "A & <b class=\"x\">'q'</b>",
        "",
        SafeString("<b>kept</b> &amp;"),
        mark_safe("<i>&lt;</i>"),
        format_html("<b>{}</b>", "<i>"),
        gettext_lazy("Search"),
        gettext_lazy("All columns"),
        lazystr("<lazy> & 'str'"),
        lazy(lambda: mark_safe("<b>lazy safe</b>"), SafeString)(),
        0,
        2025,
        -1.5,
        Decimal("3.10"),
        True,
        None,
        date(2025, 1, 2),
        Shown(),
    ],
)
def test_the_forms_escape_writes_what_djangos_conditional_escape_writes(value, language):
    """``news.forms._escape`` copies ``django.utils.html.conditional_escape`` without its lazy
    wrapper (docs/upgrading.md, "What copies Django"): the same text for every kind of value a
    form's choices, labels and attributes hold."""
    from django.utils import translation

    with translation.override(language):
        assert str(_escape(value)) == str(conditional_escape(value))
