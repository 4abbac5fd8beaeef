"""What an article page shows of a policy document or interpretation: the metadata block, the
validity line, and the related documents in each side's words."""

from django.utils import timezone

from ..models import Article, Column
from .models import DocumentMeta, DocumentRelation
from .validity import validity

KINDS_WITH_DOCUMENTS = (Column.Kind.POLICY, Column.Kind.INTERPRETATION)


def document_context(article, now=None):
    """``{"document": meta or None, "validity": …, "relations": [(label, article), …]}`` for an
    article of a policy or interpretation column; ``{}`` for any other (no query). Relations
    name only articles public in the page's language (no link to a page that would say "not
    available in English"). Four queries at most."""
    if article.column.kind not in KINDS_WITH_DOCUMENTS:
        return {}
    now = now or timezone.now()
    meta = (
        DocumentMeta.objects.select_related("lead_issuer", "topic__parent")
        .prefetch_related("co_issuers")
        .filter(article=article.pk)
        .first()
    )
    public = Article.objects.public(now=now).values("pk")
    outgoing = DocumentRelation.objects.filter(from_article=article.pk, to_article__in=public).select_related(
        "to_article"
    )
    incoming = DocumentRelation.objects.filter(to_article=article.pk, from_article__in=public).select_related(
        "from_article"
    )
    listed = [(relation.get_kind_display(), relation.to_article, relation) for relation in outgoing]
    listed += [(relation.backward_label(), relation.from_article, relation) for relation in incoming]
    ending = [
        (other, relation)
        for _label, other, relation in listed
        if relation.to_article_id == article.pk and relation.kind in ("repeals", "replaces")
    ]
    return {
        "document": meta,
        "validity": validity(meta, now) if meta else None,
        "related_documents": [(label, other) for label, other, _relation in listed],
        "ended_by": ending[0][0] if ending else None,
    }


# schema.org legislationLegalForce for each validity (https://schema.org/LegalForceStatus).
LEGAL_FORCE = {
    DocumentMeta.Validity.IN_FORCE: "https://schema.org/InForce",
    DocumentMeta.Validity.AMENDED: "https://schema.org/InForce",
    DocumentMeta.Validity.PARTIALLY_IN_FORCE: "https://schema.org/PartiallyInForce",
    DocumentMeta.Validity.NOT_YET_IN_FORCE: "https://schema.org/NotInForce",
    DocumentMeta.Validity.EXPIRED: "https://schema.org/NotInForce",
    DocumentMeta.Validity.REPEALED: "https://schema.org/NotInForce",
}


def legislation_json_ld(json_ld, meta, validity):
    """The article page's JSON-LD (``news.seo.article_meta``) as a schema.org ``Legislation``: the
    same headline, dates, language and publisher, with the document number, date signed,
    issuers, type and legal force."""
    issuers = [meta.lead_issuer, *meta.co_issuers.all()] if meta.lead_issuer_id else []
    ld = {**json_ld, "@type": "Legislation", "legislationLegalForce": LEGAL_FORCE[validity]}
    if meta.document_number and meta.document_number != "无":
        ld["legislationIdentifier"] = meta.document_number
    if meta.written_date:
        ld["legislationDate"] = meta.written_date.isoformat()
    if meta.effective_date:
        ld["legislationDateVersion"] = meta.effective_date.isoformat()
    if meta.genre:
        ld["legislationType"] = meta.get_genre_display()
    if issuers:
        ld["legislationPassedBy"] = [{"@type": "GovernmentOrganization", "name": str(issuer)} for issuer in issuers]
    if meta.index_number:
        ld["identifier"] = meta.index_number
    return ld
