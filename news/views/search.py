"""The search page and its form (the words, a column, a year)."""

from datetime import datetime

from django import forms
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from .. import search
from ..context_processors import chrome
from ..db.prepared import PreparedRows
from ..forms import ReaderForm
from ..investment import search as service_search
from ..models import Article
from ..pagecache.fragments import card_list, digest
from ..ratelimit import rate_limited
from .reader import OneAddressMixin, PageMetaMixin

# The oldest published article's time, as a row: the first of the index of published articles by
# time (``article_list``), where the database stops at the first public one. A query prepared
# once per process (news/db/prepared.py): building it cost more than running it.
oldest_published = PreparedRows(
    lambda now: Article.objects.published(now).rewrite(False).order_by("publish_at").values_list("publish_at")[:1],
    now=datetime,
)


class SearchForm(ReaderForm):
    """The reader's search: words, and optionally a column and a year. Bad filters are dropped."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, strip=True)
    column = forms.ChoiceField(label=gettext_lazy("Column"), required=False)
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The columns of the site chrome, already in the shared cache.
        self.fields["column"].choices = [("", gettext_lazy("All columns")), *((c.slug, c.name) for c in chrome()[1])]
        # From the oldest published year to this one: one indexed lookup, whatever the corpus.
        oldest = next(iter(oldest_published(now=timezone.now())), (None,))[0]
        this_year = timezone.localdate().year
        years = range(this_year, timezone.localtime(oldest).year - 1, -1) if oldest else []
        self.fields["year"].choices = [("", gettext_lazy("All years")), *((year, year) for year in years)]

    def filtered_articles(self):
        """The candidate articles the valid filters allow (None: no filter)."""
        data = self.cleaned_data if self.is_bound else {}
        articles = None
        if data.get("column"):
            articles = Article.objects.filter(column__slug=data["column"])
        if data.get("year"):
            articles = (articles if articles is not None else Article.objects.all()).filter(
                publish_at__year=data["year"]
            )
        return articles


HIT_CARD = "includes/search_hit_card.html"


@method_decorator(rate_limited("search", "PORTAL_SEARCH_RATE_LIMIT"), name="dispatch")
class SearchView(OneAddressMixin, PageMetaMixin, ListView):
    template_name = "news/search.html"
    context_object_name = "hits"
    paginate_by = 20
    query_parameters = ("q", "column", "year", "page")

    def get_queryset(self):
        language = translation.get_language()
        self.form = SearchForm(self.request.GET)
        # A forged column or year fails validation and is left out of cleaned_data,
        # so it is dropped while the words and the valid filters still count.
        self.form.is_valid()
        raw = self.request.GET.get("q", "")
        self.query = search.Query.parse(raw)
        return search.search(raw, language, articles=self.form.filtered_articles())

    def get_meta(self, context):
        return {"title": _("Search")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, query=self.query, **kwargs)
        # Each hit's link, title, column and date: a card kept per article under a digest of what it
        # shows (read with the excerpts), its article built only when the card is not kept.
        hits = context["hits"]
        cards = card_list(
            [(hit.pk, digest(hit.shown)) for hit in hits], HIT_CARD, load=hits[0].page.articles if hits else None
        )
        for hit, card in zip(hits, cards, strict=True):
            hit.card = card
        # Projects and zones, above the articles, on the first page of a search not narrowed to a column or year.
        first_page = context["page_obj"] is None or context["page_obj"].number == 1
        if first_page and self.form.filtered_articles() is None:
            context["service_hits"] = service_search.find(self.query, translation.get_language())
        return context
