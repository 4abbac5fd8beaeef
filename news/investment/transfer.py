"""Projects and zones in and out as JSON Lines, in the articles' way (``news.transfer``): one record a
line, files beside the file, keyed by ``external_id`` (or ``legacy_url`` for projects), the same
dry run and per-line rejection report (``news.transfer.import_lines``). Fields in README.md,
"Moving content in and out". ``export_*`` and ``import_*`` are each other's inverse.

Reference data is named, never created by an import: sectors, regions, cooperation modes and
indicators by slug, desks by e-mail, zones by slug, articles (incentives, related news) by
external id or legacy address. A project's code is given by this site on its first save (codes
are never reused), so the file's ``code`` is informational.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from ..i18n import language_codes, localized
from ..models import Article, Region, Tag
from ..transfer import (
    RecordError,
    _copy_file,
    _datetime,
    _per_language,
    _read_file,
    _same_file,
    _translations,
    json_line,
)
from ..uploads import documents, images
from .models import (
    CooperationMode,
    DevelopmentZone,
    EnquiryDesk,
    Indicator,
    Project,
    ProjectAttachment,
    Sector,
    ZoneFigure,
)
from .translation import ZONE_TRANSLATED_FIELDS

PROJECT_TEXTS = ("title", "summary", "body", "site", "promoter", "withdrawn_reason")
COVER_TEXTS = ("alt", "caption", "credit")
PROJECT_PLAIN = ("slug", "stage", "deal_status", "featured", "priority", "total_investment", "investment_sought")
ZONE_TEXTS = tuple(name for name in ZONE_TRANSLATED_FIELDS if not name.startswith("cover_"))
ZONE_PLAIN = ("slug", "level", "approved_year", "approval_document", "website", "map_review_number", "sources", "order")


def _text(value):
    return None if value is None else str(value)


def _day(value):
    return value.isoformat() if value else None


def _article_key(article):
    return article.external_id or article.legacy_url or None


def _cover(obj, files_dir, base_dir):
    if not obj.cover_image:
        return None
    return {
        "path": _copy_file(obj.cover_image, files_dir, base_dir),
        **{field: _per_language(obj, f"cover_{field}") for field in COVER_TEXTS},
    }


# --- export ----------------------------------------------------------------------------------


def project_record(project, files_dir, base_dir):
    return {
        "external_id": project.external_id or f"project-{project.code}",
        "legacy_url": project.legacy_url,
        "code": project.code,
        "status": project.status,
        "publish_at": project.publish_at.isoformat(),
        "unpublish_at": project.unpublish_at.isoformat() if project.unpublish_at else None,
        **{field: getattr(project, field) for field in PROJECT_PLAIN},
        **{field: _per_language(project, field) for field in PROJECT_TEXTS},
        "sectors": [sector.slug for sector in project.sectors.all()],
        "cooperation_modes": [mode.slug for mode in project.cooperation_modes.all()],
        "region": project.region.slug,
        "zone": project.zone.slug if project.zone else None,
        "desk": project.desk.email,
        "land_area_mu": _text(project.land_area_mu),
        "deal_status_date": _day(project.deal_status_date),
        "valid_until": _day(project.valid_until),
        "verified_on": _day(project.verified_on),
        "lat": _text(project.lat),
        "lng": _text(project.lng),
        "tags": [tag.slug for tag in project.tags.all()],
        "related_articles": [key for article in project.related_articles.all() if (key := _article_key(article))],
        "cover": _cover(project, files_dir, base_dir),
        "attachments": [
            {"path": _copy_file(item.file, files_dir, base_dir), "title": _per_language(item, "title")}
            for item in project.attachments.all()
        ],
    }


def zone_record(zone, files_dir, base_dir):
    return {
        "external_id": zone.external_id or f"zone-{zone.slug}",
        "status": zone.status,
        "publish_at": zone.publish_at.isoformat(),
        "unpublish_at": zone.unpublish_at.isoformat() if zone.unpublish_at else None,
        **{field: getattr(zone, field) for field in ZONE_PLAIN},
        **{field: _per_language(zone, field) for field in ZONE_TEXTS},
        "approved_on": _day(zone.approved_on),
        "parent": zone.parent.slug if zone.parent else None,
        "region": zone.region.slug,
        "planned_area_km2": _text(zone.planned_area_km2),
        "built_area_km2": _text(zone.built_area_km2),
        "leading_sectors": [sector.slug for sector in zone.leading_sectors.all()],
        "available_land_mu": _text(zone.available_land_mu),
        "standard_factory_m2": zone.standard_factory_m2,
        "land_as_of": _day(zone.land_as_of),
        "incentives": [key for article in zone.incentives.all() if (key := _article_key(article))],
        "related_articles": [key for article in zone.related_articles.all() if (key := _article_key(article))],
        "desk": zone.desk.email if zone.desk else None,
        "lat": _text(zone.lat),
        "lng": _text(zone.lng),
        "map": {"path": _copy_file(zone.map_image, files_dir, base_dir)} if zone.map_image else None,
        "cover": _cover(zone, files_dir, base_dir),
        "figures": [
            {
                "indicator": figure.indicator.slug,
                "value": _text(figure.value),
                "unit": figure.unit,
                "year": figure.year,
                "quarter": figure.quarter,
                "source": _per_language(figure, "source"),
                "source_url": figure.source_url,
            }
            for figure in zone.figures.all()
        ],
    }


def _export(path, queryset, record):
    path = Path(path)
    base_dir, count = path.parent, 0
    files_dir = base_dir / f"{path.stem}_files"
    with path.open("w", encoding="utf-8") as out:
        for obj in queryset.order_by("pk"):
            out.write(json_line(record(obj, files_dir, base_dir)))
            count += 1
    return count


def export_projects(path):
    """Every project to ``path`` (JSON Lines), its files to ``<name>_files/``; returns the count."""
    projects = Project.objects.select_related("region", "zone", "desk").prefetch_related(
        "sectors", "cooperation_modes", "tags", "related_articles", "attachments"
    )
    return _export(path, projects, project_record)


def export_zones(path):
    """Every zone with its figures to ``path`` (JSON Lines), parents before their parts; returns the count."""
    zones = DevelopmentZone.objects.select_related("region", "parent", "desk").prefetch_related(
        "leading_sectors", "incentives", "related_articles", "figures__indicator"
    )
    path = Path(path)
    base_dir, files_dir = path.parent, path.parent / f"{path.stem}_files"
    ordered, placed = [], set()
    pending = list(zones.order_by("pk"))
    while pending:  # a parent is written before the zones that are part of it
        ready = [zone for zone in pending if zone.parent_id is None or zone.parent_id in placed]
        ready = ready or pending[:1]
        for zone in ready:
            ordered.append(zone)
            placed.add(zone.pk)
            pending.remove(zone)
    with path.open("w", encoding="utf-8") as out:
        for zone in ordered:
            out.write(json_line(zone_record(zone, files_dir, base_dir)))
    return len(ordered)


# --- import ----------------------------------------------------------------------------------


def _one(model, key, value, what, field="slug"):
    if value in (None, ""):
        return None
    row = model.objects.filter(**{field: value}).first()
    if row is None:
        raise RecordError(f"unknown {what} “{value}” (create it in the admin first)")
    return row


def _many(model, values, what, field="slug"):
    if not isinstance(values or [], list):
        raise RecordError(f"“{what}” must be a list")
    return [_one(model, what, value, what, field) for value in values or []]


def _articles(keys, what):
    if not isinstance(keys or [], list):
        raise RecordError(f"“{what}” must be a list")
    found = []
    for key in keys or []:
        article = Article.objects.filter(external_id=key).first() or Article.objects.filter(legacy_url=key).first()
        if article is None:
            raise RecordError(f"“{what}”: no article has the external id or old address “{key}”")
        found.append(article)
    return found


def _decimal(record, key):
    value = record.get(key)
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise RecordError(f"“{key}” is not a number: {value!r}") from None


def _date(record, key):
    value = record.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RecordError(f"“{key}” is not a date (YYYY-MM-DD): {value!r}") from None


def _set_texts(obj, record, fields, prefix=""):
    for field in fields:
        values = _translations(record, field)
        for code in language_codes():
            setattr(obj, localized(f"{prefix}{field}", code), values.get(code, ""))


def _set_cover(obj, record, base_dir):
    cover = record.get("cover")
    if cover:
        picture = images.reencode(_read_file(base_dir, cover.get("path"), "cover"))
        if not _same_file(obj.cover_image, picture):
            obj.cover_image = picture
        _set_texts(obj, cover, COVER_TEXTS, prefix="cover_")
    else:
        obj.cover_image = None
        _set_texts(obj, {}, COVER_TEXTS, prefix="cover_")


def _common(obj, record):
    if not isinstance(record, dict):
        raise RecordError("a line must hold a JSON object")
    obj.status = record.get("status") or obj.Status.DRAFT
    obj.publish_at = _datetime(record.get("publish_at"), "publish_at") or obj.publish_at
    obj.unpublish_at = _datetime(record.get("unpublish_at"), "unpublish_at")


def import_project(record, base_dir, dry_run=False):
    """Create or update the project ``record`` describes; ``"created"`` or ``"updated"``.

    Raises ``RecordError`` or ``ValidationError`` (nothing is written then)."""
    if not isinstance(record, dict):
        raise RecordError("a line must hold a JSON object")
    external_id = (record.get("external_id") or "").strip()
    legacy_url = (record.get("legacy_url") or "").strip()
    if external_id:
        project = Project.objects.filter(external_id=external_id).first()
    elif legacy_url:
        project = Project.objects.filter(legacy_url=legacy_url).first()
    else:
        raise RecordError("a record needs an “external_id” or a “legacy_url”, so that importing again updates it")
    outcome = "updated" if project else "created"
    project = project or Project()
    _common(project, record)
    project.external_id, project.legacy_url = external_id, legacy_url
    for field in PROJECT_PLAIN:
        if record.get(field) is not None:
            setattr(project, field, record[field])
    _set_texts(project, record, PROJECT_TEXTS)
    project.region = _one(Region, "region", record.get("region"), "region")
    if project.region is None:
        raise RecordError("a project needs a “region”")
    project.desk = _one(EnquiryDesk, "desk", record.get("desk"), "desk", field="email")
    if project.desk is None:
        raise RecordError("a project needs a “desk” (its e-mail)")
    project.zone = _one(DevelopmentZone, "zone", record.get("zone"), "zone")
    project.land_area_mu = _decimal(record, "land_area_mu")
    project.lat, project.lng = _decimal(record, "lat"), _decimal(record, "lng")
    project.deal_status_date = _date(record, "deal_status_date")
    project.valid_until = _date(record, "valid_until") or project.valid_until
    project.verified_on = _date(record, "verified_on")
    sectors = _many(Sector, record.get("sectors"), "sectors")
    modes = _many(CooperationMode, record.get("cooperation_modes"), "cooperation_modes")
    tags = _many(Tag, record.get("tags"), "tags")
    related = _articles(record.get("related_articles"), "related_articles")
    _set_cover(project, record, base_dir)
    attachments = []
    for number, item in enumerate(record.get("attachments") or [], start=1):
        file = _read_file(base_dir, (item or {}).get("path"), f"attachments[{number}]")
        documents.validate_document(file)
        attachments.append((file, _translations(item, "title")))
    project._pending_m2m = {"sectors": sectors, "cooperation_modes": modes}
    project.full_clean(exclude=["cover_image"])
    if dry_run:
        return outcome
    if project.pk:
        project.lock_version += 1
    with transaction.atomic():
        project.save()
        project.sectors.set(sectors)
        project.cooperation_modes.set(modes)
        project.tags.set(tags)
        project.related_articles.set(related)
        stored = list(project.attachments.order_by("order", "pk"))
        if not (
            len(stored) == len(attachments)
            and all(_same_file(old.file, new) for old, (new, _t) in zip(stored, attachments, strict=True))
        ):
            project.attachments.all().delete()
            for order, (file, titles) in enumerate(attachments):
                attachment = ProjectAttachment(project=project, order=order, size=file.size)
                attachment.file.save(file.name, file, save=False)
                _set_texts(attachment, {"title": titles}, ("title",))
                attachment.save()
    return outcome


def import_zone(record, base_dir, dry_run=False):
    """Create or update the zone ``record`` describes (matched by ``external_id``, else ``slug``),
    with its figures inline; ``"created"`` or ``"updated"``."""
    if not isinstance(record, dict):
        raise RecordError("a line must hold a JSON object")
    external_id = (record.get("external_id") or "").strip()
    slug = (record.get("slug") or "").strip()
    if not external_id and not slug:
        raise RecordError("a record needs an “external_id” or a “slug”, so that importing again updates it")
    zone = (DevelopmentZone.objects.filter(external_id=external_id).first() if external_id else None) or (
        DevelopmentZone.objects.filter(slug=slug).first() if slug else None
    )
    outcome = "updated" if zone else "created"
    zone = zone or DevelopmentZone()
    _common(zone, record)
    zone.external_id = external_id
    for field in ZONE_PLAIN:
        if record.get(field) is not None:
            setattr(zone, field, record[field])
    _set_texts(zone, record, ZONE_TEXTS)
    zone.approved_on = _date(record, "approved_on")
    zone.parent = _one(DevelopmentZone, "parent", record.get("parent"), "parent zone")
    zone.region = _one(Region, "region", record.get("region"), "region")
    if zone.region is None:
        raise RecordError("a zone needs a “region”")
    zone.desk = _one(EnquiryDesk, "desk", record.get("desk"), "desk", field="email")
    for field in ("planned_area_km2", "built_area_km2", "available_land_mu", "lat", "lng"):
        setattr(zone, field, _decimal(record, field))
    zone.standard_factory_m2 = record.get("standard_factory_m2")
    zone.land_as_of = _date(record, "land_as_of")
    sectors = _many(Sector, record.get("leading_sectors"), "leading_sectors")
    incentives = _articles(record.get("incentives"), "incentives")
    related = _articles(record.get("related_articles"), "related_articles")
    _set_cover(zone, record, base_dir)
    if record.get("map"):
        picture = images.reencode(_read_file(base_dir, record["map"].get("path"), "map"))
        if not _same_file(zone.map_image, picture):
            zone.map_image = picture
    else:
        zone.map_image = None
    figures = []
    for number, item in enumerate(record.get("figures") or [], start=1):
        if not isinstance(item, dict):
            raise RecordError(f"figures[{number}] must be an object")
        figure = ZoneFigure(
            indicator=_one(Indicator, "indicator", item.get("indicator"), f"figures[{number}] indicator"),
            value=_decimal(item, "value"),
            unit=item.get("unit") or "",
            year=item.get("year"),
            quarter=item.get("quarter"),
            source_url=item.get("source_url") or "",
        )
        _set_texts(figure, item, ("source",))
        if figure.indicator is None or figure.value is None:
            raise RecordError(f"figures[{number}] needs an “indicator” and a “value”")
        try:
            figure.full_clean(exclude=["zone"])
        except ValidationError as error:
            raise RecordError(f"figures[{number}]: {' '.join(error.messages)}") from None
        figures.append(figure)
    zone.full_clean(exclude=["cover_image", "map_image"])
    if dry_run:
        return outcome
    if zone.pk:
        zone.lock_version += 1
    with transaction.atomic():
        zone.save()
        zone.leading_sectors.set(sectors)
        zone.incentives.set(incentives)
        zone.related_articles.set(related)
        zone.figures.all().delete()
        for figure in figures:
            figure.zone = zone
        ZoneFigure.objects.bulk_create(figures)
    return outcome
