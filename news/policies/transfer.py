"""Policy metadata and relations in the article's JSON Lines record (``news.transfer``).

A record of a policy document carries ``"document"``: the index number, the topic by its code,
the issuers by ``org_code`` (the lead first), the document number, the dates (YYYY-MM-DD), the
type, the flags, the English text's status, the keywords and the validity set by hand per
language. Any article may carry ``"relations"``: ``[{"kind": "repeals", "to": <external_id>}]``,
naming articles imported before it (an export lists them in that order). So a TRS export can
move in with its catalogue intact (SPEC-services.md, spec 2, rule 6).
"""

from datetime import date

from django.core.exceptions import ValidationError

from ..i18n import language_codes, localized
from ..models import Article
from .models import DocumentMeta, DocumentRelation, Issuer, TopicCategory, publish_faults

DATES = ("written_date", "effective_date", "expiry_date")
PLAIN = ("index_number", "document_number", "genre", "is_normative", "needs_interpretation", "is_republished",
         "english_status", "validity_override", "is_correction", "review_note")  # fmt: skip
TRANSLATED = ("keywords", "validity_reason")


class DocumentRecordError(Exception):
    """A document part of a record that cannot be imported; the message says why."""


def _per_language(instance, field):
    values = {code: getattr(instance, localized(field, code)) or "" for code in language_codes()}
    return {code: value for code, value in values.items() if value}


def export_parts(article):
    """``{"document": …, "relations": […]}`` for ``article`` (keys left out when it has none)."""
    parts = {}
    meta = DocumentMeta.objects.filter(article=article).select_related("lead_issuer", "topic").first()
    if meta is not None:
        parts["document"] = {
            **{field: getattr(meta, field) for field in PLAIN},
            **{field: getattr(meta, field).isoformat() if getattr(meta, field) else None for field in DATES},
            **{field: _per_language(meta, field) for field in TRANSLATED},
            "topic": meta.topic.code if meta.topic else None,
            "issuers": [
                issuer.org_code
                for issuer in ([meta.lead_issuer] if meta.lead_issuer else [])
                + list(meta.co_issuers.order_by("order", "pk"))
            ],
        }
    relations = DocumentRelation.objects.filter(from_article=article).select_related("to_article").order_by("pk")
    if relations:
        parts["relations"] = [
            {"kind": relation.kind, "to": relation.to_article.external_id or f"article-{relation.to_article_id}"}
            for relation in relations
        ]
    return parts


def _date(value, key):
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        raise DocumentRecordError(f"“document.{key}” is not a date (YYYY-MM-DD): {value!r}") from None


def _article_by_key(key):
    if isinstance(key, str) and key.startswith("article-") and key[8:].isdigit():
        found = Article.objects.filter(pk=int(key[8:]), external_id="").first()
        if found:
            return found
    return Article.objects.filter(external_id=key).first() if key else None


def import_parts(article, record):
    """Write the record's ``document`` and ``relations`` for the saved ``article`` (inside the
    line's transaction), then refuse a published policy or interpretation whose metadata is
    incomplete (``publish_faults``), as the workflow does. Raises ``DocumentRecordError`` or
    ``ValidationError``."""
    data = record.get("document")
    if data is not None:
        if not isinstance(data, dict):
            raise DocumentRecordError("“document” must be an object")
        meta = DocumentMeta.objects.filter(article=article).first() or DocumentMeta(article=article)
        for field in PLAIN:
            default = DocumentMeta._meta.get_field(field).get_default()
            setattr(meta, field, data.get(field) if data.get(field) is not None else default)
        for field in DATES:
            setattr(meta, field, _date(data.get(field), field))
        for field in TRANSLATED:
            values = data.get(field) or {}
            for code in language_codes():
                setattr(meta, localized(field, code), values.get(code, "") if isinstance(values, dict) else "")
        topic = data.get("topic")
        meta.topic = TopicCategory.objects.filter(code=topic).first() if topic else None
        if topic and meta.topic is None:
            raise DocumentRecordError(f"no topic has the code {topic!r}")
        issuers = []
        for code in data.get("issuers") or []:
            issuer = Issuer.objects.filter(org_code=code).first()
            if issuer is None:
                raise DocumentRecordError(f"no issuer has the organisation code {code!r}")
            issuers.append(issuer)
        meta.lead_issuer = issuers[0] if issuers else None
        meta.full_clean(exclude=["article"])
        meta.save()
        meta.co_issuers.set(issuers[1:])
    relations = record.get("relations")
    if relations is not None:
        wanted = []
        for number, item in enumerate(relations, start=1):
            item = item if isinstance(item, dict) else {}
            target = _article_by_key(item.get("to"))
            if target is None:
                raise DocumentRecordError(
                    f"relation {number}: no article has the id {item.get('to')!r} (import the documents it names first)"
                )
            relation = DocumentRelation(from_article=article, to_article=target, kind=item.get("kind") or "")
            relation.full_clean(validate_unique=False)
            wanted.append(relation)
        DocumentRelation.objects.filter(from_article=article).delete()
        for relation in wanted:
            relation.save()
    if article.status == Article.Status.PUBLISHED and (faults := publish_faults(article)):
        raise ValidationError(list(faults.values()))
