"""RSS 2.0 of the projects a reader of the feed's language may see, seeking investors, newest first."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from ..feeds import FEED_LENGTH, LatestArticlesFeed
from .amounts import format_amount
from .models import Project
from .views.projects import LIST_DEFERRED


class ProjectFeed(LatestArticlesFeed):
    """``/<lang>/projects/feed/``: ``Project.objects.public()``, open or in negotiation."""

    # Its items are projects, written by Django's syndication each time (not kept per article).
    keep_items = False

    def title(self):
        return _("Projects seeking investment - %(site)s") % {"site": self.site_name()}

    def description(self):
        return escape(_("Projects seeking investors, from %(site)s") % {"site": self.site_name()})

    def link(self):
        return reverse("investment:project-list")

    def feed_url(self):
        return reverse("investment:project-feed")

    def items(self, obj=None):
        return (
            Project.objects.public()
            .filter(deal_status__in=Project.SEEKING)
            .select_related("region")
            .prefetch_related("sectors")
            .defer(*LIST_DEFERRED)
            .order_by("-publish_at", "-pk")[:FEED_LENGTH]
        )

    def item_description(self, item):
        return escape(f"{item.summary} ({_('Total investment:')} {format_amount(item.total_investment)})")

    def item_author_name(self, item):
        return None

    def item_categories(self, item):
        return [item.region.name, *(sector.name for sector in item.sectors.all())]
