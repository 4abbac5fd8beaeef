"""Receivers of the policies app, connected from ``PoliciesConfig.ready()``.

- **index number**: an article of a policy column saved as published gets its document's index
  number in the same transaction, whichever is saved last (the admin saves the article before
  its metadata inline, an import or the workflow's actions the article alone).
- **search index**: a saved document metadata re-indexes its article, whose index rows hold the
  document number (``news.search.number_words``); deleted metadata too, once the deletion is
  committed and if the article is still there (it goes with its article when that is deleted).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from ..models import Article


def give_index_number(sender, instance, raw=False, **kwargs):
    if raw or instance.status != Article.Status.PUBLISHED:
        return
    from .models import DocumentMeta, is_policy_column

    if not is_policy_column(instance.column):
        return
    meta = DocumentMeta.objects.filter(article=instance, index_number="").select_related("lead_issuer").first()
    if meta is not None:
        meta.assign_index_number()


def index_document_number(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .. import search

    search.index_article(instance.article)


def unindex_document_number(sender, instance, **kwargs):
    article_id = instance.article_id

    def reindex():
        from .. import search

        article = Article.objects.filter(pk=article_id).first()
        if article is not None:
            search.index_article(article)

    transaction.on_commit(reindex)


def connect():
    from .models import DocumentMeta

    post_save.connect(give_index_number, sender=Article, dispatch_uid="policies_index_number")
    post_save.connect(index_document_number, sender=DocumentMeta, dispatch_uid="policies_index_document_number")
    post_delete.connect(unindex_document_number, sender=DocumentMeta, dispatch_uid="policies_unindex_document_number")
