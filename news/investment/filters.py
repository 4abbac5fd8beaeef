"""The project list's filters: a GET form that works without JavaScript (spec 1, "Pages").

Sector (a top-level sector includes its sub-sectors), region, development zone, amount band, cooperation mode,
stage, and the order. By default the list shows projects still seeking investors (open or in
negotiation); ``closed`` adds the signed and landed ones as success stories. A value that is
not offered is reported on the form and ignored, so a mistyped address still lists projects.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..forms import ReaderForm
from ..models import Region
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


class ProjectFilterForm(ReaderForm):
    sector = forms.ModelChoiceField(
        Sector.objects.select_related("parent"), to_field_name="slug", required=False, label=_("Sector"),
        empty_label=_("All sectors"),
    )  # fmt: skip
    region = forms.ModelChoiceField(
        Region.objects.all(), to_field_name="slug", required=False, label=_("Region"), empty_label=_("All regions")
    )
    zone = forms.ModelChoiceField(
        DevelopmentZone.objects.published(), to_field_name="slug", required=False, label=_("Development zone"),
        empty_label=_("All zones"),
    )  # fmt: skip
    amount = forms.ChoiceField(
        choices=[("", _("Any amount")), *((value, label) for value, label, _low, _high in BANDS)],
        required=False,
        label=_("Total investment"),
    )
    mode = forms.ModelChoiceField(
        CooperationMode.objects.all(), to_field_name="slug", required=False, label=_("Cooperation mode"),
        empty_label=_("Any mode"),
    )  # fmt: skip
    stage = forms.ChoiceField(choices=[("", _("Any stage")), *Project.Stage.choices], required=False, label=_("Stage"))
    sort = forms.ChoiceField(
        choices=[("newest", _("Newest")), ("largest", _("Largest")), ("verified", _("Recently verified"))],
        required=False,
        label=_("Order"),
    )
    closed = forms.BooleanField(required=False, label=_("Include signed and landed projects"))

    def filter(self, projects):
        """``projects`` narrowed by the valid choices and ordered; invalid ones are left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if not data.get("closed"):
            projects = projects.filter(deal_status__in=Project.SEEKING)
        if sector := data.get("sector"):
            tagged = Project.sectors.through.objects.filter(Q(sector=sector) | Q(sector__parent=sector))
            projects = projects.filter(pk__in=tagged.values("project_id"))
        if region := data.get("region"):
            projects = projects.filter(region=region)
        if zone := data.get("zone"):
            projects = projects.filter(zone=zone)
        if mode := data.get("mode"):
            projects = projects.filter(
                pk__in=Project.cooperation_modes.through.objects.filter(cooperationmode=mode).values("project_id")
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
