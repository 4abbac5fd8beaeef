"""Actions on the article list for policy documents: "repealed by…", "amended by…" and "set
validity by hand…" (SPEC-services.md spec 2, "Admin").

Each first shows a page to pick the other document (or the validity and its reason), as
Django's delete action does, and then changes either every chosen document or none: a loop, a
document repealing itself, an article that is not a policy document or one the person may not
change (published documents belong to senior editors, ``news.workflow.can_edit``) refuses the
whole action with a message in the admin's language. What is done keeps a version on every
document it touches (django-reversion, as the workflow does), so the history of both sides
says it; the validity set by hand is also written to the audit log. Saving a relation or the
metadata changes the content version (``news.pagecache.version``), so the public pages turn
over with the save.
"""

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .. import audit
from ..admin.batch import confirmation_page
from ..i18n import localized
from ..models import Article
from ..revisions import as_comment
from ..workflow import can_edit
from .admin import PICKER_FIELD
from .models import DocumentMeta, DocumentRelation

Kind = DocumentRelation.Kind


class OtherDocumentForm(forms.Form):
    """The document that repeals or amends the chosen ones: any policy document, found by the
    article search (title, text, article number or document number)."""

    other = forms.ModelChoiceField(
        queryset=Article.objects.filter(document__isnull=False),
        error_messages={"invalid_choice": _("Choose a policy document (an article of a policy column).")},
    )

    def __init__(self, *args, admin_site, label, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["other"]
        field.label = label
        field.widget = AutocompleteSelect(DocumentRelation._meta.get_field(PICKER_FIELD), admin_site)
        field.widget.choices = field.choices


class ValidityForm(forms.Form):
    """The validity set by hand (or back to computed) and its reason in each language the
    chosen documents are written in."""

    validity = forms.ChoiceField(
        label=_("Validity"),
        choices=[("", _("Computed from dates and relations")), *DocumentMeta.Validity.choices],
        required=False,
    )

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        for code, _name in settings.LANGUAGES:
            self.fields[f"reason_{code}"] = forms.CharField(
                label=_("Reason (%(language)s)") % {"language": translation.get_language_info(code)["name_translated"]},
                max_length=DocumentMeta._meta.get_field("validity_reason").max_length,
                widget=forms.TextInput(attrs={"class": "vTextField", "size": 80}),
                required=False,
            )

    def clean(self):
        data = super().clean()
        if data.get("validity"):
            for code in self.languages:
                if not (data.get(f"reason_{code}") or "").strip():
                    self.add_error(f"reason_{code}", _("Say why the validity is set by hand, in this language too."))
        return data


def _render(modeladmin, request, queryset, template, title, form, action, note=""):
    chosen = queryset.select_related("column", "document")
    return confirmation_page(
        modeladmin, request, chosen, f"admin/news/article/{template}", title=title, form=form, action=action, note=note
    )


def _refusals(user, documents):
    """Messages for the chosen articles that are not policy documents or that ``user`` may not change."""
    refused = []
    for article in documents:
        if not hasattr(article, "document"):
            refused.append(_("“%(article)s” is not a policy document.") % {"article": article})
        elif not can_edit(user, article):
            refused.append(
                _("“%(article)s”: only a senior editor changes a published or archived document.")
                % {"article": article}
            )
    return refused


def _refuse(modeladmin, request, refused):
    modeladmin.message_user(
        request,
        _("Nothing was changed: %(reasons)s") % {"reasons": " ".join(str(reason) for reason in refused)},
        messages.ERROR,
    )


def relation_entry(kind, source, target):
    """The history entry of a relation added by an action: ``{"relation": {"kind", "from", "to"}}``
    with the two documents' titles; the one revision holding both documents carries it, so it
    reads the same in both histories (``relation_text``)."""
    return {"relation": {"kind": kind, "from": str(source), "to": str(target)}}


def relation_text(entry):
    """A relation entry in the active language: "“A” repeals “B”."."""
    return _("“%(from)s” %(relation)s “%(to)s”.") % {
        "from": entry.get("from", ""),
        "relation": Kind(entry["kind"]).label,
        "to": entry.get("to", ""),
    }


def validity_text(entry):
    value = entry.get("set")
    if not value:
        return str(_("Validity computed again from dates and relations."))
    label = dict(DocumentMeta.Validity.choices).get(value, value)
    return _("Validity set by hand: %(validity)s (%(reason)s).") % {
        "validity": label,
        "reason": entry.get("reason", ""),
    }


def relate(user, other, documents, kind):
    """Make ``other`` (an article) ``kind`` (repeals, amends…) each of ``documents`` (articles),
    all or none. Returns the number of relations added (existing ones are kept, not counted);
    raises ``ValidationError`` with every reason when any is refused."""
    documents = list(documents)
    refused = _refusals(user, [other, *documents])
    if any(article.pk == other.pk for article in documents):
        refused.append(_("A document cannot %(relation)s itself.") % {"relation": Kind(kind).label})
    if refused:
        raise ValidationError(refused)
    entries = []
    with transaction.atomic(), reversion.create_revision():
        for article in documents:
            if DocumentRelation.objects.filter(from_article=other, to_article=article, kind=kind).exists():
                continue
            relation = DocumentRelation(from_article=other, to_article=article, kind=kind)
            try:
                relation.full_clean()
                relation.save()
            except ValidationError as error:
                raise ValidationError(
                    [_("“%(article)s”: %(reason)s") % {"article": article, "reason": " ".join(error.messages)}]
                ) from error
            reversion.add_to_revision(article)
            entries.append(relation_entry(kind, other, article))
        if entries:
            reversion.add_to_revision(other)
            reversion.set_user(user)
            reversion.set_comment(as_comment(entries))
    return len(entries)


def _relation_action(kind, name, description, picker_label, template_title):
    def action(modeladmin, request, queryset):
        form = OtherDocumentForm(
            request.POST if "apply" in request.POST else None, admin_site=modeladmin.admin_site, label=picker_label
        )
        if not form.is_valid():
            return _render(modeladmin, request, queryset, "relate_documents.html", template_title, form, name)
        other = Article.objects.select_related("column", "document").get(pk=form.cleaned_data["other"].pk)
        try:
            added = relate(request.user, other, queryset.select_related("column", "document"), kind)
        except ValidationError as error:
            _refuse(modeladmin, request, error.messages)
            return None
        modeladmin.message_user(
            request,
            _("%(count)s document(s) now %(relation)s “%(other)s”.")
            % {"count": added, "relation": DocumentRelation.BACKWARD[Kind(kind)], "other": other},
        )
        return None

    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


repealed_by = _relation_action(
    Kind.REPEALS,
    "repealed_by",
    _("Repealed by…"),
    _("Repealed by the document"),
    _("Mark the chosen documents as repealed"),
)
amended_by = _relation_action(
    Kind.AMENDS,
    "amended_by",
    _("Amended by…"),
    _("Amended by the document"),
    _("Mark the chosen documents as amended"),
)


def set_validity(user, documents, validity, reasons):
    """Set (or with ``validity`` "" clear) the validity by hand of ``documents`` (articles with
    metadata), ``reasons`` ``{language: text}``; each change audited and versioned. Raises
    ``ValidationError`` when any document is refused, changing none."""
    documents = list(documents)
    refused = _refusals(user, documents)
    if refused:
        raise ValidationError(refused)
    with transaction.atomic(), reversion.create_revision():
        for article in documents:
            meta = DocumentMeta.objects.select_for_update().get(pk=article.document.pk)
            meta.validity_override = validity
            for code, _name in settings.LANGUAGES:
                setattr(meta, localized("validity_reason", code), reasons.get(code, "").strip() if validity else "")
            meta.save(
                update_fields=["validity_override", *(localized("validity_reason", c) for c, _n in settings.LANGUAGES)]
            )
            reversion.add_to_revision(article)
            audit.event(
                "document.validity",
                user=user,
                when_committed=True,
                article=article.pk,
                validity=validity or "computed",
                reason=" | ".join(reasons.get(code, "").strip() for code, _name in settings.LANGUAGES if validity),
            )
        reversion.set_user(user)
        entry = {"set": validity}
        if validity:
            entry["reason"] = reasons.get(translation.get_language(), "") or next(iter(reasons.values()), "")
        reversion.set_comment(as_comment([{"validity": entry}]))
    return len(documents)


@admin.action(description=_("Set validity by hand…"), permissions=["publish"])
def set_validity_by_hand(modeladmin, request, queryset):
    documents = list(queryset.select_related("column", "document"))
    languages = [code for code, _name in settings.LANGUAGES if any(a.is_available_in(code) for a in documents)]
    form = ValidityForm(request.POST if "apply" in request.POST else None, languages=languages)
    if not form.is_valid():
        return _render(
            modeladmin,
            request,
            queryset,
            "set_validity.html",
            _("Set the validity by hand"),
            form,
            "set_validity_by_hand",
            note=_(
                "Only when the dates and relations cannot say it, such as a document partially in force. "
                "Readers see the validity and its reason; the audit log records the change."
            ),
        )
    reasons = {code: form.cleaned_data.get(f"reason_{code}", "") for code, _name in settings.LANGUAGES}
    try:
        count = set_validity(request.user, documents, form.cleaned_data["validity"], reasons)
    except ValidationError as error:
        _refuse(modeladmin, request, error.messages)
        return None
    modeladmin.message_user(request, _("Validity changed on %(count)s document(s).") % {"count": count})
    return None


ACTIONS = [repealed_by, amended_by, set_validity_by_hand]
