"""Reader pages. Every article query goes through ``Article.objects.published()``."""

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.http import FileResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, ListView, TemplateView

from .context_processors import language_links
from .documents import download_name, media_type
from .models import Article, Attachment, Column, Page

HOME_LATEST_PER_COLUMN = 6
HOME_FEATURED = 4


class HomeView(TemplateView):
    template_name = "news/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        public = Article.objects.public().for_listing()
        context["featured"] = list(public.filter(featured=True)[:HOME_FEATURED])
        # The newest few of every column in one query, whatever the number of columns.
        latest = public.annotate(
            column_rank=Window(
                RowNumber(), partition_by=F("column_id"), order_by=[F("publish_at").desc(), F("pk").desc()]
            )
        ).filter(column_rank__lte=HOME_LATEST_PER_COLUMN)
        by_column = {}
        for article in latest:
            by_column.setdefault(article.column, []).append(article)
        context["column_blocks"] = sorted(by_column.items(), key=lambda item: (item[0].order, item[0].pk))
        return context


class ColumnDetailView(ListView):
    template_name = "news/column_detail.html"
    context_object_name = "articles"
    paginate_by = 20

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
        context.update(self.neighbours(article))
        context["related_articles"] = related_articles(article)
        context["attachments"] = list(article.attachments.all())
        return self.render_to_response(context)

    @staticmethod
    def neighbours(article):
        siblings = Article.objects.public().for_listing().filter(column_id=article.column_id)
        at = article.publish_at
        older = Q(publish_at__lt=at) | Q(publish_at=at, pk__lt=article.pk)
        newer = Q(publish_at__gt=at) | Q(publish_at=at, pk__gt=article.pk)
        return {
            "previous_article": siblings.filter(older).order_by("-publish_at", "-pk").first(),
            "next_article": siblings.filter(newer).order_by("publish_at", "pk").first(),
        }


RELATED_ARTICLES = 5


def related_articles(article, limit=RELATED_ARTICLES):
    """Public articles in the page's language sharing a tag or the column, newest first: one query."""
    sharing_a_tag = Article.tags.through.objects.filter(
        tag_id__in=Article.tags.through.objects.filter(article_id=article.pk).values("tag_id")
    ).values("article_id")
    return list(
        Article.objects.public()
        .for_listing()
        .filter(Q(column_id=article.column_id) | Q(pk__in=sharing_a_tag))
        .exclude(pk=article.pk)[:limit]
    )


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
