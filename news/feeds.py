"""RSS 2.0 feeds per language: the whole site and each column (django.contrib.syndication)."""

import io
import mimetypes

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _

from .context_processors import site_settings_for
from .i18n import bcp47
from .models import LISTING_FIELDS, Article, Column
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

    def items(self, column):
        """The column's newest articles: its own and those it carries as a further column (一稿多发);
        each item's category stays its primary column."""
        carried = Article.objects.carried_ids(column) if column.carries else []
        if not carried:
            return self.articles(column).filter(column=column)[:FEED_LENGTH]
        newest = Article.objects.public().column_listing(column, carried)[:FEED_LENGTH]
        return self.articles(column).filter(pk__in=[pk for pk, _at in newest])
