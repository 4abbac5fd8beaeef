"""RSS 2.0 feeds per language: the whole site and each column (django.contrib.syndication).

Each item's XML is kept per article, as a list's cards are (news/pagecache/fragments.py): under
its primary key, a digest of the row it is written from (every field an item shows, in every
language, with its column's, its cover's name and ``updated_at``), the feed's language and the
request's scheme and host (its link, guid and enclosure are absolute). A feed reads its articles'
rows (``values_list``, one query as before) and writes the kept items as they are; only the
articles whose row changed (a save, a restore, an ``update()`` behind the ORM) are built from
their rows and written by Django's syndication, as all of them were before. The channel's
elements (title, description, ``lastBuildDate``) are written anew each time.
"""

import io
import mimetypes
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.core.cache import InvalidCacheBackendError, caches
from django.core.exceptions import ObjectDoesNotExist
from django.db import router
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from .context_processors import site_settings_for
from .db.prepared import PreparedRows
from .i18n import all_columns_of, bcp47
from .models import LISTING_FIELDS, Article, Column
from .pagecache.fragments import CARD_SECONDS, digest
from .templatetags.portal import people
from .text import clean_text

FEED_LENGTH = 30


def _carriable(value):
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (list, tuple)):
        return [_carriable(item) for item in value]
    return value


class CarriableRssFeed(Rss201rev2Feed):
    """RSS 2.0 that is well-formed whatever is stored: every text passes ``clean_text``.

    Django's XML writer raises on a control character (a 500 for the whole feed); text saved
    now is cleaned on the way in, but rows written before that, or by a raw ``update()``, are not.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_carriable, args), **{key: _carriable(value) for key, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_carriable, args), **{key: _carriable(value) for key, value in kwargs.items()})

    def item_xml(self, item):
        """The XML of ``item`` (a dict ``add_item`` made), as ``write_items`` writes it."""
        written = io.StringIO()
        handler = SimplerXMLGenerator(written, "utf-8", short_empty_elements=True)
        handler.startElement("item", self.item_attributes(item))
        self.add_item_elements(handler, item)
        handler.endElement("item")
        return written.getvalue()

    def add_written_item(self, xml, pubdate, updateddate):
        """An item already written (``item_xml``); its dates count for ``latest_post_date``."""
        self.items.append({"xml": xml, "pubdate": pubdate, "updateddate": updateddate})

    def write_items(self, handler):
        for item in self.items:
            if "xml" in item:
                # XML this class wrote; ``ignorableWhitespace`` is the SAX writer's call that
                # writes its text as it is (after closing a pending start tag, as every call does).
                handler.ignorableWhitespace(item["xml"])
            else:
                handler.startElement("item", self.item_attributes(item))
                self.add_item_elements(handler, item)
                handler.endElement("item")


# The columns an item is written from: the article's (``LISTING_FIELDS`` and its author, in every
# language, as ``item_*`` below read them) and its column's, in the models' order for ``from_db``.
ITEM_FIELDS = [
    field.attname
    for field in Article._meta.concrete_fields
    if field.name in {name for base in (*LISTING_FIELDS, "author") for name in all_columns_of(base)} | {"id", "column"}
]
COLUMN_FIELDS = [field.attname for field in Column._meta.concrete_fields]
ROW_FIELDS = (*ITEM_FIELDS, *(f"column__{name}" for name in COLUMN_FIELDS))


def item_rows(articles):
    """The rows items are written from (``ROW_FIELDS``), of the articles of a queryset."""
    return articles.rewrite(False).values_list(*ROW_FIELDS)


# The site's and a column's feed rows, prepared once per process (news/db/prepared.py): building
# the queryset cost more than the rest of a feed whose items are kept.
site_feed_rows = PreparedRows(lambda now: item_rows(Article.objects.public(now=now))[:FEED_LENGTH], now=datetime)
column_feed_rows = PreparedRows(
    lambda column, now: item_rows(Article.objects.public(now=now).filter(column=column))[:FEED_LENGTH],
    column=int,
    now=datetime,
)


def item_cache():
    try:
        return caches["template_fragments"]
    except InvalidCacheBackendError:  # settings without it (as the cards fall back)
        return caches["default"]


class LatestArticlesFeed(Feed):
    """The newest articles written in the feed's language (the URL's prefix)."""

    feed_type = CarriableRssFeed

    @classmethod
    def as_view(cls):
        # A fresh instance per request: the enclosure URLs need the request, and a
        # shared instance must not carry one request's state into another.
        def view(request, *args, **kwargs):
            feed = cls()
            feed.request = request
            feed.language = bcp47(translation.get_language())
            return feed(request, *args, **kwargs)

        return view

    # Whether items are kept per article (feeds of articles: ``items()`` is a queryset of them).
    keep_items = True

    def __call__(self, request, *args, **kwargs):
        """Django's ``Feed.__call__``, writing the XML into a string first: written into the response,
        each of its tens of thousands of pieces went through ``HttpResponse.write()``."""
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("Feed object does not exist.") from None
        feed = self.get_feed(obj, request)
        written = io.StringIO()
        feed.write(written, "utf-8")
        response = HttpResponse(written.getvalue(), content_type=feed.content_type)
        response.headers["Last-Modified"] = http_date(feed.latest_post_date().timestamp())
        return response

    def get_feed(self, obj, request):
        """Django's feed, its items written from those kept for the rows of ``items(obj)``; only the
        articles not kept go through ``Feed.get_feed``'s ``item_*`` calls (``items`` is then the
        list of them, an attribute as Django's documentation allows)."""
        if not self.keep_items:
            return super().get_feed(obj, request)
        rows = self.item_rows(obj)
        prefix = f"feeditem:{translation.get_language()}:{request.build_absolute_uri('/')}"
        keys = [f"{prefix}:{row[0]}:{digest(row)}" for row in rows]
        cache = item_cache()
        kept = cache.get_many(keys)
        db = router.db_for_read(Article)
        split = len(ITEM_FIELDS)
        self.items = []
        for key, row in zip(keys, rows, strict=True):
            if key not in kept:
                article = Article.from_db(db, ITEM_FIELDS, row[:split])
                article.column = Column.from_db(db, COLUMN_FIELDS, row[split:])
                self.items.append(article)
        feed = super().get_feed(obj, request)
        written, feed.items, new = iter(feed.items), [], {}
        published, updated = ITEM_FIELDS.index("publish_at"), ITEM_FIELDS.index("updated_at")
        for key, row in zip(keys, rows, strict=True):
            if key in kept:
                feed.add_written_item(kept[key], row[published], row[updated])
            else:
                item = next(written)
                new[key] = feed.item_xml(item)
                feed.add_written_item(new[key], item["pubdate"], item["updateddate"])
        if new:
            cache.set_many(new, CARD_SECONDS)
        return feed

    def item_rows(self, obj):
        """The rows (``ROW_FIELDS``) of ``items(obj)``: prepared for the site's feed (a subclass
        that changes ``items()`` or ``articles()`` reads them from its queryset)."""
        if type(self).items is LatestArticlesFeed.items and type(self).articles is LatestArticlesFeed.articles:
            return site_feed_rows(now=timezone.now())
        return list(item_rows(self.items(obj)))

    def site_name(self):
        # The settings row every page's chrome reads, once per content version.
        return site_settings_for(self.request).site_name

    def title(self):
        return self.site_name()

    # RSS descriptions are HTML (entity-encoded in the XML); ours are plain text, so they are
    # escaped once more and a summary like "<script>" reaches feed readers as text.
    def description(self):
        return escape(_("The latest news from %(site)s") % {"site": self.site_name()})

    def link(self):
        return reverse("news:home")

    def feed_url(self):
        return reverse("news:feed")

    def articles(self, obj):
        # The list's fields (when it was updated among them) plus what an item adds: its author.
        return Article.objects.public().select_related("column").only(*LISTING_FIELDS, "author")

    def items(self, obj=None):
        return self.articles(obj)[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return escape(item.summary or item.title)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return self.request.build_absolute_uri(item.get_absolute_url())

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        # The byline of the feed's language only (no fallback), its people listed as on the page.
        return people(item.author) or None

    def item_categories(self, item):
        return [item.column.name]

    def item_enclosures(self, item):
        if not item.cover_image:
            return []
        mime_type = mimetypes.guess_type(item.cover_image.name)[0] or "application/octet-stream"
        try:
            length = str(item.cover_image.size)
        except OSError:
            length = "0"  # RSS allows 0 when the size is unknown; never fail the whole feed.
        return [Enclosure(self.request.build_absolute_uri(item.cover_image.url), length, mime_type)]


class ColumnFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Column.objects.with_carried_flag(), slug=slug)

    def title(self, column):
        return f"{column.name} - {self.site_name()}"

    def description(self, column):
        return escape(column.description or column.name)

    def link(self, column):
        return column.get_absolute_url()

    def feed_url(self, column):
        return reverse("news:column-feed", kwargs={"slug": column.slug})

    def item_rows(self, column):
        if column.carries or type(self).articles is not LatestArticlesFeed.articles:
            return super().item_rows(column)
        return column_feed_rows(column=column.pk, now=timezone.now())

    def items(self, column):
        """The column's newest articles: its own and those it carries as a further column (一稿多发);
        each item's category stays its primary column."""
        carried = Article.objects.carried_ids(column) if column.carries else []
        if not carried:
            return self.articles(column).filter(column=column)[:FEED_LENGTH]
        newest = Article.objects.public().column_listing(column, carried)[:FEED_LENGTH]
        return self.articles(column).filter(pk__in=[pk for pk, _at in newest])
