"""招商项目: a project seeking investment, with its own ``published()`` gate that includes its validity.

A project is *on the site* (its page answers) when the workflow published it and its publish and
unpublish times allow; it is *published* (in lists, feeds, sitemaps) when, moreover, its validity
has not ended and it is not withdrawn. Validity ends at the end of ``valid_until``, Beijing time
(``settings.TIME_ZONE``): the project leaves at 00:00:00 of the next day, and the page cache turns
over at that second (``next_schedule_change``, read by ``news.pagecache.version``).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Subquery
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ...addresses import address
from ...fields import DocumentField, FirstPublishedField, ProcessedImageField, SanitizedHTMLField, staff_member
from ...i18n import language_codes, localized, with_language
from ...models import Article
from ...models.library import ACCESSIBLE_HELP_TEXT
from ...uploads import documents
from .reference import EnquiryDesk, Sector, Serial

# The texts a project needs in a language to be available in it (spec 1, rule 7).
REQUIRED_TEXTS = ("title", "summary", "body")
SUMMARY_MAX = 300


def a_year_after(day):
    """The same day a year later (29 February → 28 February): how long a confirmation holds."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def site_zone():
    return timezone.get_default_timezone()


def validity_end(valid_until):
    """The moment a project valid until ``valid_until`` (a date) leaves: the next midnight, Beijing time."""
    return datetime.combine(valid_until + timedelta(days=1), time.min, tzinfo=site_zone())


def written_in(language):
    """Projects whose required texts are filled in ``language``."""
    return Q(**{f"{localized(name, language)}__gt": "" for name in REQUIRED_TEXTS})


class CooperationMode(models.Model):
    """合作方式: wholly foreign-owned, joint venture, PPP …; reference data, named in every language."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("cooperation mode")
        verbose_name_plural = _("cooperation modes")

    def __str__(self):
        return self.name or self.slug


class ProjectQuerySet(models.QuerySet):
    def on_site(self, now=None):
        """Projects whose page answers: published by the workflow, due, not unpublished."""
        now = now or timezone.now()
        return self.filter(status=self.model.Status.PUBLISHED, publish_at__lte=now).filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
        )

    def published(self, now=None, today=None):
        """The one gate for lists, feeds and sitemaps: on the site, still valid, not withdrawn.
        ``today`` is ``now``'s day in Beijing, given only by a prepared query (news/db/prepared.py),
        whose values must all be its own."""
        now = now or timezone.now()
        today = today or timezone.localdate(now, site_zone())
        return self.on_site(now).filter(valid_until__gte=today).exclude(deal_status=self.model.DealStatus.WITHDRAWN)

    def available_in(self, language=None):
        return self.filter(written_in(language or translation.get_language()))

    def public(self, language=None, now=None, today=None):
        """What a reader of ``language`` finds in lists: published and written in that language."""
        return self.published(now, today).available_in(language)

    def schedule_subqueries(self, after):
        """Scalar subqueries for the next publish, unpublish and last valid day after ``after``, to be
        read in another kind's schedule query (``news.pagecache.version``); ``schedule_change`` reads them."""
        published = self.model.objects.filter(status=self.model.Status.PUBLISHED).order_by()
        today = timezone.localdate(after, site_zone())

        def first(field, **lookup):
            return Subquery(published.filter(**lookup).order_by(field).values(field)[:1])

        return {
            "project_publish": first("publish_at", publish_at__gt=after),
            "project_unpublish": first("unpublish_at", unpublish_at__gt=after),
            "project_last_valid_day": first("valid_until", valid_until__gte=today),
        }

    @staticmethod
    def schedule_change(row):
        """The first change in a row holding ``schedule_subqueries``' values, or None."""
        times = [row[name] for name in ("project_publish", "project_unpublish") if row[name] is not None]
        if row["project_last_valid_day"] is not None:
            times.append(validity_end(row["project_last_valid_day"]))
        return min(times, default=None)

    def next_schedule_change(self, after):
        """The first moment after ``after`` a scheduled publish, unpublish or end of validity
        changes what is public, or None. One query."""
        subqueries = self.schedule_subqueries(after)
        row = next(iter(self.model.objects.order_by().annotate(**subqueries).values(*subqueries)[:1]), None)
        return self.schedule_change(row) if row else None

    def expiring(self, days=30, now=None):
        """Projects on the site whose validity ends within ``days`` days."""
        today = timezone.localdate(now or timezone.now(), site_zone())
        return self.on_site(now).filter(valid_until__gte=today, valid_until__lt=today + timedelta(days=days))


def default_valid_until():
    return a_year_after(timezone.localdate(timezone.now(), site_zone()))


class Project(models.Model):
    """招商项目. ``code`` (``JL2026-0007``) is given on the first save and never reused; it is the
    project's address. Amounts are integers in 万元 (10,000 yuan); land in 亩 (1 亩 = 1/15 ha).
    ``valid_until`` is the last day it is offered; ``verified_on`` the day the desk last confirmed it.
    """

    Status = Article.Status

    class Stage(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        FEASIBILITY = "feasibility", _("Feasibility study done")
        APPROVED = "approved", _("Approved or filed")
        LAND = "land", _("Land secured")
        CONSTRUCTION = "construction", _("Under construction")

    class DealStatus(models.TextChoices):
        OPEN = "open", _("Seeking investors")
        NEGOTIATING = "negotiating", _("In negotiation")
        SIGNED = "signed", _("Signed")
        LANDED = "landed", _("Landed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    SEEKING = (DealStatus.OPEN, DealStatus.NEGOTIATING)
    DATED_STATUSES = (DealStatus.SIGNED, DealStatus.LANDED, DealStatus.WITHDRAWN)

    code = models.CharField(_("project code"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("project name"), max_length=255, blank=True)
    summary = models.TextField(
        _("summary"), max_length=SUMMARY_MAX, blank=True, help_text=_("Plain text, up to 300 characters.")
    )
    body = SanitizedHTMLField(
        _("details"),
        blank=True,
        help_text=_("Suggested headings: background; scope and scale; market; returns; preparation done."),
    )
    slug = models.SlugField(_("slug"), max_length=100, blank=True)
    sectors = models.ManyToManyField(Sector, related_name="projects", verbose_name=_("sectors"))
    region = models.ForeignKey("news.Region", models.PROTECT, related_name="projects", verbose_name=_("region"))
    zone = models.ForeignKey(
        "investment.DevelopmentZone",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("development zone"),
    )
    site = models.CharField(_("site"), max_length=200, blank=True)
    total_investment = models.PositiveIntegerField(_("total investment (10,000 yuan)"))
    investment_sought = models.PositiveIntegerField(_("investment sought (10,000 yuan)"), null=True, blank=True)
    cooperation_modes = models.ManyToManyField(
        CooperationMode, related_name="projects", verbose_name=_("cooperation modes")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.CONCEPT)
    land_area_mu = models.DecimalField(_("land area (mu)"), max_digits=10, decimal_places=2, null=True, blank=True)
    promoter = models.CharField(_("promoter"), max_length=200, blank=True)
    desk = models.ForeignKey(EnquiryDesk, models.PROTECT, related_name="projects", verbose_name=_("enquiry desk"))
    deal_status = models.CharField(
        _("deal status"), max_length=20, choices=DealStatus.choices, default=DealStatus.OPEN, db_index=True
    )
    deal_status_date = models.DateField(
        _("deal status date"), null=True, blank=True, help_text=_("Required for signed, landed and withdrawn.")
    )
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=255, blank=True)
    valid_until = models.DateField(
        _("valid until"),
        default=default_valid_until,
        help_text=_("The last day the project is offered; it leaves lists when the day ends (Beijing time)."),
    )
    verified_on = models.DateField(
        _("information verified on"), null=True, blank=True, help_text=_("Shown to readers.")
    )
    cover_image = ProcessedImageField(
        _("cover image"),
        upload_to="projects/%Y/%m/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        help_text=_("JPEG, PNG, WebP or GIF. It is re-encoded and its metadata (such as GPS) removed."),
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(
        _("cover alt text"),
        max_length=255,
        blank=True,
        help_text=_("Describes the picture for readers who cannot see it."),
    )
    cover_caption = models.CharField(_("cover caption"), max_length=255, blank=True)
    cover_credit = models.CharField(_("cover credit"), max_length=255, blank=True)
    lat = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("CGCS2000 or WGS-84, decimal degrees; used only for a link to Tianditu."),
    )
    lng = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    related_articles = models.ManyToManyField(
        Article, blank=True, related_name="projects", verbose_name=_("related news")
    )
    tags = models.ManyToManyField("news.Tag", blank=True, related_name="projects", verbose_name=_("tags"))
    featured = models.BooleanField(_("featured"), default=False)
    priority = models.PositiveSmallIntegerField(_("priority"), default=0, help_text=_("Orders featured projects."))

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(_("publish at"), default=timezone.now)
    unpublish_at = models.DateTimeField(_("unpublish at"), null=True, blank=True)
    first_published_at = FirstPublishedField(_("first published at"))
    legacy_url = models.CharField(_("old address"), max_length=500, blank=True, db_index=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = staff_member(_("created by"))
    updated_by = staff_member(_("updated by"))
    lock_version = models.PositiveIntegerField(_("edit number"), default=0, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=Q(total_investment__gt=0), name="project_total_investment_positive"),
            models.CheckConstraint(
                condition=Q(investment_sought__isnull=True) | Q(investment_sought__lte=models.F("total_investment")),
                name="project_sought_within_total",
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="project_unique_external_id"
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until", "-publish_at"], name="project_public")]

    def __str__(self):
        title = self.title or next(filter(None, self.titles().values()), "")
        return f"{self.code} {title}".strip() or str(_("new project"))

    def save(self, *args, **kwargs):
        if not self.code:
            self.assign_code()
        if not self.slug:
            self.slug = slugify(getattr(self, localized("title", "en")) or "")[:100].strip("-")
        super().save(*args, **kwargs)

    def get_absolute_url(self, language=None):
        kwargs = {"code": self.code, "slug": self.slug} if self.slug else {"code": self.code}
        if language is None or language == translation.get_language():
            return address("investment:project-detail", **kwargs)
        with translation.override(language):
            return address("investment:project-detail", **kwargs)

    def titles(self):
        return {code: getattr(self, localized("title", code)) or "" for code in language_codes()}

    def is_available_in(self, language):
        return all(getattr(self, localized(name, language)) for name in REQUIRED_TEXTS)

    def available_languages(self):
        return [code for code in language_codes() if self.is_available_in(code)]

    def is_on_site(self, now=None):
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    def is_expired(self, now=None):
        return (now or timezone.now()) >= validity_end(self.valid_until)

    def is_published(self, now=None):
        """In lists, feeds and sitemaps: ``ProjectQuerySet.published`` for one project."""
        return self.is_on_site(now) and not self.is_expired(now) and self.deal_status != self.DealStatus.WITHDRAWN

    def confirm_still_valid(self, today=None):
        """The desk confirmed the facts: verified today, offered for another twelve months."""
        today = today or timezone.localdate(timezone.now(), site_zone())
        self.verified_on = today
        self.valid_until = a_year_after(today)

    def assign_code(self):
        """Give the project its code, ``<prefix><year>-<serial:04d>``; inside the saving transaction."""
        year = timezone.localtime(self.created_at or timezone.now(), site_zone()).year
        prefix = settings.PORTAL_PROJECT_CODE_PREFIX
        self.code = f"{prefix}{year}-{Serial.next('project', year):04d}"

    def publishing_problems(self, sectors=None, modes=None, check_validity=True):
        """What keeps the project from being published (spec 1, rule 7): ``{field: message}``.

        ``sectors`` and ``modes`` are the values a form is about to save; else the stored ones.
        ``check_validity``: whether ``valid_until`` must still lie ahead (when publishing or
        changing it; an expired project may still be corrected without extending it).
        """
        errors = {}
        if sectors is None and self.pk:
            sectors = self.sectors.all()
        if modes is None and self.pk:
            modes = self.cooperation_modes.all()
        if not sectors:
            errors["sectors"] = _("A published project needs at least one sector.")
        if not modes:
            errors["cooperation_modes"] = _("A published project needs at least one cooperation mode.")
        if not self.available_languages():
            errors[localized("title", settings.LANGUAGE_CODE)] = _(
                "A project is published only when its name, summary and details are written in at least one language."
            )
        for code in self.available_languages():
            if self.cover_image and not getattr(self, localized("cover_alt", code)):
                errors[localized("cover_alt", code)] = with_language(
                    _("A published project needs the cover's alt text in %(language)s."), code
                )
        if check_validity and self.valid_until and self.valid_until < timezone.localdate(timezone.now(), site_zone()):
            errors["valid_until"] = _("The validity has ended: confirm the project and set a new date to publish it.")
        return errors

    def clean(self):
        errors = {}
        for code in language_codes():
            body_field = localized("body", code)
            body = getattr(self, body_field) or ""
            if not strip_tags(body).replace("&nbsp;", "").strip():
                setattr(self, body_field, "")
        if not any(self.titles().values()):
            errors[localized("title", settings.LANGUAGE_CODE)] = _("Write the name in at least one language.")
        if (
            self.investment_sought is not None
            and self.total_investment
            and self.investment_sought > self.total_investment
        ):
            errors["investment_sought"] = _("The investment sought cannot exceed the total investment.")
        if self.total_investment is not None and self.total_investment <= 0:
            errors["total_investment"] = _("The total investment must be more than zero.")
        if self.deal_status in self.DATED_STATUSES and not self.deal_status_date:
            errors["deal_status_date"] = _("Give the date of this deal status.")
        if self.deal_status == self.DealStatus.WITHDRAWN and not any(
            getattr(self, localized("withdrawn_reason", code)) for code in language_codes()
        ):
            errors[localized("withdrawn_reason", settings.LANGUAGE_CODE)] = _("Give the reason for the withdrawal.")
        if self.unpublish_at and self.publish_at and self.unpublish_at <= self.publish_at:
            errors["unpublish_at"] = _("The unpublish time must be after the publish time.")
        if self.status == self.Status.PUBLISHED:
            pending = getattr(self, "_pending_m2m", {})
            errors.update(
                self.publishing_problems(
                    pending.get("sectors"), pending.get("cooperation_modes"), check_validity=self._publishing()
                )
            )
        if errors:
            raise ValidationError(errors)

    def _publishing(self):
        """Whether this save publishes the project or changes its validity."""
        if self.pk is None:
            return True
        before = Project.objects.filter(pk=self.pk).values_list("status", "valid_until").first()
        return before is None or before[0] != self.Status.PUBLISHED or before[1] != self.valid_until


class ProjectAttachment(models.Model):
    """A document attached to a project: a brochure, a feasibility summary."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="attachments", verbose_name=_("project"))
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
        return address("investment:project-attachment", pk=self.pk)

    def alternative_format_url(self):
        """The project's enquiry form, in the current language, prefilled to ask for this document in
        another format (the project's desk answers)."""
        return f"{address('investment:enquiry-project', code=self.project.code)}?attachment={self.pk}"

    def clean(self):
        if self.file:
            self.size = self.file.size

    @property
    def kind(self):
        return documents.kind(self.file.name)
