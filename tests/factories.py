"""Test data: factory_boy factories for the content and the staff, and the small helpers the tests
call (``make_article(column, languages=…)`` and the like, each a thin wrapper of a factory).

Every factory builds what a test usually needs and nothing more: an article is published an
hour ago and written in both languages unless told otherwise; a column has names in both; a
staff member is in one of the groups the workflow migration creates.
"""

import importlib
import io
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from news.models import Article, Column

STAFF_PASSWORD = "a-long-password-1"


class ColumnFactory(DjangoModelFactory):
    """A column (栏目) named in both languages, listed after the ones made before it."""

    class Meta:
        model = Column

    slug = factory.Sequence(lambda n: f"column-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"栏目{n}")
    name_en = factory.Sequence(lambda n: f"Column {n}")
    order = factory.Sequence(lambda n: n)


def _in(language, text):
    """``text`` (a sequence of n) when the article is written in ``language``, else not set at all."""
    return factory.Maybe(factory.LazyAttribute(lambda o: language in o.languages), factory.Sequence(text))


class ArticleFactory(DjangoModelFactory):
    """A published article, due an hour ago, written in ``languages`` (both by default).

    The texts of a language left out are not set at all, as for an editor who never wrote them.
    """

    class Meta:
        model = Article

    class Params:
        languages = ("zh-hans", "en")

    column = factory.SubFactory(ColumnFactory)
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    title_zh_hans = _in("zh-hans", lambda n: f"中文标题{n}")
    body_zh_hans = _in("zh-hans", lambda n: f"<p>中文正文{n}</p>")
    title_en = _in("en", lambda n: f"English title {n}")
    body_en = _in("en", lambda n: f"<p>English body {n}</p>")


class StaffFactory(DjangoModelFactory):
    """A staff member in ``group`` (Editor, Senior editor, Site administrator; the workflow migration
    creates them), who logs in with ``STAFF_PASSWORD``."""

    class Meta:
        model = get_user_model()

    username = factory.LazyAttributeSequence(lambda o, n: f"{o.group.lower().replace(' ', '-')}-{n}")
    group = "Editor"

    @classmethod
    def _create(cls, model_class, *args, group="Editor", **kwargs):
        user = model_class.objects.create_user(*args, password=STAFF_PASSWORD, is_staff=True, **kwargs)
        user.groups.add(role_group(group))
        return user


def role_group(name):
    """The role's group, made again from the workflow migration's list when a live-server test
    (which empties every table after it) removed it."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        workflow_groups = importlib.import_module("news.migrations.0006_workflow_groups")
        for code in workflow_groups.GROUPS[name]:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


def image_file(name="cover.jpg", size=(64, 36), image_format="JPEG"):
    """A small picture as an upload would bring it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 74, 139)).save(buffer, image_format)
    return ContentFile(buffer.getvalue(), name=name)


def make_column(slug=None, **fields):
    """``ColumnFactory``, with the slug as the first argument."""
    return ColumnFactory(**({"slug": slug} if slug else {}), **fields)


def make_article(column=None, languages=("zh-hans", "en"), **fields):
    """``ArticleFactory``, with the column as the first argument."""
    return ArticleFactory(**({"column": column} if column is not None else {}), languages=languages, **fields)


def make_staff(group, username=None):
    """``StaffFactory`` in ``group``, optionally named."""
    return StaffFactory(group=group, **({"username": username} if username else {}))


def admin_form_data(article=None, **overrides):
    """The fields the article change form posts, filled from ``article`` (or a fresh draft)."""

    def value(name, default=""):
        return getattr(article, name) if article is not None else default

    publish_at = timezone.localtime(article.publish_at if article else timezone.now())
    data = {
        "column": article.column_id if article else "",
        "status": value("status", Article.Status.DRAFT),
        "publish_at_0": publish_at.strftime("%Y-%m-%d"),
        "publish_at_1": publish_at.strftime("%H:%M:%S"),
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        "based_on": value("lock_version", 0),
        "slug": value("slug"),
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    for field in (
        "title",
        "summary",
        "body",
        "source",
        "author",
        "editor",
        "cover_caption",
        "cover_alt",
        "cover_credit",
    ):
        for code in ("zh_hans", "en"):
            data[f"{field}_{code}"] = value(f"{field}_{code}") or ""
    data.update(overrides)
    return data


# --- Investor services (news/investment/) ---------------------------------------------------


class SectorFactory(DjangoModelFactory):
    """A top-level sector named in both languages."""

    class Meta:
        model = "investment.Sector"

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"行业{n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")


class EnquiryDeskFactory(DjangoModelFactory):
    """A desk that answers in both languages, 2 and 10 working days, with no sectors or regions."""

    class Meta:
        model = "investment.EnquiryDesk"

    name_zh_hans = factory.Sequence(lambda n: f"受理窗口{n}")
    name_en = factory.Sequence(lambda n: f"Desk {n}")
    email = factory.Sequence(lambda n: f"desk{n}@invest.example.org")
    phone = "0431-88888888"
    languages = factory.LazyFunction(lambda: ["zh-hans", "en"])


def make_desk(*, members=(), sectors=(), regions=(), **fields):
    desk = EnquiryDeskFactory(**fields)
    desk.members.set(members)
    desk.sectors.set(sectors)
    desk.regions.set(regions)
    return desk


def make_enquiry(desk=None, **fields):
    """An enquiry received through ``handling.receive`` (routed unless ``desk``, given a reference)."""
    from news.investment import handling
    from news.investment.models import Enquiry

    values = {
        "kind": Enquiry.Kind.QUESTION,
        "language": "en",
        "name": "Ada Investor",
        "organisation": "Example Capital",
        "country": "DE",
        "email": "ada@example.com",
        "message": "We would like to know more about land for a battery plant.",
        "consent_processing": True,
        **fields,
    }
    enquiry = handling.receive(Enquiry(**values))
    if desk is not None and enquiry.desk_id != desk.pk:
        Enquiry.objects.filter(pk=enquiry.pk).update(desk=desk)
        enquiry.refresh_from_db()
    return enquiry


def enquiry_post(**overrides):
    """The fields the public enquiry form posts, valid, with a render time 10 seconds ago."""
    import time

    from news.investment import abuse

    return {
        "kind": "question",
        "name": "Ada Investor",
        "organisation": "Example Capital",
        "job_title": "Partner",
        "country": "DE",
        "email": "ada@example.com",
        "phone": "",
        "website": "",
        "size_band": "",
        "timeline": "",
        "message": "We would like to know more about land for a battery plant.",
        "consent_processing": "on",
        "rendered": abuse.render_token(time.time() - 10),
        "nickname": "",
        **overrides,
    }


def article_form(column, **overrides):
    """What the article add form posts for a published bilingual article in ``column``."""
    data = {
        "column": column.pk,
        "status": Article.Status.PUBLISHED,
        "publish_at_0": "2026-11-01",
        "publish_at_1": "09:40:00",
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        "title_zh_hans": "吉林签约新项目",
        "summary_zh_hans": "摘要",
        "body_zh_hans": "<p>中文正文</p>",
        "source_zh_hans": "吉林日报",
        "title_en": "Jilin Signs New Projects",
        "summary_en": "Summary",
        "body_en": "<p>English body</p>",
        "source_en": "Jilin Daily",
        "author_zh_hans": "王明",
        "author_en": "Wang Ming",
        "slug": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


class RegionFactory(DjangoModelFactory):
    """A region (市州) named in both languages."""

    class Meta:
        model = "news.Region"

    slug = factory.Sequence(lambda n: f"region-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"地区{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class ProjectFactory(DjangoModelFactory):
    """A project published an hour ago, written in ``languages`` (both by default), valid for a year,
    in a new region and sector, answered by a new desk, open to equity joint ventures."""

    class Meta:
        model = "investment.Project"
        skip_postgeneration_save = True

    class Params:
        languages = ("zh-hans", "en")

    title_zh_hans = _in("zh-hans", lambda n: f"项目{n}")
    summary_zh_hans = _in("zh-hans", lambda n: f"项目简介{n}")
    body_zh_hans = _in("zh-hans", lambda n: f"<p>项目详情{n}</p>")
    title_en = _in("en", lambda n: f"Project {n}")
    summary_en = _in("en", lambda n: f"Summary of project {n}")
    body_en = _in("en", lambda n: f"<p>Details of project {n}</p>")
    region = factory.SubFactory(RegionFactory)
    desk = factory.SubFactory(EnquiryDeskFactory)
    total_investment = 35000
    status = "published"
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create:
            self.sectors.set(extracted if extracted is not None else [SectorFactory()])

    @factory.post_generation
    def cooperation_modes(self, create, extracted, **kwargs):
        from news.investment.models import CooperationMode

        if create:
            self.cooperation_modes.set(
                extracted if extracted is not None else [CooperationMode.objects.get(slug="equity-jv")]
            )


def make_project(**fields):
    """A published project (see ``ProjectFactory``); ``sectors=[…]``, ``cooperation_modes=[…]`` set them."""
    project = ProjectFactory(**fields)
    project.refresh_from_db()
    return project


# --- Policy documents (news/policies/) ------------------------------------------------------


class IssuerFactory(DjangoModelFactory):
    """An issuer (发文机关) named in both languages, with a document-number prefix and an org code."""

    class Meta:
        model = "policies.Issuer"

    slug = factory.Sequence(lambda n: f"issuer-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"发文机关{n}")
    name_en = factory.Sequence(lambda n: f"Issuer {n}")
    short_name = factory.Sequence(lambda n: f"吉{n}发")
    org_code = factory.Sequence(lambda n: f"{11220000 + n:09d}")


def make_issuer(**fields):
    return IssuerFactory(**fields)


def policy_column(slug="policies"):
    """The 政策法规 column, of kind policy."""
    return make_column(slug, kind=Column.Kind.POLICY, name_zh_hans="政策法规", name_en="Policies")


def foreign_trade_topic():
    """商贸、海关、旅游 › 对外经贸合作, as migration policies 0002 seeds it (made again after a
    transactional test has emptied the tables)."""
    from news.policies.models import TopicCategory

    parent, _created = TopicCategory.objects.get_or_create(
        code="08",
        defaults={
            "slug": "trade-customs-tourism",
            "name_zh_hans": "商贸、海关、旅游",
            "name_en": "Trade, customs and tourism",
        },
    )
    return TopicCategory.objects.get_or_create(
        code="0802",
        defaults={
            "slug": "foreign-trade-and-investment",
            "name_zh_hans": "对外经贸合作",
            "name_en": "Foreign trade and economic cooperation",
            "parent": parent,
        },
    )[0]


def make_policy(column=None, *, meta=None, **fields):
    """An article of a policy column with complete document metadata (``meta`` overrides it).
    Status as ``fields`` say (default: published an hour ago, so it has its index number)."""
    from news.policies.models import DocumentMeta

    column = column or Column.objects.filter(kind=Column.Kind.POLICY).first() or policy_column()
    status = fields.pop("status", Article.Status.PUBLISHED)
    article = make_article(column, status=Article.Status.DRAFT, **fields)
    values = {
        "topic": foreign_trade_topic(),
        "lead_issuer": (meta or {}).get("lead_issuer") or make_issuer(),
        "document_number": f"吉政发〔2025〕{article.pk}号",
        "written_date": date(2025, 4, 2),
        **(meta or {}),
    }
    DocumentMeta.objects.create(article=article, **values)
    if status != Article.Status.DRAFT:
        article.status = status
        article.save()
    return Article.objects.get(pk=article.pk)


class ZoneFactory(DjangoModelFactory):
    """A development zone published an hour ago, written in ``languages`` (both by default), in a
    new region, approved by the State Council in 2010, answered by a new desk."""

    class Meta:
        model = "investment.DevelopmentZone"
        skip_postgeneration_save = True

    class Params:
        languages = ("zh-hans", "en")

    slug = factory.Sequence(lambda n: f"zone-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"开发区{n}")
    overview_zh_hans = _in("zh-hans", lambda n: f"<p>开发区概况{n}</p>")
    name_en = _in("en", lambda n: f"Zone {n}")
    overview_en = _in("en", lambda n: f"<p>Overview of zone {n}</p>")
    level = "etdz"
    approved_year = 2010
    approved_by_zh_hans = "国务院"
    approved_by_en = "State Council"
    region = factory.SubFactory(RegionFactory)
    desk = factory.SubFactory(EnquiryDeskFactory)
    status = "published"
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


def make_zone(**fields):
    zone = ZoneFactory(**fields)
    zone.refresh_from_db()
    return zone


def make_figure(zone, year, indicator="gdp", **fields):
    """A figure of ``zone`` for ``year`` from one of the standard indicators, with a source."""
    from news.investment.models import Indicator, ZoneFigure

    fields = {"value": 123, "source_zh_hans": "市统计局", "source_en": "City Statistics Bureau", **fields}
    return ZoneFigure.objects.create(zone=zone, indicator=Indicator.objects.get(slug=indicator), year=year, **fields)
