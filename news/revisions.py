"""Article history on top of django-reversion: the last change in the list, and comparing two versions."""

import difflib
import html

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils.html import strip_tags
from modeltranslation.translator import translator
from reversion.models import Version

from .models import Article


def latest_comment():
    """A subquery for the comment of each article's newest version (one query for the whole list)."""
    versions = Version.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id=Cast(OuterRef("pk"), CharField())
    ).order_by("-pk")
    return Subquery(versions.values("revision__comment")[:1])


def comment_text(comment):
    """A revision comment as words: the admin stores its change messages as JSON."""
    if not comment:
        return ""
    return LogEntry(change_message=comment).get_change_message()


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    text = str(value)
    # Bodies are compared as text, one block per line, so the difference reads like prose.
    for tag in ("</p>", "</h2>", "</h3>", "</h4>", "</li>", "<br>", "</tr>", "</figure>"):
        text = text.replace(tag, tag + "\n")
    # Entities decoded once: the template escapes the text again (R&amp;D reads R&D).
    return html.unescape(strip_tags(text)) if "<" in text else text


def compare(older, newer):
    """The fields that differ between two versions of an article: ``[(field, verbose name, diff rows)]``.

    Each diff row is ``(kind, text)`` with kind ``"-"`` (only in the older), ``"+"`` (only in the
    newer) or ``" "`` (unchanged context).
    """
    old_data, new_data = older.field_dict, newer.field_dict
    # ``title`` mirrors ``title_zh_hans``: compare the per-language fields only.
    originals = set(translator.get_options_for_model(Article).fields)
    changes = []
    for field in Article._meta.get_fields():
        name = getattr(field, "attname", None) or field.name
        if field.name in originals:
            continue
        if name not in old_data and field.name not in old_data:
            continue
        key = name if name in old_data else field.name
        if key in ("lock_version", "updated_at", "updated_by_id") or old_data.get(key) == new_data.get(key):
            continue
        before, after = _as_text(old_data.get(key)).splitlines(), _as_text(new_data.get(key)).splitlines()
        rows = []
        for line in difflib.ndiff(before, after):
            if line.startswith("? "):
                continue
            rows.append((line[0], line[2:]))
        changes.append((key, getattr(field, "verbose_name", key), rows))
    return changes
