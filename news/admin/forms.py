"""The article form of the admin: workflow rules, the edit-conflict check, the body editor."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget
from reversion.models import Version

from .. import audit, workflow
from ..i18n import localized
from ..models import Article

# What the body editor offers. Whatever it sends is cleaned again on the server (news/text.py).
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Image": True,
    "Caption": True,
    "Figure": True,
    "History": True,
}


def body_editor(language):
    """The rich-text widget for the body in ``language``; its picture button opens the library."""
    picker = reverse("admin:news_image_picker") + f"?language={language}"
    extensions = {**BODY_EDITOR_EXTENSIONS, "Figure": {"pickerUrl": picker}}
    return AdminProseEditorWidget(config={"extensions": extensions}, preset="configurable")


class ArticleAdminForm(forms.ModelForm):
    """Set up per request by ``ArticleAdmin.get_form`` (``request`` is a class attribute)."""

    request = None
    # The lock version of the article when this form was opened.
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)
    publish_as_of_now = forms.BooleanField(
        label=_("Publish as of now"),
        required=False,
        help_text=_(
            "Gives the article today's date when it is published. Without it, an article published before "
            "keeps its date, and a time you typed is kept."
        ),
    )

    class Meta:
        model = Article
        fields = ["status"]  # the admin adds the rest from its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["based_on"].initial = self.instance.lock_version
        self.next_lock_version = self.instance.lock_version + 1
        user = self.request.user
        if "status" in self.fields:
            allowed = workflow.allowed_statuses(user)
            self.fields["status"].choices = [
                (value, label) for value, label in Article.Status.choices if value in allowed
            ]
        for code, _name in settings.LANGUAGES:
            name = localized("body", code)
            if name in self.fields:
                self.fields[name].widget = body_editor(code)

    def clean(self):
        cleaned = super().clean()
        self._check_edit_conflict(cleaned)
        self._check_further_columns(cleaned)
        self._keep_publication_when_restoring(cleaned)
        self._apply_workflow_button(cleaned)
        self._set_publish_time(cleaned)
        status = cleaned.get("status", self.instance.status)
        if status == Article.Status.PUBLISHED and not getattr(self, "document_inline", False):
            # With the metadata inline on the page, its formset checks what is sent instead.
            faults = workflow.document_faults(self.instance, column=cleaned.get("column"))
            if faults:
                raise ValidationError(faults, code="document_metadata")
        if status not in workflow.allowed_statuses(self.request.user):
            audit.event("permission.denied", request=self.request, status=status, article=self.instance.pk or "new")
            raise ValidationError(
                _("Only a senior editor can publish, schedule, unpublish or archive an article."),
                code="permission",
            )
        return cleaned

    def add_error(self, field, error):
        # A field already refused (too long, say) is not reported again by the model's checks
        # as missing: its value never reached the article, so they would see it empty.
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict") and self._errors:
            kept = {name: errors for name, errors in error.error_dict.items() if name not in self._errors}
            if not kept:
                return
            error = ValidationError(kept)
        super().add_error(field, error)

    def _check_further_columns(self, cleaned):
        """The primary column is not chosen again as a further one (it would list the article twice)."""
        column, further = cleaned.get("column"), cleaned.get("further_columns")
        if column is not None and further is not None and column in further:
            self.add_error(
                "further_columns",
                _("“%(column)s” is the primary column already; choose only other columns here.") % {"column": column},
            )

    def _keep_publication_when_restoring(self, cleaned):
        """Restoring a version brings back content, never an old status or publish times."""
        current = getattr(self.request, "publication_before_revert", None)
        if current:
            for name in ("status", "publish_at", "unpublish_at"):
                if name in self.fields:
                    cleaned[name] = current[name]

    def _apply_workflow_button(self, cleaned):
        button = self.data.get("_workflow")
        if not button:
            return
        try:
            workflow.check_step(self.request.user, self.instance, button)
        except PermissionDenied as error:
            raise ValidationError(str(error), code="permission") from None
        cleaned["status"] = workflow.TRANSITIONS[button][1]

    def _set_publish_time(self, cleaned):
        """Publishing (by button or status) sets the publish time by ``workflow.publish_time``."""
        becomes_public = cleaned.get("status") == Article.Status.PUBLISHED and (
            self.instance.status != Article.Status.PUBLISHED or cleaned.get("publish_as_of_now")
        )
        if becomes_public:
            cleaned["publish_at"] = workflow.publish_time(
                self.instance,
                cleaned.get("publish_at", self.instance.publish_at),
                typed=self._publish_at_typed(cleaned.get("publish_at")),
                as_of_now=cleaned.get("publish_as_of_now", False),
            )

    def _publish_at_typed(self, value):
        """Whether the editor changed the publish time the form showed (to the second it shows)."""
        if value is None or "publish_at" not in self.fields:
            return False
        if self.instance.pk:
            shown = self.instance.publish_at
        else:
            # A new article's form shows the time it was opened, posted back as the hidden initial.
            field = self.fields["publish_at"]
            try:
                shown = field.clean(
                    field.hidden_widget().value_from_datadict(
                        self.data, self.files, self.add_initial_prefix("publish_at")
                    )
                )
            except ValidationError:
                return True
        return shown is None or abs(value - shown) >= timedelta(seconds=1)

    def _check_edit_conflict(self, cleaned):
        """Refuse a save based on an older version than the stored one, naming who saved in between."""
        if not self.instance.pk:
            return
        # The revert view of the history has already written the old version in this
        # transaction; the admin then passes the number the article had before.
        current = getattr(self.request, "lock_version_before_revert", None)
        if current is None:
            current = (
                type(self.instance)
                ._default_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("lock_version", flat=True)
                .first()
            )
        if current is None:
            return
        self.next_lock_version = current + 1
        if cleaned.get("based_on") == current:
            return
        latest = Version.objects.get_for_object(self.instance).select_related("revision__user").first()
        if latest and latest.revision.user:
            who, when = latest.revision.user.get_username(), latest.revision.date_created
        else:
            who = self.instance.updated_by.get_username() if self.instance.updated_by else _("someone")
            when = self.instance.updated_at
        opts = self.instance._meta
        history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[self.instance.pk])
        raise ValidationError(
            _(
                "%(who)s saved this article at %(when)s, after you opened it, so your changes were not saved "
                "(nothing has been overwritten). To merge: open the article again in a new tab, copy your "
                "changes from this page into it and save there. The history (%(history)s) compares the versions."
            ),
            code="edit_conflict",
            params={
                "who": who,
                "when": formats.date_format(timezone.localtime(when), "DATETIME_FORMAT"),
                "history": history,
            },
        )
