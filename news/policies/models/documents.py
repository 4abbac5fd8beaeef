"""``DocumentMeta``: a policy document's 政务公开 metadata (index number, topic, issuers, document
number, dates, validity), one-to-one with its ``Article``."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...i18n import language_codes, localized
from ...models import Article
from ..numbers import INDEX_NUMBER, NO_NUMBER, index_number, normalize_document_number
from .reference import IndexSerial, Issuer, TopicCategory


class DocumentMetaQuerySet(models.QuerySet):
    def with_validity(self, now=None):
        """Each row annotated with ``validity``, the rules of ``news.policies.validity`` in SQL."""
        from ..validity import validity_expression

        return self.annotate(validity=validity_expression(self.model.Validity, now))

    def in_force(self, now=None):
        """Documents in force at ``now``: in force, in force as amended, or partially in force
        (the library's default view)."""
        V = self.model.Validity
        return self.with_validity(now).filter(validity__in=[V.IN_FORCE, V.AMENDED, V.PARTIALLY_IN_FORCE])

    def schedule_subqueries(self, after):
        """Scalar subqueries for the next effective date and the last day before an expiry, of
        published documents, after ``after``; ``schedule_change`` reads them
        (``news.pagecache.version`` reads them in the articles' schedule query)."""
        from ..validity import site_today

        today = site_today(after)
        public = self.model.objects.filter(article__status=Article.Status.PUBLISHED).order_by()

        def first(field, **lookup):
            return models.Subquery(public.filter(**lookup).order_by(field).values(field)[:1])

        return {
            "document_effective": first("effective_date", effective_date__gt=today),
            "document_last_day": first("expiry_date", expiry_date__gte=today),
        }

    @staticmethod
    def schedule_change(row):
        """The first moment a document's validity changes by its dates, from a row of ``schedule_subqueries``."""
        from ..validity import change_moment, expiry_moment

        times = []
        if row.get("document_effective") is not None:
            times.append(change_moment(row["document_effective"]))
        if row.get("document_last_day") is not None:
            times.append(expiry_moment(row["document_last_day"]))
        return min(times, default=None)


class DocumentMeta(models.Model):
    """公文元数据: the metadata block of a policy document, one-to-one with its article.

    The publication date (发布日期) is the article's ``publish_at``, not a field of its own. The
    lead issuer is the first of a joint issuance (联合发文); ``co_issuers`` are the others, listed
    in the issuers' own order. Required before publishing (``publish_faults``): topic, lead
    issuer, date written, and a document number or 无.
    """

    class Genre(models.TextChoices):
        # The 15 kinds of 公文 (党政机关公文处理工作条例, 2012, art. 8) and what provinces add.
        RESOLUTION = "resolution", _("Resolution (决议)")
        DECISION = "decision", _("Decision (决定)")
        ORDER = "order", _("Order (命令)")
        COMMUNIQUE = "communique", _("Communiqué (公报)")
        ANNOUNCEMENT = "announcement", _("Announcement (公告)")
        PUBLIC_NOTICE = "public_notice", _("Public notice (通告)")
        OPINION = "opinion", _("Opinion (意见)")
        NOTICE = "notice", _("Notice (通知)")
        BULLETIN = "bulletin", _("Circular (通报)")
        REPORT = "report", _("Report (报告)")
        REQUEST = "request", _("Request (请示)")
        REPLY = "reply", _("Reply (批复)")
        MOTION = "motion", _("Motion (议案)")
        LETTER = "letter", _("Letter (函)")
        MINUTES = "minutes", _("Minutes (纪要)")
        RULES = "rules", _("Rules (规章)")
        PLAN = "plan", _("Plan (规划)")
        PROGRAMME = "programme", _("Programme (方案)")
        OTHER = "other", _("Other")

    class EnglishStatus(models.TextChoices):
        OFFICIAL = "official", _("Official translation")
        REFERENCE = "reference", _("Reference translation")

    class Validity(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        AMENDED = "amended", _("In force as amended")
        PARTIALLY_IN_FORCE = "partially_in_force", _("Partially in force")
        NOT_YET_IN_FORCE = "not_yet_in_force", _("Not yet in force")
        EXPIRED = "expired", _("Expired")
        REPEALED = "repealed", _("Repealed")

    article = models.OneToOneField(Article, models.CASCADE, related_name="document", verbose_name=_("article"))
    index_number = models.CharField(
        _("index number"),
        max_length=40,
        blank=True,
        help_text=_(
            "索引号, such as 000014349/2017-00156. Given at the first publication; change it only to carry "
            "over a number from an old catalogue."
        ),
    )
    topic = models.ForeignKey(
        TopicCategory,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        limit_choices_to={"parent__isnull": False},
        verbose_name=_("topic"),
    )
    lead_issuer = models.ForeignKey(
        Issuer, models.PROTECT, null=True, blank=True, related_name="documents", verbose_name=_("issuer")
    )
    co_issuers = models.ManyToManyField(
        Issuer,
        blank=True,
        related_name="joint_documents",
        verbose_name=_("joint issuers"),
        help_text=_("For a joint issuance (联合发文): the other issuers; the issuer above leads."),
    )
    document_number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        help_text=_(
            "发文字号, such as 吉政发〔2025〕7号; any brackets are written as 〔〕 on saving. Write 无 if it has none."
        ),
    )
    is_correction = models.BooleanField(
        _("correction"),
        default=False,
        help_text=_(
            "更正: this document corrects an earlier one of the same issuer and keeps its document number. "
            "Without it, a document number is refused when the issuer already has it."
        ),
    )
    written_date = models.DateField(_("date written"), null=True, blank=True, help_text=_("成文日期: the date signed."))
    effective_date = models.DateField(_("effective from"), null=True, blank=True)
    expiry_date = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("The last day the document is in force, if it says so.")
    )
    genre = models.CharField(_("type"), max_length=20, choices=Genre.choices, blank=True)
    is_normative = models.BooleanField(
        _("normative document"), default=False, help_text=_("行政规范性文件: binding rules for the public.")
    )
    needs_interpretation = models.BooleanField(
        _("needs an interpretation"),
        default=True,
        help_text=_("A normative document is to be published with an interpretation (政策解读)."),
    )
    is_republished = models.BooleanField(
        _("republished"),
        default=False,
        help_text=_("Another body's document published here again: the article's source and source address name it."),
    )
    english_status = models.CharField(
        _("English text"), max_length=10, choices=EnglishStatus.choices, default=EnglishStatus.REFERENCE
    )
    keywords = models.CharField(_("keywords"), max_length=200, blank=True, help_text=_("主题词, separated by spaces."))
    validity_override = models.CharField(
        _("validity set by hand"),
        max_length=20,
        choices=Validity.choices,
        blank=True,
        help_text=_("Only when the dates and relations cannot say it, such as a document partially in force."),
    )
    validity_reason = models.CharField(_("reason for the validity set by hand"), max_length=300, blank=True)
    review_note = models.TextField(
        _("review note"),
        blank=True,
        help_text=_(
            "清理评估: when and how the document was last reviewed (normative documents are reviewed "
            "periodically; the admin home lists those older than five years without a note). Not shown to readers."
        ),
    )

    objects = DocumentMetaQuerySet.as_manager()

    class Meta:
        verbose_name = _("document metadata")
        verbose_name_plural = _("document metadata")
        constraints = [
            models.UniqueConstraint(
                fields=["index_number"], condition=~Q(index_number=""), name="document_unique_index_number"
            ),
            models.UniqueConstraint(
                fields=["lead_issuer", "document_number"],
                condition=~Q(document_number__in=["", NO_NUMBER]) & Q(is_correction=False),
                name="document_number_unique_per_issuer",
                violation_error_message=_(
                    "This issuer already has a document with this number. If this one corrects it, mark it as a "
                    "correction (更正)."
                ),
            ),
        ]

    def __str__(self):
        return self.document_number or self.index_number or str(self.article_id)

    def save(self, *args, **kwargs):
        self.document_number = normalize_document_number(self.document_number)
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.assign_index_number()

    def clean(self):
        self.document_number = normalize_document_number(self.document_number)
        errors = {}
        if self.effective_date and self.expiry_date and self.expiry_date < self.effective_date:
            errors["expiry_date"] = _("A document cannot expire before it takes effect.")
        if self.written_date and self.effective_date and self.effective_date < self.written_date:
            errors["effective_date"] = _("A document cannot take effect before it is written.")
        if self.index_number and not INDEX_NUMBER.match(self.index_number):
            errors["index_number"] = _("An index number reads like 000014349/2017-00156.")
        elif (
            self.index_number
            and self.lead_issuer_id
            and self.lead_issuer.org_code
            and INDEX_NUMBER.match(self.index_number)["org"] != self.lead_issuer.org_code
        ):
            errors["index_number"] = _("An index number begins with the issuer's organisation code, %(code)s.") % {
                "code": self.lead_issuer.org_code
            }
        if self.validity_override and not self.validity_reason:
            errors["validity_reason"] = _("Say why the validity is set by hand.")
        if errors:
            raise ValidationError(errors)

    @property
    def issuers(self):
        """``[lead issuer, *co-issuers]``, in the order they are named (one query for the
        co-issuers unless prefetched); empty without a lead issuer."""
        return [self.lead_issuer, *self.co_issuers.all()] if self.lead_issuer_id else []

    @property
    def has_number(self):
        """Whether the document has a number (发文字号) to show; staff write 无 when it has none."""
        return bool(self.document_number) and self.document_number != NO_NUMBER

    def publish_faults(self, article=None):
        """``{field: message}``: what keeps the document from being published (empty when nothing)."""
        article = article or self.article
        errors = {}
        if not self.topic_id:
            errors["topic"] = _("Choose the document's topic.")
        if not self.lead_issuer_id:
            errors["lead_issuer"] = _("Choose the issuer.")
        if not self.written_date:
            errors["written_date"] = _("Give the date the document was written.")
        if not self.document_number:
            errors["document_number"] = _("Give the document number, or write 无 if it has none.")
        named = any(getattr(article, localized("source", code)) for code in language_codes())
        if self.is_republished and not (named and article.source_url):
            errors["is_republished"] = _(
                "A republished document names its source and links the original: "
                "fill in the article's source and source address."
            )
        return errors

    def assign_index_number(self):
        """Give the document its index number at its first publication (or, for a number typed
        by hand, move the counter up to it). Runs inside the saving transaction."""
        if not self.lead_issuer_id:
            return
        if self.index_number:
            match = INDEX_NUMBER.match(self.index_number)
            if match and match["org"] == self.lead_issuer.org_code:
                IndexSerial.reach(self.lead_issuer, int(match["year"]), int(match["serial"]))
            return
        article = Article.objects.only("status", "publish_at", "first_published_at").get(pk=self.article_id)
        if article.status != Article.Status.PUBLISHED:
            return
        moment = article.first_published_at or article.publish_at or timezone.now()
        year = timezone.localtime(moment).year
        # A number typed by hand for another issuer, or imported, may hold the next serial: it
        # is skipped (never a second document with one number, never an IntegrityError).
        while True:
            serial = IndexSerial.take(self.lead_issuer, year)
            self.index_number = index_number(self.lead_issuer.org_code, year, serial)
            if not DocumentMeta.objects.filter(index_number=self.index_number).exists():
                break
        DocumentMeta.objects.filter(pk=self.pk).update(index_number=self.index_number)
