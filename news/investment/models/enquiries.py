"""An investor's enquiry (咨询/意向) and its append-only record of what was done with it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .reference import EnquiryDesk, Sector, Serial

REFERENCE_PREFIX = "ZX"

# The fields that hold personal information: never logged, blanked by purge_enquiries.
PERSONAL_FIELDS = (
    "name",
    "organisation",
    "job_title",
    "email",
    "phone",
    "website",
    "message",
    "ip_hash",
    "satisfaction_comment",
)


class EnquiryQuerySet(models.QuerySet):
    def open(self):
        """Enquiries still waiting for a substantive answer (new, acknowledged, in progress)."""
        return self.filter(state__in=Enquiry.OPEN_STATES)

    def overdue(self, now=None):
        return self.open().filter(due_at__lte=now or timezone.now())

    def for_user(self, user):
        """What ``user`` may see: everything with ``investment.view_all_enquiries``, else their desks'."""
        if user.has_perm("investment.view_all_enquiries"):
            return self
        return self.filter(desk__members=user)


class Enquiry(models.Model):
    """咨询/意向: one message from an investor, saved before any mail about it is sent.

    ``reference`` (``ZX2026-00031``) is given in the same transaction as the save. ``desk`` is the
    routing result (``news.investment.routing``) and changes only by a logged transfer.
    ``acknowledge_due`` and ``due_at`` are counted in working days (``news.investment.calendar``);
    only a reply marked substantive sets ``answered_at`` and stops the clock.
    """

    class Kind(models.TextChoices):
        INTEREST = "interest", _("Interest in a project")
        QUESTION = "question", _("General investment question")
        VISIT = "visit", _("Site visit request")
        FEEDBACK = "feedback", _("Business-environment feedback")

    class State(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        SPAM = "spam", _("Spam")

    OPEN_STATES = (State.NEW, State.ACKNOWLEDGED, State.IN_PROGRESS)

    class SizeBand(models.TextChoices):
        UNDER_10M = "lt10m", _("Under CNY 10 million")
        TO_100M = "10m-100m", _("CNY 10–100 million")
        TO_1B = "100m-1b", _("CNY 100 million – 1 billion")
        OVER_1B = "gt1b", _("Over CNY 1 billion")

    class Timeline(models.TextChoices):
        SOON = "0-6", _("Within 6 months")
        YEAR = "6-12", _("6–12 months")
        TWO_YEARS = "12-24", _("1–2 years")
        LATER = "24+", _("More than 2 years")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.QUESTION)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="enquiries", verbose_name=_("sectors"))
    region = models.ForeignKey(
        "news.Region", models.SET_NULL, null=True, blank=True, related_name="enquiries", verbose_name=_("region")
    )
    project = models.ForeignKey(
        "investment.Project",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
        verbose_name=_("project"),
    )
    zone = models.ForeignKey(
        "investment.DevelopmentZone",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
        verbose_name=_("development zone"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("full name"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    country = CountryField(_("country or region"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    size_band = models.CharField(_("planned investment"), max_length=10, choices=SizeBand.choices, blank=True)
    timeline = models.CharField(_("timeline"), max_length=10, choices=Timeline.choices, blank=True)
    message = models.TextField(_("message"), blank=True)
    consent_processing = models.BooleanField(_("consents to processing"), default=False)
    consent_updates = models.BooleanField(_("wants project news"), default=False)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    referrer_path = models.CharField(_("sent from page"), max_length=300, blank=True)
    desk = models.ForeignKey(EnquiryDesk, models.PROTECT, related_name="enquiries", verbose_name=_("desk"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_enquiries",
        verbose_name=_("assigned to"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NEW, db_index=True)
    submitted_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    acknowledge_due = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    due_at = models.DateTimeField(_("answer by"), null=True, blank=True, db_index=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    satisfaction_comment = models.TextField(_("comment on the answer"), blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    purge_after = models.DateTimeField(_("personal data kept until"), null=True, blank=True)
    purged_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        permissions = [
            ("view_all_enquiries", _("Can see the enquiries of every desk")),
            ("export_enquiry", _("Can export enquiries with personal data")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True) | models.Q(satisfaction__range=(1, 5)),
                name="satisfaction_1_to_5",
            ),
        ]

    def __str__(self):
        return self.reference or str(_("new enquiry"))

    def clean(self):
        if self.pk is None and not self.consent_processing:
            raise ValidationError({"consent_processing": _("Consent is required to process the enquiry.")})

    def assign_reference(self):
        """Give the enquiry its reference, ``ZX<year>-<serial:05d>``; inside the saving transaction."""
        year = timezone.localtime(self.submitted_at).year
        self.reference = f"{REFERENCE_PREFIX}{year}-{Serial.next('enquiry', year):05d}"

    @property
    def is_overdue(self):
        return self.state in self.OPEN_STATES and self.due_at is not None and self.due_at <= timezone.now()


class EnquiryEvent(models.Model):
    """办理记录: one thing done with an enquiry, by whom and when. Rows are only ever added."""

    class Action(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACKNOWLEDGE = "acknowledge", _("Acknowledged")
        ASSIGN = "assign", _("Assigned")
        TRANSFER = "transfer", _("Transferred")
        NOTE = "note", _("Internal note")
        REPLY = "reply", _("Reply")
        CLOSE = "close", _("Closed")
        REOPEN = "reopen", _("Reopened")
        SPAM = "spam", _("Marked as spam")
        NOTIFICATION_FAILED = "notification_failed", _("Notification failed")
        RATED = "rated", _("Rated by the sender")
        PURGED = "purged", _("Personal data removed")

    enquiry = models.ForeignKey(Enquiry, models.CASCADE, related_name="events", verbose_name=_("enquiry"))
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    text = models.TextField(_("text"), blank=True)
    substantive = models.BooleanField(
        _("substantive answer"), default=False, help_text=_("The reply answers the question; “forwarded to …” is not.")
    )
    emailed = models.BooleanField(_("e-mail sent"), default=False)
    to_desk = models.ForeignKey(
        EnquiryDesk, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("to desk")
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("enquiry event")
        verbose_name_plural = _("enquiry events")

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # The record of what was done is never rewritten; purge_enquiries blanks texts with update().
        if self.pk is not None and not self._state.adding:
            raise ValueError("Enquiry events are append-only.")
        super().save(*args, **kwargs)
