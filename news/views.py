"""Reader pages. Every article query goes through ``Article.objects.published()``."""

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, ListView, TemplateView

from .context_processors import language_links
from .models import Article, Column, Page

HOME_LATEST_PER_COLUMN = 6
HOME_FEATURED = 4


class HomeView(TemplateView):
    template_name = "news/home.html"

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
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        rows = Article.objects.for_listing().filter(pk__in=ids).order_by(*self.object_list.query.order_by)
        return self._get_page(rows, number, self)


class ColumnDetailView(ListView):
    template_name = "news/column_detail.html"
    context_object_name = "articles"
    paginate_by = 20
    paginator_class = IndexedPaginator

    def get_queryset(self):
        self.column = get_object_or_404(Column, slug=self.kwargs["slug"])
        return Article.objects.public().for_listing().filter(column=self.column)

    def get_context_data(self, **kwargs):
        return super().get_context_data(column=self.column, **kwargs)


class ArticleDetailView(DetailView):
    template_name = "news/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().select_related("column")

    def get(self, request, *args, **kwargs):
        self.object = article = self.get_object()
        canonical = article.get_absolute_url()
        if request.path != canonical:
            # An old or mistyped slug never 404s: it moves to the current address.
            return redirect(canonical, permanent=True)
        language = translation.get_language()
        available = article.available_languages()
        urls = {code: article.get_absolute_url(code) for code in available}
        context = self.get_context_data(object=article, language_links=language_links(request, urls))
        if language not in available:
            context["other_versions"] = [link for link in context["language_links"] if link["url"]]
            response = render(request, "news/article_unavailable.html", context)
            response["X-Robots-Tag"] = "noindex"
            return response
        context.update(self.neighbours(article))
        return self.render_to_response(context)

    @staticmethod
    def neighbours(article):
        siblings = Article.objects.public().for_listing().filter(column_id=article.column_id)
        at = article.publish_at
        # A range on publish_at first (so the walk down the column index starts at this
        # article, whatever the column's size), then the tie-break among equal times.
        older = siblings.filter(publish_at__lte=at).exclude(publish_at=at, pk__gte=article.pk)
        newer = siblings.filter(publish_at__gte=at).exclude(publish_at=at, pk__lte=article.pk)
        return {
            "previous_article": older.order_by("-publish_at", "-pk").first(),
            "next_article": newer.order_by("publish_at", "pk").first(),
        }


class PageDetailView(DetailView):
    model = Page
    template_name = "news/page_detail.html"
    context_object_name = "page"


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """The 500 page in the reader's language with the site's header and footer.

    The site context processor copes with a database that is away, so this page
    still renders when that is the cause of the error.
    """
    try:
        return render(request, template_name, status=500)
    except Exception:  # noqa: BLE001 - last resort: never raise from the error handler.
        return HttpResponseServerError(PLAIN_SERVER_ERROR, content_type="text/html; charset=utf-8")


PLAIN_SERVER_ERROR = """<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><title>服务器错误 Server error</title>
<h1>服务器错误</h1><p>请稍后再试。</p><h1 lang="en">Server error</h1><p lang="en">Please try again later.</p></html>"""
