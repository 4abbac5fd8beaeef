"""The metadata of a policy document and the reference data it names.

A policy document stays an ``Article`` (bilingual texts, workflow, schedule, revisions,
attachments, search, feeds, import); ``DocumentMeta`` is its one-to-one record of the
政务公开 fields. Sources: the State Council's guidelines for government websites
(国办发〔2017〕47号) for the metadata block; GB/T 9704-2012 for document numbers
(``news.policies.numbers``); the State Council policy library (www.gov.cn/zhengce/xxgk/) for the
index-number form and the topic list.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models, router, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..i18n import language_codes, localized
from ..models import Article, Column
from .numbers import INDEX_NUMBER, NO_NUMBER, index_number, normalize_document_number


class Issuer(models.Model):
    """发文机关: a body that issues documents. ``short_name`` is its document-number prefix
    (机关代字, 吉政发); ``org_code`` the code index numbers begin with (the central government's
    catalogue uses the 9-character organisation code, 000014349; a province may use its
    18-character unified social credit code)."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        PREFECTURE = "prefecture", _("City or prefecture")
        DEPARTMENT = "department", _("Department")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    short_name = models.CharField(
        _("document-number prefix"),
        max_length=20,
        blank=True,
        help_text=_("The issuer's abbreviation at the start of its document numbers, such as 吉政发."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.PROVINCIAL)
    org_code = models.CharField(
        _("organisation code"),
        max_length=18,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Z]{6,18}$", _("6 to 18 digits or capital letters, such as 000014349."), code="org_code"
            )
        ],
        help_text=_("The code index numbers begin with (组织机构代码 or 统一社会信用代码)."),
    )
    website = models.URLField(_("website"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")

    def __str__(self):
        return self.name or self.slug


class TopicCategory(models.Model):
    """主题分类: the State Council policy library's topics, two levels (商贸、海关、旅游 ›
    对外经贸合作). A document is filed under a second-level topic."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    code = models.CharField(_("code"), max_length=10, unique=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent topic")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return f"{self.parent} › {self.name}" if self.parent_id else self.name

    def clean(self):
        if self.parent_id and (self.parent.parent_id or self.parent_id == self.pk):
            raise ValidationError(
                {"parent": _("Topics have two levels: a subtopic's parent must be a top-level topic.")}
            )


class IndexSerial(models.Model):
    """The last index-number serial handed out per issuer and year. It only goes up: a deleted
    document leaves a gap, as official catalogues do, and a number typed by hand above it
    moves it up to that number."""

    issuer = models.ForeignKey(Issuer, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="one_index_serial_per_issuer_and_year")]

    def __str__(self):
        return f"{self.issuer_id} {self.year}: {self.last}"

    @classmethod
    def take(cls, issuer, year):
        """The next serial of ``issuer`` in ``year`` (1, 2, …); call inside the saving transaction.

        The UPDATE locks the counter row until commit (SQLite: the whole database), so two
        publishes at once wait for each other and get two numbers; a rolled-back publish gives
        its number back. ``get_or_create`` catches the unique constraint when two create the
        row at once (the loser's insert waits for the winner's commit, then reads its row).
        """
        cls.objects.get_or_create(issuer=issuer, year=year)
        cls.objects.filter(issuer=issuer, year=year).update(last=F("last") + 1)
        return cls.objects.values_list("last", flat=True).get(issuer=issuer, year=year)

    @classmethod
    def reach(cls, issuer, year, serial):
        """Move the counter up to ``serial`` (a number typed by hand or imported), never down."""
        cls.objects.get_or_create(issuer=issuer, year=year)
        cls.objects.filter(issuer=issuer, year=year, last__lt=serial).update(last=serial)


class DocumentMetaQuerySet(models.QuerySet):
    def with_validity(self, now=None):
        """Each row annotated with ``validity``, the rules of ``news.policies.validity`` in SQL."""
        from .validity import validity_expression

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
        from .validity import site_today

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
        from .validity import change_moment, expiry_moment

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


# The PostgreSQL advisory lock held while a relation that must not loop is checked and saved.
RELATION_LOCK = 0x706F6C72  # "polr"


class DocumentRelation(models.Model):
    """关联关系: ``from_article`` interprets, amends, repeals, replaces, implements, or is the
    consultation draft of ``to_article``. Shown on both pages, each side in its own words
    (``Kind.forward`` and ``Kind.backward``). Repeals, replaces and amends never form a cycle."""

    class Kind(models.TextChoices):
        INTERPRETS = "interprets", _("interprets")
        AMENDS = "amends", _("amends")
        REPEALS = "repeals", _("repeals")
        REPLACES = "replaces", _("replaces")
        IMPLEMENTS = "implements", _("implements")
        DRAFT_OF = "draft_of", _("is the consultation draft of")

    # How the other document's page names a relation pointing at it.
    BACKWARD = {
        Kind.INTERPRETS: _("interpreted by"),
        Kind.AMENDS: _("amended by"),
        Kind.REPEALS: _("repealed by"),
        Kind.REPLACES: _("replaced by"),
        Kind.IMPLEMENTS: _("implemented by"),
        Kind.DRAFT_OF: _("consultation draft"),
    }
    # The kinds whose chains must not loop back.
    ACYCLIC = (Kind.REPEALS, Kind.REPLACES, Kind.AMENDS)
    LOOP = _(
        "This would make a loop: the other document already amends, repeals or replaces this one, "
        "directly or through others."
    )

    from_article = models.ForeignKey(
        Article, models.CASCADE, related_name="document_relations", verbose_name=_("document")
    )
    to_article = models.ForeignKey(
        Article, models.CASCADE, related_name="document_relations_in", verbose_name=_("related document")
    )
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("document relation")
        verbose_name_plural = _("document relations")
        constraints = [
            models.UniqueConstraint(fields=["from_article", "to_article", "kind"], name="one_relation_per_kind"),
            models.CheckConstraint(condition=~Q(from_article=F("to_article")), name="relation_not_to_itself"),
        ]

    def __str__(self):
        return f"{self.from_article_id} {self.kind} {self.to_article_id}"

    def save(self, *args, **kwargs):
        """Saved only if it closes no loop, checked again under a lock: two relations validated
        at the same time, each against a graph without the other (two editors, or two forms),
        could otherwise close a loop together. SQLite's write transactions are IMMEDIATE (one
        writer at a time); PostgreSQL takes a transaction-level advisory lock. Raises
        ``ValidationError`` (and saves nothing) when the loop would be closed."""
        with transaction.atomic(using=kwargs.get("using")):
            if self.kind in self.ACYCLIC:
                connection = connections[kwargs.get("using") or router.db_for_write(type(self))]
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RELATION_LOCK])
                if self._closes_a_cycle():
                    raise ValidationError({"to_article": self.LOOP})
            super().save(*args, **kwargs)

    def clean(self):
        if self.from_article_id and self.from_article_id == self.to_article_id:
            raise ValidationError({"to_article": _("A document cannot be related to itself.")})
        if self.kind in self.ACYCLIC and self.from_article_id and self.to_article_id and self._closes_a_cycle():
            raise ValidationError({"to_article": self.LOOP})

    def backward_label(self):
        return self.BACKWARD[self.Kind(self.kind)]

    def _closes_a_cycle(self):
        """Whether ``to_article`` already leads back to ``from_article`` through the acyclic kinds."""
        edges = DocumentRelation.objects.filter(kind__in=self.ACYCLIC).exclude(pk=self.pk)
        seen, frontier = set(), {self.from_article_id}
        # Walk backwards from the source: who (transitively) amends/repeals/replaces it.
        while frontier:
            if self.to_article_id in frontier:
                return True
            seen |= frontier
            frontier = set(edges.filter(to_article__in=frontier).values_list("from_article_id", flat=True)) - seen
        return False


def is_policy_column(column):
    return column is not None and column.kind == Column.Kind.POLICY


def is_interpretation_column(column):
    return column is not None and column.kind == Column.Kind.INTERPRETATION


INTERPRETS_NOTHING = _(
    "An interpretation is published only with the document it interprets: name it under “Related documents”."
)


def publish_faults(article):
    """``{field: message}`` that keep ``article`` from being published as a policy document:
    in a policy column, its metadata must exist and be complete (``DocumentMeta.publish_faults``);
    in an interpretation column, it must name the document it interprets."""
    column = getattr(article, "column", None)
    if is_interpretation_column(column):
        named = (
            article.pk
            and DocumentRelation.objects.filter(from_article=article, kind=DocumentRelation.Kind.INTERPRETS).exists()
        )
        return {} if named else {"column": INTERPRETS_NOTHING}
    if not is_policy_column(column):
        return {}
    meta = DocumentMeta.objects.filter(article=article).first() if article.pk else None
    if meta is None:
        return {
            "column": _(
                "A policy document is published only with its metadata (topic, issuer, date written, document "
                "number): save it as a draft in its policy column, then fill in the document's metadata."
            )
        }
    return meta.publish_faults(article)
