"""Article history on top of django-reversion: what each version records, the last change in the
list, and comparing two versions.

A version's comment is stored language-neutral, as JSON like the admin's own change messages,
and put into words in the language of whoever reads it: ``[{"workflow": {"step": "schedule",
"at": "2026-12-01T00:00:00+00:00"}}, {"changed": {"fields": ["title_en"]}}]`` reads "Scheduled
for 2026-12-01 08:00. Changed Title (English)." in the English admin.
"""

import difflib
import html
import json
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from reversion.models import Version

from .i18n import field_label
from .models import Article

# What each workflow step is called in the history and the messages.
STEP_TEXT = {
    "review": _("Submitted for review"),
    "send_back": _("Sent back"),
    "draft": _("Back to draft"),
    "publish": _("Published"),
    "unpublish": _("Unpublished"),
    "archive": _("Archived"),
    "delete": _("Deleted"),
    "undelete": _("Restored from the recycle bin"),
}


def step_entry(button, status_before, article, reason=""):
    """The history entry of the workflow button ``button`` taken on ``article`` (already moved),
    which had ``status_before``: ``{"workflow": {"step": …, "at"?: ISO time, "reason"?: text}}``."""
    step = button
    if button == "draft" and status_before == Article.Status.REVIEW:
        step = "send_back"
    entry = {"step": step}
    if button == "publish" and article.publish_at > timezone.now():
        entry = {"step": "schedule", "at": article.publish_at.isoformat()}
    if reason:
        entry["reason"] = reason
    return {"workflow": entry}


def when(iso):
    """An ISO time from a history entry in Beijing time, in the active language's short format."""
    return formats.date_format(timezone.localtime(datetime.fromisoformat(iso)), "Y-m-d H:i")


def step_text(entry):
    """A workflow entry (``step_entry``'s inner dict) in words: "Scheduled for 2026-12-01 08:00"."""
    step = entry.get("step")
    if step == "schedule":
        text = gettext("Scheduled for %(time)s") % {"time": when(entry["at"])}
    elif step == "restore":
        text = gettext("Restored the version of %(time)s") % {"time": when(entry["at"])}
    else:
        text = str(STEP_TEXT.get(step, step))
    if entry.get("reason"):
        text = gettext("%(step)s: %(reason)s") % {"step": text, "reason": entry["reason"]}
    return text


# What already ends a sentence: a reason typed with its own full stop or question mark gets no second one.
SENTENCE_ENDS = tuple("。！？….!?")


def sentence(text):
    """``text`` ended with a full stop in the active language, unless it already ends a sentence."""
    text = str(text)
    return text if text.rstrip().endswith(SENTENCE_ENDS) else text + gettext(".")


def as_comment(entries):
    """``entries`` (a list of change-message dicts) as stored in a version's comment."""
    return json.dumps(entries, ensure_ascii=False)


def latest_comment():
    """A subquery for the comment of each article's newest version (one query for the whole list)."""
    versions = Version.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id=Cast(OuterRef("pk"), CharField())
    ).order_by("-pk")
    return Subquery(versions.values("revision__comment")[:1])


def comment_text(comment):
    """A version's comment in words, in the active language (see the module's docstring).

    Comments stored as text by older versions are shown as they are.
    """
    if not comment:
        return ""
    try:
        entries = json.loads(comment)
    except ValueError:
        return comment
    if not isinstance(entries, list):
        return comment
    parts = []
    for entry in entries:
        if "workflow" in entry:
            parts.append(sentence(step_text(entry["workflow"])))
        elif "relation" in entry or "validity" in entry:
            from .policies.actions import relation_text, validity_text

            parts.append(
                str(relation_text(entry["relation"]) if "relation" in entry else validity_text(entry["validity"]))
            )
        elif "changed" in entry and not entry["changed"].get("name"):
            labels = [field_label(Article, name) for name in entry["changed"].get("fields", [])]
            separator = "、" if (get_language() or "").startswith("zh") else ", "
            parts.append(gettext("Changed %(fields)s.") % {"fields": separator.join(labels)})
        else:
            parts.append(LogEntry(change_message=json.dumps([entry])).get_change_message())
    # Chinese sentences follow each other without a space (已提交审核。修改了标题（英文）。).
    between = "" if (get_language() or "").startswith("zh") else " "
    return between.join(part for part in parts if part) or LogEntry(change_message="[]").get_change_message()


def _as_text(value, field=None):
    """A stored value as staff read it: a choice by its label (草稿, not ``draft``), a time in
    Beijing time to the minute, a yes/no as words; rich text one block a line, without tags."""
    if value is None:
        return ""
    if getattr(field, "is_relation", False) and field.related_model is not None and value not in ("", []):
        # A column, region or further columns by their names (the version holds their ids).
        keys = value if isinstance(value, list | tuple) else [value]
        names = {row.pk: str(row) for row in field.related_model._default_manager.filter(pk__in=keys)}
        separator = "、" if (get_language() or "").startswith("zh") else ", "
        return separator.join(names.get(key, f"#{key}") for key in keys)
    if getattr(field, "choices", None) and not isinstance(value, list | tuple):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    text = str(value)
    # Bodies are compared as text, one block per line, so the difference reads like prose.
    for tag in ("</p>", "</h2>", "</h3>", "</h4>", "</li>", "<br>", "</tr>", "</figure>"):
        text = text.replace(tag, tag + "\n")
    # Entities decoded once: the template escapes the text again (R&amp;D reads R&D).
    return html.unescape(strip_tags(text)) if "<" in text else text


def compare(older, newer, model=Article):
    """The fields that differ between two versions of an article (or another versioned ``model``
    with translated fields, such as a project or zone): ``[(field, verbose name, diff rows)]``.

    Each diff row is ``(kind, text)`` with kind ``"-"`` (only in the older), ``"+"`` (only in the
    newer) or ``" "`` (unchanged context).
    """
    old_data, new_data = older.field_dict, newer.field_dict
    # ``title`` mirrors ``title_zh_hans``: compare the per-language fields only.
    originals = set(translator.get_options_for_model(model).fields)
    changes = []
    for field in model._meta.get_fields():
        name = getattr(field, "attname", None) or field.name
        if field.name in originals:
            continue
        if name not in old_data and field.name not in old_data:
            continue
        key = name if name in old_data else field.name
        if key in ("lock_version", "updated_at", "updated_by_id") or old_data.get(key) == new_data.get(key):
            continue
        before = _as_text(old_data.get(key), field).splitlines()
        after = _as_text(new_data.get(key), field).splitlines()
        if before == after:
            # Different only where staff cannot see it (a time's seconds, markup around the same text).
            continue
        rows = []
        for line in difflib.ndiff(before, after):
            if line.startswith("? "):
                continue
            rows.append((line[0], line[2:]))
        changes.append((key, field_label(model, field.name), rows))
    return changes
