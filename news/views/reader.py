"""Reader pages. Every article query goes through ``Article.objects.published()``."""

from datetime import datetime

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, MonthArchiveView, TemplateView, YearArchiveView

from .. import list_queries, queries, seo, visits
from ..addresses import address
from ..context_processors import chrome_for, language_links, site_settings_for
from ..home_queries import (
    HOME_LATEST_PER_COLUMN,
    card_rows,
    featured_ids,
    newest_ids_per_column,
)
from ..i18n import language_codes
from ..models import Article, Region, Tag
from ..models import Page as StaticPage
from ..pagecache import fragments
from ..pagecache.fragments import CARD_FIELDS, CardRows, FeaturedCardRows, PageArticles
from ..pagecache.version import remembered
from ..policies.pages import document_context, legislation_json_ld
from ..text import plain_text
from ..visits import ARTICLE_HEADER


def canonical_query(request):
    """The request's query string with the page number in its one spelling (none for page 1,
    no leading zeros), or None when it is spelled so already. Anything but digits is left to
    the paginator (a 404)."""
    page = request.GET.get("page")
    if page is None or not page.isdigit():
        return None
    number = int(page)
    if page == str(number) and number != 1:
        return None
    query = request.GET.copy()
    if number == 1:
        del query["page"]
    else:
        query["page"] = str(number)
    return query.urlencode()


class OneAddressMixin:
    """A list answers at one address: ``?page=1`` and ``?page=02`` redirect (301) to it.

    ``canonical_path()`` names the path in its one spelling (by default the request's own).
    """

    def canonical_path(self):
        return self.request.path

    def get(self, request, *args, **kwargs):
        path, query = self.canonical_path(), canonical_query(request)
        if path != request.path or query is not None:
            query = request.GET.urlencode() if query is None else query
            return HttpResponsePermanentRedirect(path + (f"?{query}" if query else ""))
        return super().get(request, *args, **kwargs)


class PageMetaMixin:
    """Adds ``meta``: what the page tells search engines and link previews (includes/meta.html),
    and ``page_query``: the request's query parameters that the view reads, ``query_parameters``,
    and no other. Links and forms are built from it (includes/pagination.html), never from
    ``request.GET``: the page cache ignores some parameters (``spm``, ``utm_*``; news/pagecache/),
    and a page that echoed them would be stored, with them, under the address without them."""

    query_parameters = ("page",)

    def get_meta(self, context):
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meta"] = self.get_meta(context)
        context["page_query"] = query = read_query(self.request, self.query_parameters)
        # The switcher keeps the reader's search and filters, from what the view reads only.
        context.setdefault("language_links", SimpleLazyObject(lambda: language_links(self.request, query=query)))
        return context


def read_query(request, names):
    """A QueryDict of ``request.GET`` with only the parameters ``names``, each once: its last
    value, the one the view reads (``QueryDict.get`` and forms take the last of a repeated one)."""
    query = QueryDict(mutable=True)
    for name in request.GET:  # in the order the reader's address gives them
        if name in names:
            query.setlist(name, request.GET.getlist(name)[-1:])
    return query


class HomeView(PageMetaMixin, TemplateView):
    template_name = "news/home.html"

    def get_meta(self, context):
        return {
            "description": _("Investment news, policies, the investment environment and projects seeking partners.")
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The ids of the featured articles and of each column's newest; then what their cards
        # show, by primary key (the ids are public already, and repeating the filter would make
        # the planner walk the whole list index instead), and the articles themselves only for
        # the cards not kept (news/pagecache/fragments.py). Not remembered per content version:
        # after an edit that cost more (the next scheduled change looked up) than it saved.
        featured, ids = self.listed_ids()
        wanted = {*featured, *(pk for pks in ids.values() for pk in pks)}
        shown = {pk: values for pk, *values in card_rows(wanted)}  # {pk: its FEATURED_CARD_FIELDS values}
        load = PageArticles(wanted)
        context["featured"] = FeaturedCardRows(((pk, *shown[pk]) for pk in featured), load)
        # A card row is (pk, *CARD_FIELDS), the first fields of FEATURED_CARD_FIELDS.
        card_length, publish_at = len(CARD_FIELDS), 1 + CARD_FIELDS.index("publish_at")
        # The columns from the chrome (read once per content version for the menu).
        columns = {column.pk: column for column in chrome_for(self.request)[1].columns}
        blocks = []
        for column_id, pks in ids.items():
            # Its own newest and those it carries as a further column (一稿多发), merged.
            block = [(pk, *shown[pk][:card_length]) for pk in pks]
            block.sort(key=lambda row: (row[publish_at], row[0]), reverse=True)
            if block:
                blocks.append((columns[column_id], CardRows(block[:HOME_LATEST_PER_COLUMN], load)))
        context["column_blocks"] = blocks = sorted(blocks, key=lambda item: (item[0].order, item[0].pk))
        context["kept_key"] = self.kept_key(context["featured"], blocks)
        return context

    @staticmethod
    def kept_key(featured, blocks):
        """The digest the featured and column blocks are kept under (templates/news/home.html
        ``{% kept %}``): of everything they show, the rows of their cards and columns, the
        language, time zone and script prefix (their links are paths), so that any change to
        any of them, however made, renders them afresh (news/pagecache/fragments.py). Rendered,
        they were two thirds of a cold home page: a loop of six blocks, each reversing its
        column's address twice and looking up its cards.

        Each row is taken as its ``hash()`` (``repr()`` of some forty rows, summaries included,
        cost 60 µs): as ``row_values`` does for long texts, a digest good within this process,
        whose kept parts no other process reads."""
        return fragments.digest(
            (
                "home",
                translation.get_language(),
                timezone.get_current_timezone_name(),
                get_script_prefix(),
                [hash(row) for row in featured],
                [(hash(fragments.row_values(column)), [hash(row) for row in rows]) for column, rows in blocks],
            )
        )

    @staticmethod
    def listed_ids():
        """``([featured ids], {column id: [ids]})``: the newest featured articles, and the newest
        of each column (news.models.querysets.newest_ids_per_column); prepared once per process
        (news/home_queries.py)."""
        now = timezone.now()
        featured = [pk for (pk,) in featured_ids(now=now)]
        return featured, newest_ids_per_column(now)


class IndexedPaginator(Paginator):
    """Pages of an article list fetched in two steps, so that page 500 costs what page 1 does.

    The page's ids come from the list index alone (an index-only scan that skips the rows of
    earlier pages without reading them), then only those rows are read, by primary key, as
    ``CardRows``: what the cards show, not articles (those are read for the cards not kept only).
    With a plain OFFSET, PostgreSQL reads every skipped row or, past a few thousand, sorts the whole
    column instead. The two steps are one query (the ids a subquery). ``object_list`` is an
    ``ArticleList`` (news/list_queries.py), whose queries are prepared once per process.

    The count is read on its own, before the page (not with it, as the project list's
    ``CountedPaginator`` does, news/paginators.py): the count in the page query was dearer here, measured in
    process (``COUNT(*) OVER ()`` made SQLite keep and sort the whole list instead of walking its
    index to the page, 8 ms instead of 1.2 for a column of 2,000 articles; a scalar subquery
    ``(SELECT COUNT(*) ...)`` cost 10.2 ms a page against 9.0 for the count and then the page, on
    the harness's region list, loaded machine, 600 pages each in turns).
    """

    @cached_property
    def count(self):
        return self.object_list.count()

    def page(self, number):
        """Page ``number``, as Django's ``page()`` (``EmptyPage``/``PageNotAnInteger`` when it is
        not one), its rows ``CardRows``."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(CardRows(self.object_list.rows(bottom, top)), number, self)


class ColumnArticlesMixin:
    """The column named in the URL (``find_column()``) and the public articles it lists (its own and
    those it carries as a further column), newest first."""

    def find_column(self):
        # Once per request: the date views ask for the queryset again for each neighbouring month.
        if getattr(self, "column", None) is None:
            self.column = list_queries.subject_or_404(list_queries.column_by_slug, self.kwargs["slug"])
            # Read only for a column that carries articles of other columns (一稿多发).
            self.carried = list_queries.carried_ids(self.column) if self.column.carries else []

    def get_queryset(self):
        self.find_column()
        return Article.objects.public().for_listing().in_column(self.column, self.carried)


class ColumnDetailView(OneAddressMixin, ColumnArticlesMixin, PageMetaMixin, ListView):
    template_name = "news/column_detail.html"
    context_object_name = "articles"
    paginate_by = 20
    paginator_class = IndexedPaginator

    def get_queryset(self):
        """Not a queryset: the ``ArticleList`` ``IndexedPaginator`` pages."""
        self.find_column()
        self.now = timezone.now()
        return list_queries.column_list(self.column, self.carried, self.now)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            column=self.column,
            # Links (id, slug, title, date), not articles: all the list shows.
            most_read=list_queries.most_read(self.column, self.carried, self.now),
            # The same on every page of the column, and it reads every article of it: its months
            # are read and written out (a link and two dates a month) once per content version.
            archive=remembered(f"archive:{self.column.pk}:{translation.get_language()}", self.archive_html),
            **kwargs,
        )

    def archive_html(self):
        """The sidebar's archive: the column's months, by year."""
        public = Article.objects.public().in_column(self.column, self.carried)
        return render_to_string(
            "includes/column_archive.html", {"archive_years": archive_years(self.column, public.archive_months())}
        )

    def get_meta(self, context):
        page = context["page_obj"].number
        canonical = self.request.build_absolute_uri(self.request.path + (f"?page={page}" if page > 1 else ""))
        title = (
            self.column.name
            if page == 1
            else _("%(column)s, page %(number)s") % {"column": self.column.name, "number": page}
        )
        return {"title": title, "description": self.column.description or self.column.name, "canonical": canonical}


def archive_years(column, months):
    """``[(year, its address, [(month's address, "YYYY-MM"), ...]), ...]``: a column's archive
    months (newest first) by year, with the addresses worked out here rather than by a ``{% url %}``
    and two ``date`` filters per month in the template (a column of eight years has a hundred), and
    remembered per process (news/addresses.py): the archive is written again after every edit."""
    years = []
    for month in months:
        if not years or years[-1][0] != month.year:
            years.append((month.year, address("news:column-year", slug=column.slug, year=month.year), []))
        label = f"{month.month:02d}"
        link = address("news:column-month", slug=column.slug, year=month.year, month=label)
        years[-1][2].append((link, f"{month.year}-{label}"))
    return years


def in_language(code, function, *args, **kwargs):
    with translation.override(code):
        return function(*args, **kwargs)


class ColumnArchiveMixin(OneAddressMixin, ColumnArticlesMixin, PageMetaMixin):
    """A column's articles in a year or a month (generic date views, dates in Asia/Shanghai).

    One address per archive: ``/2026/9/`` and ``/02026/09/`` redirect (301) to ``/2026/09/``.
    The language switcher and hreflang name the archive in another language only when it has
    articles there; otherwise the switcher leads to the column.
    """

    template_name = "news/column_archive.html"
    context_object_name = "articles"
    date_field = "publish_at"
    paginate_by = 20
    allow_empty = False
    month_format = "%m"

    def canonical_path(self):
        return reverse(self.request.resolver_match.view_name, kwargs=self.kwargs)

    def period(self):
        """``(first moment, first moment after)`` of the archive, in the current time zone."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        since, until = self.period()
        current = translation.get_language()
        view, kwargs_of_url = self.request.resolver_match.view_name, self.kwargs
        urls, fallbacks = {}, {}
        for code in language_codes():
            if code == current or (
                Article.objects.public(code)
                .in_column(self.column, self.carried)
                .filter(publish_at__gte=since, publish_at__lt=until)
                .exists()
            ):
                urls[code] = in_language(code, reverse, view, kwargs=kwargs_of_url)
            fallbacks[code] = in_language(code, self.column.get_absolute_url)
        links = language_links(self.request, urls, fallbacks, query=read_query(self.request, self.query_parameters))
        return super().get_context_data(column=self.column, language_links=links, **kwargs)


class ColumnYearArchiveView(ColumnArchiveMixin, YearArchiveView):
    make_object_list = True

    def period(self):
        year = int(self.get_year())
        zone = timezone.get_current_timezone()
        return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)

    def get_meta(self, context):
        return {"title": f"{self.column.name} · {self.get_year()}"}


class ColumnMonthArchiveView(ColumnArchiveMixin, MonthArchiveView):
    def period(self):
        year, month = int(self.get_year()), int(self.get_month())
        zone = timezone.get_current_timezone()
        after = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
        return datetime(year, month, 1, tzinfo=zone), after

    def get_meta(self, context):
        return {"title": f"{self.column.name} · {self.get_year()}-{int(self.get_month()):02d}"}


class ArticleListByView(OneAddressMixin, PageMetaMixin, ListView):
    """Articles sharing a tag or a region, newest first."""

    template_name = "news/article_list_by.html"
    context_object_name = "articles"
    paginate_by = 20
    paginator_class = IndexedPaginator
    model = None
    lookup = None
    by_slug = None  # the subject's query (news/list_queries.py)

    def get_queryset(self):
        """Not a queryset: the ``ArticleList`` ``IndexedPaginator`` pages."""
        self.subject = list_queries.subject_or_404(self.by_slug, self.kwargs["slug"])
        self.now = timezone.now()
        return list_queries.ArticleList(self.lookup, self.subject.pk, self.now)

    def get_meta(self, context):
        return {"title": self.subject.name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, kind=self.model._meta.verbose_name, **kwargs)


class TagView(ArticleListByView):
    model = Tag
    lookup = "tags"
    by_slug = list_queries.tag_by_slug


class RegionView(ArticleListByView):
    """A region's articles, and where to invest there: its public development zones in the page's
    language (one query) and links to its projects and zones (the lists filtered by the region)."""

    model = Region
    lookup = "region"
    by_slug = list_queries.region_by_slug

    def get_context_data(self, **kwargs):
        return super().get_context_data(region_zones=list_queries.region_zones(self.subject, self.now), **kwargs)


class ArticleDetailView(PageMetaMixin, DetailView):
    """An article. Its queries are prepared once per process (news/queries.py)."""

    template_name = "news/article_detail.html"
    context_object_name = "article"

    # (language links, meta) kept for this request's article, host and language (render_article).
    head = None

    def get_meta(self, context):
        if self.head is not None:
            return self.head[1]
        if not self.object.is_available_in(translation.get_language()):
            return {"title": _("Not available in this language")}
        return seo.article_meta(self.request, self.object, site_settings_for(self.request).site_name)

    def get_object(self, queryset=None):
        pk = self.kwargs["pk"]
        found = queries.published_article(pk=pk, now=timezone.now()) if pk <= BIGGEST_ID else []
        if not found:
            raise Http404("No public article has this id")
        return found[0]

    def get(self, request, *args, **kwargs):
        self.object = article = self.get_object()
        canonical = article.get_absolute_url()
        if request.path != canonical:
            # An old or mistyped slug never 404s: it moves to the current address.
            return redirect(canonical, permanent=True)
        return self.render_article(request, article)

    def render_article(self, request, article, url_for=None, preview=False):
        """The article page; previews pass ``url_for(language)`` for the language switcher."""
        language = translation.get_language()
        available = article.available_languages()
        # The language links and the meta (addresses, JSON-LD) follow from the article's and its
        # column's rows, the host, the language and the site's name: kept under their digest.
        article_key = head_key = None
        if not preview and url_for is None and not article.get_deferred_fields():
            article_key = self.article_key(request, article)
            if language in available:
                head_key = f"article-head:{article_key}"
                self.head = fragments.kept_value(head_key)
        if self.head is None:
            urls = {code: (url_for or article.get_absolute_url)(code) for code in available}
            # Where the switcher leads in a language the article is not written in: its column.
            fallbacks = {
                code: in_language(code, article.column.get_absolute_url)
                for code in language_codes()
                if code not in urls
            }
            links = language_links(request, urls, fallbacks)
        else:
            links = self.head[0]
        context = self.get_context_data(object=article, language_links=links, preview=preview)
        if head_key is not None and self.head is None:
            fragments.keep_value(head_key, (links, context["meta"]))
        if language not in available:
            context["other_versions"] = [link for link in context["language_links"] if link["alternate"]]
            response = render(request, "news/article_unavailable.html", context)
            response["X-Robots-Tag"] = "noindex"
            return response
        now = timezone.now()
        context.update(queries.neighbours(article, now))
        # A preview's article comes from another query, without has_tags and has_attachments.
        context["tags"] = tags = queries.article_tags(article=article.pk) if getattr(article, "has_tags", True) else []
        context["related_articles"] = queries.related_articles(article, now, tags)
        context["attachments"] = attachments = (
            queries.article_attachments(article=article.pk) if getattr(article, "has_attachments", True) else []
        )
        if preview:
            url = self.attachment_url(article)
            for attachment in attachments:
                attachment.preview_url = url(attachment)
        context["read_count"] = visits.article_reads(article.pk)
        context.update(document_context(article, now))
        if context.get("document") and context.get("meta", {}).get("json_ld"):
            meta = context["meta"]
            meta["json_ld"] = legislation_json_ld(meta["json_ld"], context["document"], context["validity"])
        # None: nothing kept (a preview, an article loaded with deferred fields): rendered afresh.
        context["kept_key"] = None if article_key is None else self.kept_key(article_key, article, context)
        context["meta_key"] = self.meta_key(request, context)
        response = self.render_to_response(context)
        response[ARTICLE_HEADER] = str(article.pk)  # counted as a read by the visit middleware
        return response

    @staticmethod
    def article_key(request, article):
        """A digest of the article's and its column's rows, the language, time zone, address
        (scheme, host, script prefix) and the site's name: what the page's language links, meta
        and kept parts follow from, besides the other rows ``kept_key`` adds."""
        return fragments.digest(
            (
                translation.get_language(),
                timezone.get_current_timezone_name(),
                request.scheme,
                request.get_host(),
                get_script_prefix(),
                fragments.row_values(article),
                fragments.row_values(article.column),
                site_settings_for(request).site_name,
            )
        )

    @staticmethod
    def kept_key(article_key, article, context):
        """The digest the parts of the page around the read count and the policy document are
        kept under (templates/news/article_detail.html ``{% kept %}``): of everything they show
        (``article_key`` and the other rows), so that any change to it, however made, renders
        them afresh (news/pagecache/fragments.py)."""
        return fragments.digest(
            (
                article_key,
                fragments.row_values(article.region),
                [fragments.row_values(tag) for tag in context["tags"]],
                [fragments.row_values(attachment) for attachment in context["attachments"]],
                context["previous_article"],
                context["next_article"],
                context["related_articles"],
            )
        )

    @staticmethod
    def meta_key(request, context):
        """The digest the head's meta tags are kept under (templates/base.html ``{% kept meta_key
        "meta" %}``): ``kept_key`` and what else ``seo.page_meta`` reads on an article page, the
        site's settings row and the share picture's address. None (rendered afresh) without a
        ``kept_key`` and on a policy document's page, whose JSON-LD and keywords follow from the
        document's rows."""
        if context["kept_key"] is None or context.get("document") is not None:
            return None
        site_settings = site_settings_for(request)
        return fragments.digest((context["kept_key"], fragments.row_values(site_settings), seo.share_image_path()))


# The largest id a database holds (a 64-bit integer): a bigger one in an address is a 404.
BIGGEST_ID = 2**63 - 1


class PageDetailView(PageMetaMixin, DetailView):
    model = StaticPage
    template_name = "news/page_detail.html"
    context_object_name = "page"

    def get_meta(self, context):
        return {"title": self.object.title, "description": Truncator(plain_text(self.object.body)).chars(160)}
