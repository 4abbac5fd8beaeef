"""Reader pages. Every article query goes through ``Article.objects.published()``."""

import sys
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, ListView, MonthArchiveView, TemplateView, YearArchiveView
from django.views.static import serve

from . import cache as page_cache
from . import faults, search, seo, visits
from .context_processors import language_links, site_settings_for
from .documents import download_name, media_type
from .forms import SearchForm
from .middleware import ARTICLE_HEADER
from .models import Article, Attachment, Column, Page, Region, Tag, localized
from .prepared import PreparedQuery
from .ratelimit import rate_limited
from .storage import SANDBOX_POLICY, media_headers

HOME_LATEST_PER_COLUMN = 6
HOME_FEATURED = 4


class PageMetaMixin:
    """Adds ``meta``: what the page tells search engines and link previews (includes/meta.html)."""

    def get_meta(self, context):
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meta"] = self.get_meta(context)
        return context


class HomeView(PageMetaMixin, TemplateView):
    template_name = "news/home.html"

    def get_meta(self, context):
        return {
            "description": _("Investment news, policies, the investment environment and projects seeking partners.")
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        public = Article.objects.public().for_listing()
        context["featured"] = list(public.filter(featured=True)[:HOME_FEATURED])
        by_column = {}
        # By primary key: the ids are public already, and repeating the filter would make the
        # planner walk the whole list index instead.
        newest = Article.objects.for_listing().filter(pk__in=newest_per_column(public, HOME_LATEST_PER_COLUMN))
        for article in newest:
            by_column.setdefault(article.column, []).append(article)
        context["column_blocks"] = sorted(by_column.items(), key=lambda item: (item[0].order, item[0].pk))
        return context


def newest_per_column(articles, count):
    """The ids of the ``count`` newest ``articles`` of every column, in one query.

    One row per column with ``count`` scalar subqueries, each a short walk down the column's
    list index, so the cost does not grow with the number of articles (a window function
    over every public article would).
    """
    newest = articles.filter(column=OuterRef("pk")).order_by("-publish_at", "-pk").values("pk")
    rows = Column.objects.order_by().values_list(
        *(Subquery(newest[position : position + 1]) for position in range(count))
    )
    return [pk for row in rows for pk in row if pk is not None]


class IndexedPaginator(Paginator):
    """Pages of an article list fetched in two steps, so that page 500 costs what page 1 does.

    The page's ids come from the list index alone (an index-only scan that skips the rows of
    earlier pages without reading them), then only those rows are read, by primary key. With a
    plain OFFSET, PostgreSQL reads every skipped row or, past a few thousand, sorts the whole
    column instead.

    ``remember_as`` names the list when its count (a scan of its whole index, the same on every
    page of it) may be kept per content version in the shared cache (``page_cache.remembered``).
    """

    remember_as = None

    @cached_property
    def count(self):
        if self.remember_as is None:
            return super().count
        return page_cache.remembered(f"count:{self.remember_as}", lambda: Paginator.count.func(self))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        rows = Article.objects.for_listing().filter(pk__in=ids).order_by(*self.object_list.query.order_by)
        return self._get_page(rows, number, self)


MOST_READ_COUNT = 5


class ColumnArticlesMixin:
    """The public articles of the column named in the URL, newest first."""

    def get_queryset(self):
        self.column = get_object_or_404(Column, slug=self.kwargs["slug"])
        return Article.objects.public().for_listing().filter(column=self.column)


class ColumnDetailView(ColumnArticlesMixin, PageMetaMixin, ListView):
    template_name = "news/column_detail.html"
    context_object_name = "articles"
    paginate_by = 20
    paginator_class = IndexedPaginator

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.remember_as = f"column:{self.column.pk}:{translation.get_language()}"
        return paginator

    def get_context_data(self, **kwargs):
        public = Article.objects.public().filter(column=self.column)
        return super().get_context_data(
            column=self.column,
            most_read=list(public.most_read(days=30).for_listing()[:MOST_READ_COUNT]),
            # The same on every page of the column, and it reads every article of it.
            archive_months=page_cache.remembered(
                f"archive-months:{self.column.pk}:{translation.get_language()}",
                public.archive_months,
            ),
            **kwargs,
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


class ColumnArchiveMixin(ColumnArticlesMixin, PageMetaMixin):
    """A column's articles in a year or a month (generic date views, dates in Asia/Shanghai)."""

    template_name = "news/column_archive.html"
    context_object_name = "articles"
    date_field = "publish_at"
    paginate_by = 20
    allow_empty = False
    month_format = "%m"

    def get_context_data(self, **kwargs):
        return super().get_context_data(column=self.column, **kwargs)


class ColumnYearArchiveView(ColumnArchiveMixin, YearArchiveView):
    make_object_list = True

    def get_meta(self, context):
        return {"title": f"{self.column.name} · {self.get_year()}"}


class ColumnMonthArchiveView(ColumnArchiveMixin, MonthArchiveView):
    def get_meta(self, context):
        return {"title": f"{self.column.name} · {self.get_year()}-{int(self.get_month()):02d}"}


class ArticleListByView(PageMetaMixin, ListView):
    """Articles sharing a tag or a region, newest first."""

    template_name = "news/article_list_by.html"
    context_object_name = "articles"
    paginate_by = 20
    paginator_class = IndexedPaginator
    model = None
    lookup = None

    def get_queryset(self):
        self.subject = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return Article.objects.public().for_listing().filter(**{self.lookup: self.subject})

    def get_meta(self, context):
        return {"title": self.subject.name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, kind=self.model._meta.verbose_name, **kwargs)


class TagView(ArticleListByView):
    model = Tag
    lookup = "tags"


class RegionView(ArticleListByView):
    model = Region
    lookup = "region"


class ArticleDetailView(PageMetaMixin, DetailView):
    """An article. Its queries are prepared once per process (news/prepared.py): building them
    with the ORM on every request cost more than all the rest of an uncached article page."""

    template_name = "news/article_detail.html"
    context_object_name = "article"

    def get_meta(self, context):
        if not self.object.is_available_in(translation.get_language()):
            return {"title": _("Not available in this language")}
        return seo.article_meta(self.request, self.object, site_settings_for(self.request).site_name)

    def get_object(self, queryset=None):
        pk = self.kwargs["pk"]
        found = PUBLISHED_ARTICLE(pk=pk, now=timezone.now()) if pk <= BIGGEST_ID else []
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
        urls = {code: (url_for or article.get_absolute_url)(code) for code in available}
        context = self.get_context_data(object=article, language_links=language_links(request, urls), preview=preview)
        if language not in available:
            context["other_versions"] = [link for link in context["language_links"] if link["url"]]
            response = render(request, "news/article_unavailable.html", context)
            response["X-Robots-Tag"] = "noindex"
            return response
        now = timezone.now()
        context.update(self.neighbours(article, now))
        # A preview's article comes from another query, without has_tags and has_attachments.
        context["tags"] = tags = ARTICLE_TAGS(article=article.pk) if getattr(article, "has_tags", True) else []
        context["related_articles"] = related_articles(article, now, tags)
        context["attachments"] = (
            ARTICLE_ATTACHMENTS(article=article.pk) if getattr(article, "has_attachments", True) else []
        )
        context["read_count"] = visits.article_reads(article.pk)
        response = self.render_to_response(context)
        response[ARTICLE_HEADER] = str(article.pk)  # counted as a read by the visit middleware
        return response

    @staticmethod
    def neighbours(article, now=None):
        values = {"column": article.column_id, "at": article.publish_at, "pk": article.pk, "now": now or timezone.now()}
        found = {"previous_article": None, "next_article": None}
        for other in map(ArticleLink._make, NEIGHBOURS_IN_COLUMN(**values)):
            older = (other.publish_at, other.pk) < (article.publish_at, article.pk)
            found["previous_article" if older else "next_article"] = other
        return found


# The largest id a database holds (a 64-bit integer): a bigger one in an address is a 404.
BIGGEST_ID = 2**63 - 1

# The article, and whether it has tags and attachments: most have neither, and then the page
# runs no query for them (two round trips fewer on PostgreSQL).
PUBLISHED_ARTICLE = PreparedQuery(
    lambda pk, now: (
        Article.objects.published(now)
        .select_related("column", "region")
        .annotate(
            has_tags=Exists(Article.tags.through.objects.filter(article_id=OuterRef("pk"))),
            has_attachments=Exists(Attachment.objects.filter(article_id=OuterRef("pk"))),
        )
        .filter(pk=pk)
    ),
    pk=int,
    now=datetime,
)
ARTICLE_TAGS = PreparedQuery(lambda article: Tag.objects.filter(articles=article), article=int)
ARTICLE_ATTACHMENTS = PreparedQuery(lambda article: Attachment.objects.filter(article=article), article=int)


def _neighbours(column, at, pk, now):
    """The articles just before and after ``at``/``pk`` in ``column``, among public ones: one query.

    Each is a scalar subquery that walks the column index from this article and stops; the outer
    query fetches those two rows by key (``IN (subquery) OR IN (subquery)`` made PostgreSQL scan
    the whole table and test each row against both).
    """
    siblings = Article.objects.public(now=now).filter(column_id=column).values("pk")
    # A range on publish_at first (so the walk down the column index starts at this
    # article, whatever the column's size), then the tie-break among equal times.
    older = siblings.filter(publish_at__lte=at).exclude(publish_at=at, pk__gte=pk).order_by("-publish_at", "-pk")
    newer = siblings.filter(publish_at__gte=at).exclude(publish_at=at, pk__lte=pk).order_by("publish_at", "pk")
    return links().filter(Q(pk=Subquery(older[:1])) | Q(pk=Subquery(newer[:1])))


class ArticleLink(NamedTuple):
    """What a link to an article shows, for the lists under an article: a row, not a model
    instance (building one of those, with every translated field, cost more than its query)."""

    pk: int
    slug: str
    title: str
    publish_at: datetime

    def get_absolute_url(self, language=None):
        return Article.get_absolute_url(self, language)


def links():
    """ArticleLink rows: the title's column named for the active language (prepared queries are
    compiled per language), so modeltranslation has nothing to rewrite."""
    title = localized("title", translation.get_language())
    return Article.objects.rewrite(False).values_list("pk", "slug", title, "publish_at")


NEIGHBOURS_IN_COLUMN = PreparedQuery(_neighbours, column=int, at=datetime, pk=int, now=datetime)


RELATED_ARTICLES = 5


def _newest(articles, limit=RELATED_ARTICLES):
    return articles.order_by("-publish_at", "-pk")[:limit]


def _sharing_a_tag(article):
    """The ids of the articles that have one of ``article``'s tags (``article`` among them)."""
    tagged = Article.tags.through.objects
    return tagged.filter(tag_id__in=tagged.filter(article_id=article).values("tag_id")).values("article_id")


# The newest public articles of a column, and those sharing a tag with an article, but that
# article: each query walks an index and stops (a single "column OR tag" query had the database
# collect and sort every public article of the column).
RELATED_IN_COLUMN = PreparedQuery(
    lambda article, column, now: _newest(links().public(now=now).filter(column_id=column).exclude(pk=article)),
    article=int,
    column=int,
    now=datetime,
)
RELATED_BY_TAG = PreparedQuery(
    lambda article, now: _newest(links().public(now=now).filter(pk__in=_sharing_a_tag(article)).exclude(pk=article)),
    article=int,
    now=datetime,
)


def related_articles(article, now=None, tags=None):
    """Public articles in the page's language sharing a tag or the column, newest first.

    ``tags`` are the article's (read when not given); without any, no tag query is run.
    """
    now = now or timezone.now()
    if tags is None:
        tags = ARTICLE_TAGS(article=article.pk)
    rows = RELATED_IN_COLUMN(article=article.pk, column=article.column_id, now=now)
    if tags:
        rows += RELATED_BY_TAG(article=article.pk, now=now)
    found = {row[0]: ArticleLink._make(row) for row in rows}
    return sorted(found.values(), key=lambda link: (link.publish_at, link.pk), reverse=True)[:RELATED_ARTICLES]


@method_decorator(rate_limited("search", "SEARCH_RATE_LIMIT"), name="dispatch")
class SearchView(PageMetaMixin, ListView):
    template_name = "news/search.html"
    context_object_name = "hits"
    paginate_by = 20

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
        return super().get_context_data(form=self.form, query=self.query, **kwargs)


def attachment_download(request, pk):
    """An attachment of a public article, saved by the browser under its title (never shown inline)."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("article"), pk=pk, article__in=Article.objects.published()
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment.title, attachment.file.name),
        content_type=media_type(attachment.file.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve_media(request, path):
    """Uploaded files when the app serves them itself (``SERVE_MEDIA``).

    Only the types in ``storage.media_headers`` are served, with their own type: an
    ``.html`` or ``.svg`` put in the folder by other means is a 404, never a page.
    """
    headers = media_headers(path)
    if headers is None:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        response["Content-Type"], disposition = headers
        if disposition:
            response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    return response


class PageDetailView(PageMetaMixin, DetailView):
    model = Page
    template_name = "news/page_detail.html"
    context_object_name = "page"

    def get_meta(self, context):
        return {"title": self.object.title, "description": Truncator(strip_tags(self.object.body)).chars(160)}


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin): send them to ours."""
    return redirect(static("img/favicon.svg"), permanent=True)


def robots_txt(request):
    """Crawlers may read everything public but the search results; the sitemap lists the rest."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{code}/search/" for code, _name in settings.LANGUAGES]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """The 500 page in the reader's language with the site's header and footer.

    The site context processor copes with a database that is away, so this page
    still renders when that is the cause of the error; but an unreachable database gets
    the 503 page of news/faults.py instead (Django calls this for any exception raised
    in a view or a middleware).
    """
    unavailable = faults.database_unavailable(sys.exc_info()[1])
    try:
        if unavailable is not None:
            return faults.service_unavailable(request, unavailable)
        return render(request, template_name, status=500)
    except Exception:  # noqa: BLE001 - last resort: never raise from the error handler.
        response = HttpResponseServerError(PLAIN_SERVER_ERROR, content_type="text/html; charset=utf-8")
        if unavailable is not None:
            response.status_code = 503
            response["Retry-After"] = str(faults.RETRY_AFTER_SECONDS)
        return response


PLAIN_SERVER_ERROR = """<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><title>服务器错误 Server error</title>
<h1>服务器错误</h1><p>请稍后再试。</p><h1 lang="en">Server error</h1><p lang="en">Please try again later.</p></html>"""
