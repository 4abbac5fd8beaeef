"""Uploaded files: the picture library for article bodies, and attached documents.

Both store files under generated names (``news/uploads/``), so nothing an editor uploads is
ever reachable under a name they chose, or served as HTML.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..addresses import address
from ..fields import DocumentField, ProcessedImageField, staff_member
from ..uploads import documents


class Image(models.Model):
    """A picture uploaded once and placed in article bodies from the editor's picture button."""

    file = ProcessedImageField(
        _("picture"),
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        help_text=_("JPEG, PNG, WebP or GIF. It is re-encoded and its metadata (such as GPS) removed."),
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt = models.CharField(
        _("alt text"), max_length=255, blank=True, help_text=_("Describes the picture for readers who cannot see it.")
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    credit = models.CharField(_("credit"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = staff_member(_("uploaded by"))

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("picture")
        verbose_name_plural = _("picture library")

    def __str__(self):
        return self.caption or self.alt or self.file.name.rsplit("/", 1)[-1]


# GOV.UK's attachments carry the same flag (whitehall, app/models/attachment.rb): a document that is
# not accessible gets an "ask for another format" link on the reader's page.
ACCESSIBLE_HELP_TEXT = _(
    "Tick when the file works with a screen reader (tagged PDF or a Word file with headings, text "
    "rather than scanned pages). Otherwise readers are offered a link to ask for another format."
)


class Attachment(models.Model):
    """A document attached to an article, such as the full text of a policy."""

    article = models.ForeignKey("news.Article", models.CASCADE, related_name="attachments", verbose_name=_("article"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    file = DocumentField(
        _("file"),
        upload_to=documents.attachment_upload_to,
        validators=[documents.validate_document],
        max_length=200,
        help_text=_("PDF, Word, Excel, WPS or ZIP."),
    )
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    accessible = models.BooleanField(_("accessible"), default=False, help_text=ACCESSIBLE_HELP_TEXT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title or self.file.name.rsplit("/", 1)[-1]

    def get_absolute_url(self):
        return address("news:attachment-download", pk=self.pk)

    def alternative_format_url(self):
        """The enquiry form, in the current language, prefilled to ask for this document in another format."""
        return f"{address('investment:enquiry')}?attachment={self.pk}"

    def clean(self):
        if self.file:
            self.size = self.file.size

    @property
    def kind(self):
        return documents.kind(self.file.name)
