"""Keep derived data current when content changes."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from . import search
from .models import Article


@receiver(post_save, sender=Article, dispatch_uid="news.search.index_article")
def index_saved_article(sender, instance, raw=False, **kwargs):
    # In the same transaction as the save, so the index never disagrees with the article.
    # Deleting an article deletes its search documents (ON DELETE CASCADE).
    if not raw:
        search.index_article(instance)
