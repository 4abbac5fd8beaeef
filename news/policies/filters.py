"""The policy library's facets: a GET form that works without JavaScript (spec 2, "Pages").

Topic (a top-level topic includes its subtopics), issuer (lead or joint), year written, type,
validity (by default documents in force — in force, amended or partially in force; ``all``
shows every one), normative documents only, and the order. A value that is not offered is
reported on the form and ignored, so a mistyped address still lists documents.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..forms import ReaderForm
from .models import DocumentMeta, Issuer, TopicCategory
from .numbers import typed_document_number

IN_FORCE = "in_force"
ALL = "all"
SORTS = {
    "written": ("-written_date", "-article__publish_at", "-pk"),
    "published": ("-article__publish_at", "-pk"),
}


def _years():
    dates = DocumentMeta.objects.filter(written_date__isnull=False).dates("written_date", "year", order="DESC")
    return [("", _("Any year")), *((str(day.year), str(day.year)) for day in dates)]


class PolicyFilterForm(ReaderForm):
    q = forms.CharField(required=False, max_length=100, label=_("Words or document number"))
    topic = forms.ModelChoiceField(
        TopicCategory.objects.select_related("parent"), to_field_name="slug", required=False, label=_("Subject"),
        empty_label=_("All subjects"),
    )  # fmt: skip
    issuer = forms.ModelChoiceField(
        Issuer.objects.all(), to_field_name="slug", required=False, label=_("Issuing authority"),
        empty_label=_("All issuers"),
    )  # fmt: skip
    year = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label=_("Year written"))
    genre = forms.ChoiceField(
        choices=[("", _("Any type")), *DocumentMeta.Genre.choices], required=False, label=_("Type")
    )
    validity = forms.ChoiceField(
        choices=[
            (IN_FORCE, _("In force")),
            (ALL, _("All, including repealed and expired")),
            *((value, label) for value, label in DocumentMeta.Validity.choices),
        ],
        required=False,
        label=_("Validity"),
    )
    normative = forms.BooleanField(required=False, label=_("Normative documents only"))
    sort = forms.ChoiceField(
        choices=[("written", _("Date written")), ("published", _("Date published"))], required=False, label=_("Order")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()

    def filter(self, documents, now=None):
        """``documents`` (``DocumentMeta``) narrowed by the valid choices, with their validity,
        and ordered; invalid choices are left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        documents = documents.with_validity(now)
        validity = data.get("validity") or IN_FORCE
        if validity == IN_FORCE:
            V = DocumentMeta.Validity
            documents = documents.filter(validity__in=[V.IN_FORCE, V.AMENDED, V.PARTIALLY_IN_FORCE])
        elif validity != ALL:
            documents = documents.filter(validity=validity)
        if topic := data.get("topic"):
            documents = documents.filter(Q(topic=topic) | Q(topic__parent=topic))
        if issuer := data.get("issuer"):
            joint = DocumentMeta.co_issuers.through.objects.filter(issuer=issuer).values("documentmeta_id")
            documents = documents.filter(Q(lead_issuer=issuer) | Q(pk__in=joint))
        if year := data.get("year"):
            documents = documents.filter(written_date__year=year)
        if genre := data.get("genre"):
            documents = documents.filter(genre=genre)
        if data.get("normative"):
            documents = documents.filter(is_normative=True)
        return documents.order_by(*SORTS.get(data.get("sort") or "written", SORTS["written"]))

    def document_number(self):
        """``(prefix, year, serial)`` when the search box holds a document number, else None."""
        return typed_document_number((getattr(self, "cleaned_data", {}) or {}).get("q", ""))


def number_matches(documents, typed):
    """Of ``documents``, those whose number is the one ``typed`` (``typed_document_number``'s
    reading): exact with a prefix, by year and serial without one."""
    prefix, year, serial = typed
    suffix = f"〔{year}〕{serial}号"
    if prefix:
        return documents.filter(document_number=f"{prefix}{suffix}")
    return documents.filter(document_number__endswith=suffix)
