"""The project list's filters: a GET form that works without JavaScript (spec 1, "Pages").

Sector (a top-level sector includes its sub-sectors), region, development zone, amount band, cooperation mode,
stage, and the order. By default the list shows projects still seeking investors (open or in
negotiation); ``closed`` adds the signed and landed ones as success stories. A value that is
not offered is reported on the form and ignored, so a mistyped address still lists projects.
"""

import hashlib

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..forms import ReaderForm
from ..models import Region
from ..pagecache.fragments import digest
from ..pagecache.version import remembered
from .models import CooperationMode, DevelopmentZone, Project, Sector

# Amount bands in 万元: (value, label, lowest included, highest excluded).
BANDS = [
    ("lt1", _("Under CNY 100 million"), None, 10_000),
    ("1-10", _("CNY 100 million – 1 billion"), 10_000, 100_000),
    ("10-50", _("CNY 1–5 billion"), 100_000, 500_000),
    ("gt50", _("Over CNY 5 billion"), 500_000, None),
]

SORTS = {
    "newest": ("-publish_at", "-pk"),
    "largest": ("-total_investment", "-pk"),
    "verified": ("-verified_on", "-publish_at", "-pk"),
}


def reference_choices():
    """The choices of the sector, region, zone and mode lists in the active language:
    ``{field name: [(slug, label, ids of the rows it selects)]}``, ordered as each model orders
    its rows; a top-level sector selects itself and its sub-sectors.

    Read once per content version and language (``remembered``: four queries that every uncached
    list page repeated, and the zones' ``published()`` changes at their scheduled times, which
    end a remembered value too).
    """
    return remembered(f"project-filter-choices:{translation.get_language()}", _read_reference_choices)


def _read_reference_choices():
    sectors = list(Sector.objects.select_related("parent"))
    children = {}
    for sector in sectors:
        if sector.parent_id:
            children.setdefault(sector.parent_id, []).append(sector.pk)
    return {
        "sector": [(s.slug, str(s), [s.pk, *children.get(s.pk, [])]) for s in sectors],
        "region": [(r.slug, str(r), [r.pk]) for r in Region.objects.all()],
        "zone": [(z.slug, str(z), [z.pk]) for z in DevelopmentZone.objects.published()],
        "mode": [(m.slug, str(m), [m.pk]) for m in CooperationMode.objects.all()],
    }


class ProjectFilterForm(ReaderForm):
    # Choices from reference_choices(), set for each form; a value is a slug.
    sector = forms.ChoiceField(required=False, label=_("Sector"))
    region = forms.ChoiceField(required=False, label=_("Region"))
    zone = forms.ChoiceField(required=False, label=_("Development zone"))
    amount = forms.ChoiceField(
        choices=[("", _("Any amount")), *((value, label) for value, label, _low, _high in BANDS)],
        required=False,
        label=_("Total investment"),
    )
    mode = forms.ChoiceField(required=False, label=_("Cooperation mode"))
    stage = forms.ChoiceField(choices=[("", _("Any stage")), *Project.Stage.choices], required=False, label=_("Stage"))
    sort = forms.ChoiceField(
        choices=[("newest", _("Newest")), ("largest", _("Largest")), ("verified", _("Recently verified"))],
        required=False,
        label=_("Order"),
    )
    closed = forms.BooleanField(required=False, label=_("Include signed and landed projects"))

    EMPTY_LABELS = {
        "sector": _("All sectors"),
        "region": _("All regions"),
        "zone": _("All zones"),
        "mode": _("Any mode"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reference = reference_choices()
        for name, empty in self.EMPTY_LABELS.items():
            self.fields[name].choices = [("", empty), *((slug, label) for slug, label, _ids in self.reference[name])]

    def labels_stamp(self):
        """A short digest of the sector and region names in the active language: part of the key
        of a project's card (news/pagecache/fragments.py), which shows them, so that renaming
        one renders the cards afresh while any other edit leaves them kept."""
        names = [label for name in ("sector", "region") for _slug, label, _ids in self.reference[name]]
        return hashlib.blake2b("\x1f".join(names).encode(), digest_size=8).hexdigest()

    def kept_fields(self):
        """The fields with the key each one's HTML is kept under in the fragments cache
        (templates/investment/includes/project_filters.html): ``{"lists": [(BoundField, key)] of
        every field but the box, "closed": key}``, each key None when the form shows errors (then
        it is rendered afresh). Rendering the seven lists and the box cost a fifth of an uncached
        list page.

        A field's key is a digest of all its HTML shows: the language, its choices (the sector,
        region, zone and mode lists as read for the content version, so a renamed sector or a zone
        published at its time makes a new key) and its value as its widget shows it (a list's offered
        value or none, the box ticked or not), not the address's spelling of it (``closed`` takes any
        text; of a repeated parameter the form shows the last). So values nobody offers fill no
        cache, and the entries grow with the sum of the choices, not with their combinations."""
        valid = not self.is_bound or self.is_valid()
        language = translation.get_language()

        def key(name):
            # BoundField.value(): what {{ field }} renders; a valid list's is an offered slug, "" or None.
            return digest((language, name, self.reference.get(name), self[name].value() or "")) if valid else None

        lists = [(self[name], key(name)) for name in self.fields if name != "closed"]
        return {"lists": lists, "closed": key("closed")}

    def is_plain(self):
        """Whether nothing narrows or reorders the list (no filter, newest first, open and
        negotiating projects): the list as most readers open it, whose first page is prepared."""
        if not self.is_valid():
            return False
        data = self.cleaned_data
        return not any(data[name] for name in self.fields if name != "sort") and data["sort"] in ("", "newest")

    def selected(self, name):
        """The ids of the rows the valid choice of the list ``name`` selects; [] for none."""
        value = getattr(self, "cleaned_data", {}).get(name)
        return next((ids for slug, _label, ids in self.reference[name] if slug == value), []) if value else []

    def filter(self, projects):
        """``projects`` narrowed by the valid choices and ordered; invalid ones are left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if not data.get("closed"):
            projects = projects.filter(deal_status__in=Project.SEEKING)
        if sectors := self.selected("sector"):
            tagged = Project.sectors.through.objects.filter(sector__in=sectors)
            projects = projects.filter(pk__in=tagged.values("project_id"))
        if region := self.selected("region"):
            projects = projects.filter(region__in=region)
        if zone := self.selected("zone"):
            projects = projects.filter(zone__in=zone)
        if mode := self.selected("mode"):
            projects = projects.filter(
                pk__in=Project.cooperation_modes.through.objects.filter(cooperationmode__in=mode).values("project_id")
            )
        if stage := data.get("stage"):
            projects = projects.filter(stage=stage)
        for value, _label, low, high in BANDS:
            if data.get("amount") == value:
                if low is not None:
                    projects = projects.filter(total_investment__gte=low)
                if high is not None:
                    projects = projects.filter(total_investment__lt=high)
        return projects.order_by(*SORTS.get(data.get("sort") or "newest", SORTS["newest"]))
