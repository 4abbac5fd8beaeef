"""The content model, one module per kind (``from news.models import Article`` keeps working).

- ``taxonomy``: Column (栏目), Region, Tag
- ``articles``: Article and ``ArticleQuerySet`` (``published()``, the one gate for "public")
- ``pages``: Page, SiteSettings
- ``library``: Image (the picture library), Attachment
- ``counters``: DailyVisits, ArticleDailyReads, SearchDocument, ContentVersion (derived data, not content)

Text that readers see is translated with django-modeltranslation (``news/translation.py``):
each such field exists once per language (``title_zh_hans``, ``title_en``), and ``title``
reads the active language's value with no fallback to another language.
"""

from .articles import Article, ArticleLink, AvailabilityField, normalize_legacy_url
from .counters import ArticleDailyReads, ContentVersion, DailyVisits, SearchDocument
from .library import Attachment, Image
from .pages import Page, SiteSettings
from .querysets import LISTING_FIELDS, ArticleQuerySet
from .taxonomy import Column, Region, Tag

__all__ = [
    "LISTING_FIELDS",
    "Article",
    "ArticleDailyReads",
    "ArticleLink",
    "ArticleQuerySet",
    "Attachment",
    "AvailabilityField",
    "Column",
    "ContentVersion",
    "DailyVisits",
    "Image",
    "Page",
    "Region",
    "SearchDocument",
    "SiteSettings",
    "Tag",
    "normalize_legacy_url",
]
