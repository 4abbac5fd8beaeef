"""The public enquiry form, in the page's language, with its abuse checks (``abuse``)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import Region
from . import abuse
from .models import Enquiry, Sector

MESSAGE_MIN, MESSAGE_MAX = 20, 3000


class EnquiryForm(forms.ModelForm):
    """What an investor sends. ``rendered`` carries the signed time the form was shown; ``nickname``
    is the honeypot, hidden from people and from assistive technology."""

    sectors = forms.ModelMultipleChoiceField(
        Sector.objects.filter(parent=None),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sectors"),
    )
    region = forms.ModelChoiceField(Region.objects.all(), required=False, label=_("Region of interest"))
    message = forms.CharField(
        label=_("Your message"),
        min_length=MESSAGE_MIN,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text, 20 to 3000 characters."),
    )
    consent_processing = forms.BooleanField(
        required=True, label=_("I agree that my details are processed as explained above.")
    )
    rendered = forms.CharField(widget=forms.HiddenInput)
    nickname = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = Enquiry
        fields = [
            "kind",
            "sectors",
            "region",
            "name",
            "organisation",
            "job_title",
            "country",
            "email",
            "phone",
            "website",
            "size_band",
            "timeline",
            "message",
            "consent_processing",
            "consent_updates",
        ]
        labels = {
            "name": _("Your name"),
            "consent_updates": _("Send me news of projects in my sectors."),
        }

    def __init__(self, *args, project=None, zone=None, **kwargs):
        if project is not None:
            # About one project: its interest kind, its sectors and region preselected; its desk answers.
            kwargs["initial"] = {
                "kind": Enquiry.Kind.INTEREST,
                "sectors": [sector.pk for sector in project.sectors.all() if sector.parent_id is None]
                or [sector.parent_id for sector in project.sectors.all()],
                "region": project.region_id,
                **kwargs.get("initial", {}),
            }
        elif zone is not None:
            # About one zone: its region and leading sectors preselected; its desk answers.
            kwargs["initial"] = {
                "region": zone.region_id,
                "sectors": [sector.pk for sector in zone.leading_sectors.all() if sector.parent_id is None],
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        self.project = project
        self.zone = zone
        for name in ("name", "organisation", "email", "country"):
            self.fields[name].required = True
        self.fields["kind"].choices = [
            choice for choice in Enquiry.Kind.choices if choice[0] != Enquiry.Kind.INTEREST or self.initial.get("kind")
        ]
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["website"].widget.attrs["autocomplete"] = "url"
        self.fields["nickname"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.fields["rendered"].initial = abuse.render_token()

    def clean(self):
        cleaned = super().clean()
        # One message for both robot checks, so the form does not teach a robot which one it failed.
        if cleaned.get("nickname") or not abuse.timing_acceptable(self.data.get("rendered", "")):
            self.data = self.data.copy()
            self.data["rendered"] = abuse.render_token()
            raise forms.ValidationError(
                _(
                    "The form could not be accepted: it was sent too quickly, or the page was open for more "
                    "than two hours. Please check your entries and send it again."
                ),
                code="timing",
            )
        return cleaned

    @property
    def held_as_spam(self):
        return abuse.looks_like_spam(self.cleaned_data.get("message", ""))

    @staticmethod
    def retention_months():
        return settings.PORTAL_ENQUIRY_RETENTION_MONTHS
