"""The investor services' admin: reference data for site administrators, and the enquiry inbox.

An Enquiry officer sees only the enquiries of the desks they belong to; opening another desk's
answers 403 (recorded by the audit middleware, and here with the reference). Opening an enquiry
(its personal data) and exporting enquiries write audit lines. Every step on an enquiry goes
through ``handling``, so it is one transaction with its event.
"""

import csv

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ... import audit
from ...admin.site import PortalAdmin, language_fieldsets
from .. import handling
from ..models import PERSONAL_FIELDS, Enquiry, EnquiryDesk, EnquiryEvent, Sector, WorkingDay


@admin.register(Sector)
class SectorAdmin(PortalAdmin):
    list_display = ("__str__", "slug", "gb_code", "order")
    list_filter = ("parent",)
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = [(None, {"fields": ["slug", "parent", "gb_code", "order"]}), *language_fieldsets(("name",))]


class EnquiryDeskForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple, required=False, label=_("languages answered")
    )

    class Meta:
        model = EnquiryDesk
        fields = [
            "email",
            "phone",
            "languages",
            "is_default",
            "order",
            "sectors",
            "regions",
            "members",
            "acknowledge_days",
            "answer_days",
        ]


@admin.register(EnquiryDesk)
class EnquiryDeskAdmin(PortalAdmin):
    form = EnquiryDeskForm
    list_display = ("name", "email", "phone", "is_default", "acknowledge_days", "answer_days")
    filter_horizontal = ("sectors", "regions", "members")
    fieldsets = [
        (None, {"fields": ["email", "phone", "languages", "is_default", "order"]}),
        *language_fieldsets(("name", "office_hours")),
        (_("Routing"), {"fields": ["sectors", "regions", "members"]}),
        (_("Deadlines in working days"), {"fields": ["acknowledge_days", "answer_days"]}),
    ]


@admin.register(WorkingDay)
class WorkingDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("60days", _("Unanswered for more than 60 days"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "overdue":
            return queryset.overdue(now)
        if self.value() == "60days":
            return queryset.open().filter(submitted_at__lte=now - timezone.timedelta(days=60))
        return queryset


class HandleForm(forms.Form):
    """One step on an enquiry, from the buttons below its record."""

    step = forms.ChoiceField(
        choices=[
            (step, step)
            for step in ("acknowledge", "assign_me", "reply", "note", "transfer", "close", "spam", "reopen")
        ]
    )
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6, "cols": 80}), label=_("Text"))
    substantive = forms.BooleanField(required=False, label=_("This reply answers the question (substantive)"))
    desk = forms.ModelChoiceField(EnquiryDesk.objects.all(), required=False, label=_("Transfer to"))


# What the enquiry is about.
ABOUT = ["project", "zone", "sectors", "region"]


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = (
        "reference", "submitted_at", "kind", "country", "language", "desk", "assigned_to", "state", "due_at",
        "overdue", "mail_failed",
    )  # fmt: skip
    list_filter = ("state", OverdueFilter, "desk", "kind", "language")
    list_select_related = ("desk", "assigned_to")
    search_fields = ("reference",)
    date_hierarchy = "submitted_at"
    actions = ["assign_to_me", "export_csv"]
    change_form_template = "admin/investment/enquiry/change_form.html"
    fieldsets = [
        (None, {"fields": ["reference", "kind", "state", "desk", "assigned_to", "language", *ABOUT]}),
        (
            _("Deadlines"),
            {"fields": ["submitted_at", "acknowledge_due", "acknowledged_at", "due_at", "answered_at", "closed_at"]},
        ),
        (_("Sender"), {"fields": ["name", "organisation", "job_title", "country", "email", "phone", "website"]}),
        (_("Enquiry"), {"fields": ["size_band", "timeline", "message", "consent_processing", "consent_updates"]}),
        (_("Rating and retention"), {"fields": ["satisfaction", "satisfaction_comment", "purge_after", "purged_at"]}),
        (
            _("Campaign"),
            {"classes": ["collapse"], "fields": ["utm_source", "utm_medium", "utm_campaign", "referrer_path"]},
        ),
    ]

    def get_queryset(self, request):
        failed = EnquiryEvent.objects.filter(enquiry=OuterRef("pk"), action=EnquiryEvent.Action.NOTIFICATION_FAILED)
        return super().get_queryset(request).for_user(request.user).annotate(has_failed_mail=Exists(failed))

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Enquiry._meta.fields if field.name != "id"] + ["sectors"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("overdue"), boolean=False)
    def overdue(self, enquiry):
        if enquiry.is_overdue:
            return format_html('<strong class="enquiry-overdue">{}</strong>', _("Overdue"))
        return ""

    @admin.display(description=_("mail"))
    def mail_failed(self, enquiry):
        return (
            format_html('<strong class="enquiry-overdue">{}</strong>', _("Not sent")) if enquiry.has_failed_mail else ""
        )

    def _check_access(self, request, object_id):
        """The enquiry if ``request.user`` may see it; 403 (audited) for another desk's; 404 when none."""
        try:
            enquiry = Enquiry.objects.filter(pk=object_id).first()
        except (ValueError, ValidationError):
            enquiry = None
        if enquiry is None:
            return None
        if not Enquiry.objects.for_user(request.user).filter(pk=enquiry.pk).exists():
            audit.event("enquiry.denied", request=request, reference=enquiry.reference, desk=enquiry.desk_id)
            raise PermissionDenied
        return enquiry

    def change_view(self, request, object_id, form_url="", extra_context=None):
        enquiry = self._check_access(request, object_id)
        if enquiry is not None and request.method == "GET":
            audit.event("enquiry.read", request=request, reference=enquiry.reference)
        extra_context = {
            **(extra_context or {}),
            "events": enquiry.events.select_related("actor", "to_desk") if enquiry else (),
            "handle_form": HandleForm(),
            "desks": EnquiryDesk.objects.exclude(pk=getattr(enquiry, "desk_id", None)),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        handle = self.admin_site.admin_view(self.handle_view)
        return [path("<path:object_id>/handle/", handle, name="investment_enquiry_handle"), *super().get_urls()]

    def handle_view(self, request, object_id):
        """POST one step (acknowledge, reply, transfer, …) on an enquiry, then back to its page."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        enquiry = self._check_access(request, object_id)
        if enquiry is None:
            raise Http404
        form = HandleForm(request.POST)
        back = HttpResponseRedirect(reverse("admin:investment_enquiry_change", args=[enquiry.pk]))
        if not form.is_valid():
            messages.error(request, _("That step could not be taken."))
            return back
        step, text, user = form.cleaned_data["step"], form.cleaned_data["text"], request.user
        try:
            if step == "acknowledge":
                handling.acknowledge(enquiry, user)
            elif step == "assign_me":
                handling.assign(enquiry, user, user)
            elif step == "reply":
                site_root = request.build_absolute_uri("/").rstrip("/")
                handling.reply(enquiry, user, text, substantive=form.cleaned_data["substantive"], site_root=site_root)
            elif step == "note":
                handling.add_note(enquiry, user, text)
            elif step == "transfer":
                if form.cleaned_data["desk"] is None:
                    raise ValidationError(_("Choose the desk to transfer to."))
                handling.transfer(enquiry, user, form.cleaned_data["desk"], text)
            elif step == "close":
                handling.close(enquiry, user, text)
            elif step == "spam":
                handling.mark_spam(enquiry, user, text)
            elif step == "reopen":
                handling.reopen(enquiry, user, text)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return back
        messages.success(request, _("Done: the step is recorded on %(reference)s.") % {"reference": enquiry.reference})
        return back

    @admin.action(description=_("Assign to me"))
    def assign_to_me(self, request, queryset):
        for enquiry in queryset:
            handling.assign(enquiry, request.user, request.user)
        messages.success(request, _("Assigned to you."))

    @admin.action(description=_("Export the chosen enquiries (CSV, with personal data)"), permissions=["export"])
    def export_csv(self, request, queryset):
        references = list(queryset.values_list("reference", flat=True))
        audit.event("enquiry.export", request=request, count=len(references), references=",".join(references)[:2000])
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="enquiries.csv"'
        response.write("\ufeff")  # so that spreadsheet programs read the Chinese as UTF-8
        columns = ["reference", "submitted_at", "kind", "state", "desk", "country", "language", *PERSONAL_FIELDS]
        columns.remove("ip_hash")
        writer = csv.writer(response)
        writer.writerow(columns)
        for enquiry in queryset.select_related("desk"):
            writer.writerow([str(getattr(enquiry, column) or "") for column in columns])
        return response

    def has_export_permission(self, request):
        return request.user.has_perm("investment.export_enquiry")
