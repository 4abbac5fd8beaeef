"""Actions on the project list that record a deal (spec 1, Admin): "mark signed or landed" asks the
date, "withdraw" asks the date and the reason. A page to give them comes first; then every chosen
project the person may change gets the new deal status, each with a version in its history.
A withdrawn or signed project leaves the lists at once (``Project.objects.published``)."""

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ... import workflow
from ...admin.batch import confirmation_page
from ...i18n import localized
from ...revisions import as_comment
from ..models import Project
from ..models.projects import site_zone


class DealForm(forms.Form):
    deal_status = forms.ChoiceField(
        label=_("Deal status"),
        choices=[
            (Project.DealStatus.SIGNED, Project.DealStatus.SIGNED.label),
            (Project.DealStatus.LANDED, Project.DealStatus.LANDED.label),
        ],  # fmt: skip
    )
    deal_status_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, withdrawing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.withdrawing = withdrawing
        if withdrawing:
            del self.fields["deal_status"]
            for code, name in settings.LANGUAGES:
                self.fields[f"reason_{code}"] = forms.CharField(
                    label=_("Reason for withdrawal (%(language)s)") % {"language": name},
                    max_length=255,
                    required=False,
                )

    def clean_deal_status_date(self):
        day = self.cleaned_data["deal_status_date"]
        if day > timezone.localdate(timezone.now(), site_zone()):
            raise ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        if self.withdrawing and not any(cleaned.get(f"reason_{code}") for code, _name in settings.LANGUAGES):
            raise ValidationError(_("Give the reason for the withdrawal in at least one language."))
        return cleaned


def _record_deal(modeladmin, request, queryset, action_name, title, withdrawing):
    form = DealForm(request.POST if "apply" in request.POST else None, withdrawing=withdrawing)
    if not form.is_valid():
        return confirmation_page(
            modeladmin,
            request,
            queryset,
            "admin/investment/project/deal.html",
            title=title,
            form=form,
            action=action_name,
        )
    data = form.cleaned_data
    status = Project.DealStatus.WITHDRAWN if withdrawing else data["deal_status"]
    done, refused = 0, []
    for project in queryset.order_by("pk"):
        if not workflow.can_edit(request.user, project):
            refused.append(_("%(project)s: only a senior editor can change it.") % {"project": project})
            continue
        project.deal_status = status
        project.deal_status_date = data["deal_status_date"]
        changed = ["deal_status", "deal_status_date"]
        if withdrawing:
            for code, _name in settings.LANGUAGES:
                setattr(project, localized("withdrawn_reason", code), data[f"reason_{code}"])
            changed.append("withdrawn_reason")
        try:
            project.full_clean(exclude=["cover_image"])
        except ValidationError as error:
            refused.append(f"{project}: {' '.join(error.messages)}")
            continue
        project.updated_by = request.user
        with transaction.atomic(), reversion.create_revision():
            current = Project.objects.select_for_update().filter(pk=project.pk).values_list("lock_version", flat=True)
            project.lock_version = (current.first() or 0) + 1
            project.save()
            reversion.set_user(request.user)
            reversion.set_comment(as_comment([{"changed": {"fields": changed}}]))
        done += 1
    if done:
        modeladmin.message_user(
            request,
            _("%(count)s project(s): %(status)s on %(day)s.")
            % {"count": done, "status": Project.DealStatus(status).label, "day": data["deal_status_date"].isoformat()},
        )
    for message in refused:
        modeladmin.message_user(request, message, messages.ERROR)
    return None


@admin.action(description=_("Mark signed or landed…"), permissions=["change"])
def mark_signed(modeladmin, request, queryset):
    return _record_deal(modeladmin, request, queryset, "mark_signed", _("Mark signed or landed"), withdrawing=False)


@admin.action(description=_("Withdraw…"), permissions=["change"])
def withdraw(modeladmin, request, queryset):
    return _record_deal(modeladmin, request, queryset, "withdraw", _("Withdraw projects"), withdrawing=True)
