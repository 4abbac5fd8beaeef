"""Articles in and out as JSON Lines: one article per line, files beside the file (README.md, "Moving content").

``import_record`` and ``export_record`` are each other's inverse, so an export imported into
an empty database gives the same articles. Imports are keyed by ``external_id`` (or, when
absent, ``legacy_url``): importing the same file again updates instead of duplicating.
"""

import dataclasses
import json
import logging
import posixpath
from datetime import date, datetime
from pathlib import Path

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .i18n import language_codes, localized
from .models import Article, Attachment, Column, Region, Tag, normalize_legacy_url
from .policies import transfer as policy_transfer
from .text import has_east_asian
from .uploads import documents, images

logger = logging.getLogger(__name__)

TRANSLATED = ("title", "summary", "body", "source", "author", "editor")
COVER_TRANSLATED = ("caption", "alt", "credit")
PLAIN = ("slug", "source_url", "featured", "internal_note")


class RecordError(Exception):
    """A record that cannot be imported; the message says why."""


def _per_language(instance, field):
    values = {code: getattr(instance, localized(field, code)) or "" for code in language_codes()}
    return {code: value for code, value in values.items() if value}


def _names(instance):
    return {"slug": instance.slug, "name": _per_language(instance, "name")}


def _copy_file(field_file, files_dir, base_dir):
    """Copy a stored file into the export folder; return its path relative to the JSONL file."""
    target = files_dir / field_file.name
    target.parent.mkdir(parents=True, exist_ok=True)
    with field_file.open("rb") as source:
        target.write_bytes(source.read())
    return target.relative_to(base_dir).as_posix()


def export_record(article, files_dir, base_dir):
    record = {
        "external_id": article.external_id or f"article-{article.pk}",
        "legacy_url": article.legacy_url,
        "column": _names(article.column),
        "further_columns": [_names(column) for column in article.further_columns.all()],
        "status": article.status,
        "publish_at": article.publish_at.isoformat(),
        "unpublish_at": article.unpublish_at.isoformat() if article.unpublish_at else None,
        "event_date": article.event_date.isoformat() if article.event_date else None,
        "region": _names(article.region) if article.region else None,
        "tags": [_names(tag) for tag in article.tags.all()],
        **{field: getattr(article, field) for field in PLAIN},
        **{field: _per_language(article, field) for field in TRANSLATED},
        "cover": None,
        "attachments": [],
    }
    if article.cover_image:
        record["cover"] = {
            "path": _copy_file(article.cover_image, files_dir, base_dir),
            **{field: _per_language(article, f"cover_{field}") for field in COVER_TRANSLATED},
        }
    for attachment in article.attachments.all():
        record["attachments"].append(
            {
                "path": _copy_file(attachment.file, files_dir, base_dir),
                "title": _per_language(attachment, "title"),
                "accessible": attachment.accessible,
            }
        )
    # A policy document's metadata and any article's relations (news/policies/transfer.py).
    record.update(policy_transfer.export_parts(article))
    return record


# JSON carries these raw, but they end a line for str.splitlines and many editors and tools.
_LINE_SAFE = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_line(record):
    """``record`` as one line of JSON Lines: UTF-8 text, ending in the only ``"\\n"`` it holds."""
    return json.dumps(record, ensure_ascii=False).translate(_LINE_SAFE) + "\n"


def export_articles(path):
    """Write every article to ``path`` (JSON Lines) and its files to ``<name>_files/``; return the count."""
    path = Path(path)
    base_dir = path.parent
    files_dir = base_dir / f"{path.stem}_files"
    articles = Article.objects.select_related("column", "region").prefetch_related(
        "tags", "attachments", "further_columns"
    )
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for article in articles.order_by("pk"):
            out.write(json_line(export_record(article, files_dir, base_dir)))
            count += 1
    return count


# --- import -------------------------------------------------------------------------


def _translations(record, key):
    value = record.get(key) or {}
    if key in ("author", "editor") and isinstance(value, str):
        # Files written before bylines (and editors) were per language hold one: the default
        # language's, and the English one too when it is in Latin letters.
        value = {settings.LANGUAGE_CODE: value, **({} if has_east_asian(value) else {"en": value})}
    if not isinstance(value, dict):
        raise RecordError(f'“{key}” must be an object of languages, such as {{"zh-hans": "…", "en": "…"}}')
    unknown = set(value) - set(language_codes())
    if unknown:
        raise RecordError(f"“{key}” has unknown languages: {', '.join(sorted(unknown))}")
    return value


def _named(model, data, what, create=True):
    """The row of ``model`` whose slug ``data`` names, created from its names when missing."""
    if data is None:
        return None
    if isinstance(data, str):
        data = {"slug": data}
    slug = data.get("slug")
    if not slug:
        raise RecordError(f"{what} has no slug")
    row = model.objects.filter(slug=slug).first()
    if row is None:
        names = data.get("name") or {}
        if not create or not all(names.get(code) for code in language_codes()):
            raise RecordError(f"unknown {what} “{slug}” (give its name in every language to create it)")
        row = model(slug=slug, **{localized("name", code): names[code] for code in language_codes()})
        row.full_clean()
        row.save()
    return row


def _datetime(value, key):
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise RecordError(f"“{key}” is not an ISO 8601 date and time: {value!r}") from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)  # naive times are Beijing time, as editors enter them
    return parsed


def _read_file(base_dir, relative, key):
    if not isinstance(relative, str) or not relative:
        raise RecordError(f"“{key}” needs a “path”")
    full = (base_dir / relative).resolve()
    if not full.is_relative_to(base_dir.resolve()):
        raise RecordError(f"“{key}” path leaves the folder of the file: {relative}")
    if not full.is_file():
        raise RecordError(f"“{key}” file not found: {relative}")
    return ContentFile(full.read_bytes(), name=posixpath.basename(relative))


def _find_existing(record):
    external_id = (record.get("external_id") or "").strip()
    legacy_url = normalize_legacy_url(record.get("legacy_url"))
    if external_id:
        return Article.objects.filter(external_id=external_id).first()
    if legacy_url:
        return Article.objects.filter(legacy_url=legacy_url).first()
    raise RecordError("a record needs an “external_id” or a “legacy_url”, so that importing again updates it")


def import_record(record, base_dir, dry_run=False):
    """Create or update the article ``record`` describes; return ``"created"`` or ``"updated"``.

    Raises ``RecordError`` or ``ValidationError`` (nothing is written then). With
    ``dry_run`` everything is checked and nothing is saved.
    """
    if not isinstance(record, dict):
        raise RecordError("a line must hold a JSON object")
    article = _find_existing(record)
    outcome = "updated" if article else "created"
    article = article or Article()
    article.external_id = (record.get("external_id") or "").strip()
    article.legacy_url = record.get("legacy_url") or ""
    article.column = _named(Column, record.get("column"), "column")
    if article.column is None:
        raise RecordError("a record needs a “column”")
    article.region = _named(Region, record.get("region"), "region")
    tags = [_named(Tag, tag, "tag") for tag in record.get("tags") or []]
    further = record.get("further_columns") or []
    if not isinstance(further, list):
        raise RecordError("“further_columns” must be a list of columns")
    further_columns = [_named(Column, column, "further column") for column in further]
    if article.column in further_columns:
        raise RecordError(f"“further_columns” names the primary column “{article.column.slug}” again")
    article.status = record.get("status") or Article.Status.DRAFT
    article.publish_at = _datetime(record.get("publish_at"), "publish_at") or timezone.now()
    article.unpublish_at = _datetime(record.get("unpublish_at"), "unpublish_at")
    event_date = record.get("event_date")
    try:
        article.event_date = date.fromisoformat(event_date) if event_date else None
    except ValueError:
        raise RecordError(f"“event_date” is not a date (YYYY-MM-DD): {event_date!r}") from None
    for field in PLAIN:
        default = False if field == "featured" else ""
        setattr(article, field, record.get(field) if record.get(field) is not None else default)
    for field in TRANSLATED:
        values = _translations(record, field)
        for code in language_codes():
            setattr(article, localized(field, code), values.get(code, ""))

    cover = record.get("cover")
    if cover:
        # Written to storage only when the article is saved, so a dry run stores nothing.
        picture = images.reencode(_read_file(base_dir, cover.get("path"), "cover"))
        if not _same_file(article.cover_image, picture):
            # The same picture imported again keeps the stored file rather than adding a copy.
            article.cover_image = picture
        for field in COVER_TRANSLATED:
            values = _translations(cover, field)
            for code in language_codes():
                setattr(article, localized(f"cover_{field}", code), values.get(code, ""))
    else:
        article.cover_image = None
        for field in COVER_TRANSLATED:
            for code in language_codes():
                setattr(article, localized(f"cover_{field}", code), "")

    attachments = []
    for number, item in enumerate(record.get("attachments") or [], start=1):
        file = _read_file(base_dir, (item or {}).get("path"), f"attachments[{number}]")
        try:
            documents.validate_document(file)
        except ValidationError as error:
            raise RecordError(f"attachment {number}: {' '.join(error.messages)}") from None
        titles = _translations(item, "title")
        accessible = (item or {}).get("accessible", False)
        if not isinstance(accessible, bool):
            raise RecordError(f"attachment {number}: accessible must be true or false")
        attachments.append((file, titles, accessible))

    article.full_clean()
    if dry_run:
        return outcome
    if article.pk:
        article.lock_version += 1  # an editor's open form of this article is now out of date
    article.save()
    article.tags.set(tags)
    article.further_columns.set(further_columns)
    try:
        policy_transfer.import_parts(article, record)
    except policy_transfer.DocumentRecordError as error:
        raise RecordError(str(error)) from None
    stored = list(article.attachments.order_by("order", "pk"))
    if len(stored) == len(attachments) and all(
        _same_file(old.file, new) for old, (new, _titles, _accessible) in zip(stored, attachments, strict=True)
    ):
        # The same files imported again: only their titles and accessible flags may have changed.
        for old, (_new, titles, accessible) in zip(stored, attachments, strict=True):
            for code in language_codes():
                setattr(old, localized("title", code), titles.get(code, ""))
            old.accessible = accessible
            old.save()
        return outcome
    article.attachments.all().delete()
    for order, (file, titles, accessible) in enumerate(attachments):
        attachment = Attachment(article=article, order=order, size=file.size, accessible=accessible)
        attachment.file.save(file.name, file, save=False)
        for code in language_codes():
            setattr(attachment, localized("title", code), titles.get(code, ""))
        attachment.save()
    return outcome


def _same_file(stored, new):
    """Whether the stored ``FieldFile`` holds exactly the bytes of the ``File`` ``new``."""
    if not stored:
        return False
    try:
        if stored.size != new.size:
            return False
        with stored.open("rb") as handle:
            same = handle.read() == new.read()
    except OSError:
        return False  # the stored file is missing: store the new one
    new.seek(0)
    return same


def _decode(line, number):
    if isinstance(line, str):
        return line
    if number == 1:
        line = line.removeprefix(b"\xef\xbb\xbf")  # a byte order mark, as Windows editors write it
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RecordError(
            f"not UTF-8 text (byte 0x{line[error.start]:02x} at position {error.start + 1}); "
            "save the file as UTF-8 (it may be GBK) and import it again"
        ) from None


def _key(record):
    if not isinstance(record, dict):
        return None
    external_id = record.get("external_id")
    if isinstance(external_id, str) and external_id.strip():
        return ("external_id", external_id.strip())
    legacy_url = record.get("legacy_url")
    if isinstance(legacy_url, str) and legacy_url.strip():
        return ("legacy_url", normalize_legacy_url(legacy_url))
    return None


@dataclasses.dataclass
class ImportReport:
    """What ``import_lines`` did: counts, ``rejected`` and ``warnings`` as ``[(line number, text)]``."""

    counts: dict = dataclasses.field(default_factory=lambda: {"created": 0, "updated": 0})
    rejected: list = dataclasses.field(default_factory=list)
    warnings: list = dataclasses.field(default_factory=list)


def import_lines(lines, base_dir, dry_run=False, progress=None, record_importer=None):
    """Import JSON Lines; return an ``ImportReport``.

    ``record_importer(record, base_dir, dry_run)`` imports one record (``import_record``, an
    article, by default; ``news.investment.transfer`` has those of projects and zones).

    ``lines`` are ``str`` or ``bytes`` (decoded as UTF-8 one by one, so one line in another
    encoding is rejected alone), each one record; number them as the file does, by ``"\\n"``
    only (``read_lines``). A line that cannot be imported, whatever the reason, is rejected
    with its number and the others go on. A record whose key an earlier line of the same
    file had is imported over it, with a warning.
    """
    report = ImportReport()
    seen = {}
    limit = settings.PORTAL_IMPORT_LINE_MAX_BYTES
    for number, line in enumerate(lines, start=1):
        if progress:
            progress(number)
        try:
            if len(line) > limit:
                raise RecordError(
                    f"the line is {len(line) // 1024 // 1024} MB; a record may be at most "
                    f"{limit // 1024 // 1024} MB (is a body too long?)"
                )
            text = _decode(line, number)
            if not text.strip():
                continue
            record = json.loads(text)
            key = _key(record)
            if key in seen:
                report.warnings.append(
                    (number, f"{key[0]} “{key[1]}” is also on line {seen[key]}; this line replaces it")
                )
            with transaction.atomic(), reversion.create_revision():
                outcome = (record_importer or import_record)(record, Path(base_dir), dry_run=dry_run)
                reversion.set_comment(f"Imported (line {number})")
                if dry_run:
                    transaction.set_rollback(True)  # new columns, regions or tags are not kept either
            if key is not None:
                seen[key] = number
            report.counts[outcome] += 1
        except json.JSONDecodeError as error:
            report.rejected.append((number, f"not valid JSON: {error.msg} (column {error.colno})"))
        except RecordError as error:
            report.rejected.append((number, str(error)))
        except ValidationError as error:
            report.rejected.append((number, _validation_text(error)))
        except Exception as error:
            # Anything else (a value of the wrong type deep in a record, a database refusal):
            # the line is rejected with its number, the file goes on, and the log has the trace.
            logger.exception("Import of line %s failed", number)
            report.rejected.append((number, f"could not be imported ({error.__class__.__name__}: {error})"))
    return report


def read_lines(path):
    """The lines of the file at ``path`` as ``bytes``, split at ``"\\n"`` only (JSON Lines); a
    line separator inside a text (U+2028, a vertical tab) never splits a record."""
    with Path(path).open("rb") as handle:
        return [line.removesuffix(b"\n").removesuffix(b"\r") for line in handle]


def _validation_text(error):
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)
