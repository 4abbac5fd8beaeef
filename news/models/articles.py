"""Articles: the model, ``ArticleQuerySet`` with ``published()`` (the one gate for "public"), and
the ``available_<code>`` columns that say in which languages an article is written."""

import re
from datetime import datetime
from typing import NamedTuple
from urllib.parse import quote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, When
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from ..addresses import address
from ..fields import FirstPublishedField, ProcessedImageField, SanitizedHTMLField, WebAddressesMixin, staff_member
from ..i18n import availability_name, language_codes, localized, with_language
from ..text import outside_pictures, sanitize_html, slug_from
from .querysets import ArticleQuerySet
from .taxonomy import Column, Region, Tag


def _written_in(language):
    """Title and body filled in ``language``: what the stored ``available_<code>`` columns hold."""
    return Q(**{f"{localized('title', language)}__gt": "", f"{localized('body', language)}__gt": ""})


def _available_expression(language):
    return Case(When(_written_in(language), then=True), default=False)


def _index_suffix(language):
    return language.replace("-", "_")


class Article(WebAddressesMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    column = models.ForeignKey(
        Column,
        models.PROTECT,
        related_name="articles",
        verbose_name=_("column"),
        help_text=_("The primary column: it gives the article its breadcrumb and is named in its feeds."),
    )
    # 一稿多发: the article is listed in these columns too (their lists, archives, feeds and home
    # blocks); its address and breadcrumb stay those of ``column``, never one of these.
    further_columns = models.ManyToManyField(
        Column,
        blank=True,
        related_name="further_articles",
        verbose_name=_("further columns"),
        help_text=_(
            "Other columns whose lists and feeds also show the article (一稿多发). "
            "Its address and breadcrumb stay those of the primary column."
        ),
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences shown in lists, feeds and search results.")
    )
    body = SanitizedHTMLField(_("body"), blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        blank=True,
        help_text=_("The readable part of the address. Left empty, it is made from the English title."),
    )

    cover_image = ProcessedImageField(
        _("cover image"),
        upload_to="covers/%Y/%m/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        help_text=_("JPEG, PNG, WebP or GIF. It is re-encoded and its metadata (such as GPS) removed."),
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_caption = models.CharField(_("cover caption"), max_length=255, blank=True)
    cover_alt = models.CharField(
        _("cover alt text"),
        max_length=255,
        blank=True,
        help_text=_("Describes the picture for readers who cannot see it."),
    )
    cover_credit = models.CharField(_("cover credit"), max_length=255, blank=True)

    author = models.CharField(
        _("author"),
        max_length=100,
        blank=True,
        help_text=_("Two or more people: separate them with 、 or commas (王小明、李华; Wang Xiaoming, Li Hua)."),
    )
    editor = models.CharField(
        _("editor in charge"),
        max_length=100,
        blank=True,
        help_text=_("Two or more people: separate them with 、 or commas (王小明、李华; Wang Xiaoming, Li Hua)."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("The organisation or outlet the article comes from (来源)."),
    )
    source_url = models.URLField(_("source address"), blank=True)
    event_date = models.DateField(
        _("event date"),
        null=True,
        blank=True,
        help_text=_("When the reported event took place, if not the publishing day."),
    )

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        _("publish at"),
        default=timezone.now,
        help_text=_("Shown as the article's date. A future time schedules publication."),
    )
    first_published_at = FirstPublishedField(_("first published at"))
    unpublish_at = models.DateTimeField(
        _("unpublish at"), null=True, blank=True, help_text=_("Optional: the article leaves the site at this time.")
    )
    featured = models.BooleanField(_("featured"), default=False, help_text=_("Shown at the top of the home page."))
    region = models.ForeignKey(
        Region, models.SET_NULL, null=True, blank=True, related_name="articles", verbose_name=_("region")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))

    legacy_url = models.CharField(
        _("old address"),
        max_length=500,
        blank=True,
        db_index=True,
        help_text=_(
            "The article's path on the previous site, such as /tzdt/201804/t20180413_3752855.html: "
            "requests for it are redirected here."
        ),
    )
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_("The article's identifier in the system it was imported from; imports update by it."),
    )
    internal_note = models.TextField(
        _("internal note"), blank=True, help_text=_("For staff only; never shown on the site.")
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = staff_member(_("created by"))
    updated_by = staff_member(_("updated by"))

    # Raised by one on every save in the admin; a form based on an older number is refused.
    lock_version = models.PositiveIntegerField(_("edit number"), default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{availability_name(code): _available_expression(code)}),
                    name=f"article_available_{_index_suffix(code)}",
                )
                for code in language_codes()
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="article_unique_external_id"
            ),
        ]
        indexes = [
            models.Index(fields=["column", "status", "-publish_at"], name="article_column_list"),
            models.Index(fields=["status", "-publish_at"], name="article_list"),
            models.Index(fields=["featured", "status", "-publish_at"], name="article_featured"),
            models.Index(fields=["status", "unpublish_at"], name="article_schedule"),
            # Reader lists, per language: the filter of public() and the order, all in the
            # index, so that counting and skipping to page 500 never read a row (bodies).
            *(
                models.Index(
                    fields=["column", availability_name(code), "status", "-publish_at", "-id", "unpublish_at"],
                    name=f"article_column_{_index_suffix(code)}",
                )
                for code in language_codes()
            ),
            *(
                models.Index(
                    fields=[availability_name(code), "status", "-publish_at", "-id", "unpublish_at"],
                    name=f"article_public_{_index_suffix(code)}",
                )
                for code in language_codes()
            ),
            # The home page's featured articles, per language: a walk down the newest featured
            # ones that stops at the few it shows (through article_public_* it read every public
            # article newer than the oldest of them). Partial, so that SQLite's statistics see how
            # few rows it holds and its planner picks it.
            *(
                models.Index(
                    fields=[availability_name(code), "status", "-publish_at", "-id", "unpublish_at"],
                    condition=Q(featured=True),
                    name=f"article_featured_{_index_suffix(code)}",
                )
                for code in language_codes()
            ),
            # A region page's list and count, per language, as a column's: partial (articles with
            # a region), so that SQLite's statistics, which count the rows without one under a
            # single key, do not make its planner walk every public article instead.
            *(
                models.Index(
                    fields=["region", availability_name(code), "status", "-publish_at", "-id", "unpublish_at"],
                    condition=Q(region__isnull=False),
                    name=f"article_region_{_index_suffix(code)}",
                )
                for code in language_codes()
            ),
            # Whether an article found by id is public, in any language, from the index alone: a tag
            # page's list and count go from the tag's rows to their articles by id, and the row itself
            # holds the bodies before these fields (SQLite then reads every overflow page of them).
            models.Index(
                fields=[
                    "id",
                    "status",
                    "publish_at",
                    "unpublish_at",
                    *(availability_name(code) for code in language_codes()),
                ],
                name="article_public_by_id",
            ),
        ]
        permissions = [("publish_article", _("Can publish, schedule, unpublish and archive articles"))]

    def __str__(self):
        return self.title or next(filter(None, self.titles().values()), "") or f"#{self.pk}"

    def get_absolute_url(self, language=None):
        kwargs = {"pk": self.pk}
        if self.slug:
            kwargs["slug"] = self.slug
        if language is None or language == translation.get_language():
            return address("news:article-detail", **kwargs)
        with translation.override(language):
            return address("news:article-detail", **kwargs)

    def titles(self):
        return {code: getattr(self, localized("title", code)) or "" for code in language_codes()}

    def author_per_language(self):
        return {code: getattr(self, localized("author", code)) or "" for code in language_codes()}

    def is_available_in(self, language):
        """Whether the article is written in ``language``, as stored at the last save."""
        return bool(getattr(self, availability_name(language)))

    def is_written_in(self, language):
        """Whether the texts, as they will be stored (bodies cleaned on save), fill ``language``."""
        body = getattr(self, localized("body", language))
        return bool(getattr(self, localized("title", language)) and body and sanitize_html(body))

    def available_languages(self):
        return [code for code in language_codes() if self.is_available_in(code)]

    def is_published(self, now=None):
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    def picture_faults(self):
        """Errors ``{field: message}`` that keep the article from being published: a cover or body
        picture without alt text in a language it is available in, and body pictures from other
        sites, which reader pages cannot show (named, in any language)."""
        errors = {}
        for code in self.available_languages():
            if self.cover_image and not getattr(self, localized("cover_alt", code)):
                errors[localized("cover_alt", code)] = with_language(
                    _("A published article needs the cover's alt text in %(language)s."), code
                )
            if _IMAGE_WITHOUT_ALT.search(getattr(self, localized("body", code)) or ""):
                errors[localized("body", code)] = with_language(
                    _("Every picture in the %(language)s body needs an alt text before publishing."), code
                )
        for code in language_codes():
            outside = outside_pictures(getattr(self, localized("body", code)))
            if outside:
                message = _(
                    "Pictures from other sites cannot be shown to readers (the site shows only pictures from its "
                    "own library): %(addresses)s. Upload them to the picture library and insert them from there, "
                    "or remove them."
                )
                errors[localized("body", code)] = message % {"addresses": "; ".join(outside)}
        return errors

    def clean(self):
        errors = {}
        for code in language_codes():
            body_field = localized("body", code)
            body = getattr(self, body_field) or ""
            if len(body) > settings.PORTAL_BODY_MAX_CHARACTERS:
                # Refused by the field's validator; cleaning it could take minutes and gigabytes.
                setattr(self, availability_name(code), bool(getattr(self, localized("title", code))))
                continue
            body = sanitize_html(body)
            # An editor's "empty" rich text (<p><br></p>) is no body at all.
            if not _has_text(body):
                body = ""
            setattr(self, body_field, body)
            # As save will store it, so that full_clean's check of the constraint agrees.
            setattr(self, availability_name(code), self.is_written_in(code))
        if not any(self.titles().values()):
            errors[localized("title", settings.LANGUAGE_CODE)] = _("Write the title in at least one language.")
        if self.status == self.Status.PUBLISHED and not self.available_languages():
            errors["status"] = _(
                "An article is published only when its title and body are written in at least one language."
            )
        if self.unpublish_at and self.publish_at and self.unpublish_at <= self.publish_at:
            errors["unpublish_at"] = _("The unpublish time must be after the publish time.")
        if self.status == self.Status.PUBLISHED:
            errors.update(self.picture_faults())
        self.legacy_url = normalize_legacy_url(self.legacy_url)
        if errors:
            raise ValidationError(errors)
        if not self.slug:
            self.slug = slug_from(getattr(self, localized("title", "en")))


_IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=\"[^\"]+\")[^>]*>")


# Left as they are by normalize_legacy_url; every other byte is written as an escape.
LEGACY_URL_SAFE = "/-._~!$&'()*+,;=:@"


def normalize_legacy_url(url):
    """The one spelling of an old address under which it is stored and looked up: its path and
    query (``http://old.example/tzdt/a.html`` → ``/tzdt/a.html``), every byte outside
    ``LEGACY_URL_SAFE`` as a percent escape in upper case (RFC 3986, 6.2.2.1).

    So ``/新闻/a.html``, ``/%E6%96%B0%E9%97%BB/a.html`` and ``/%e6%96%b0%e9%97%bb/a.html`` (as
    ASP.NET writes escapes) are one address, and escapes of another encoding (GBK, on old
    TRS sites) are kept byte for byte.
    """
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    path = parts.path if parts.path.startswith("/") else "/" + parts.path
    path = quote(unquote_to_bytes(path), safe=LEGACY_URL_SAFE)
    query = quote(unquote_to_bytes(parts.query), safe=LEGACY_URL_SAFE + "?")
    return path + (f"?{query}" if query else "")


class AvailabilityField(models.BooleanField):
    """``available_<code>``: whether the article's title and body in ``language`` are filled.

    Set from the texts on every save and bulk_create (like SanitizedHTMLField, whatever the
    path), and held to them by a CHECK constraint in the database, so a write that would put
    it out of step (a bare ``update(body_en="")``) fails instead of silently lying. Lists
    filter and count on it through indexes that hold it, so they never read a row's bodies
    (docs/benchmarks.md has the numbers).
    """

    def __init__(self, *args, language=None, **kwargs):
        self.language = language
        kwargs.setdefault("default", False)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["language"] = self.language
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = model_instance.is_written_in(self.language)
        setattr(model_instance, self.attname, value)
        return value


for _code in language_codes():
    Article.add_to_class(availability_name(_code), AvailabilityField(language=_code))


def _has_text(html):
    return bool(strip_tags(html).replace("&nbsp;", "").strip()) or "<img" in html


class ArticleLink(NamedTuple):
    """What a link to an article shows, for the lists under an article: a row, not a model
    instance (building one of those, with every translated field, cost more than its query)."""

    pk: int
    slug: str
    title: str
    publish_at: datetime

    def get_absolute_url(self, language=None):
        return Article.get_absolute_url(self, language)
