"""Previews of articles that are not public yet, exactly as the public page will show them.

Staff preview from the admin (``ArticleAdmin.preview_view``). A reviewer without an account
gets a signed link (``django.core.signing``) that names the article and expires after
``settings.PORTAL_PREVIEW_LINK_MAX_AGE`` seconds; nothing is stored, and a changed secret key
invalidates every link. Preview responses are never cached nor indexed.
"""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control

from .models import Article, Attachment
from .views.files import download
from .views.reader import ArticleDetailView

SALT = "news.preview"


def make_token(article):
    return signing.dumps({"article": article.pk}, salt=SALT)


def article_for_token(token):
    """The article a token names, or ``Http404`` when the token is forged, altered or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PORTAL_PREVIEW_LINK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        raise Http404("Invalid or expired preview link") from None
    return get_object_or_404(Article.objects.select_related("column"), pk=data["article"])


def signed_url(article, language):
    with translation.override(language):
        return reverse("news:article-preview", kwargs={"token": make_token(article)})


def private(response):
    """Previews are for the people holding the link: no shared cache keeps them, no search engine lists them."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class ArticlePreviewView(ArticleDetailView):
    """An article, public or not, exactly as its public page shows it, never cached nor indexed.

    ``as_view(article=…, language=…, url_for=…)`` for the admin's preview; by default the article
    comes from the signed token in the address and the language from the address's prefix.
    ``url_for(language)`` gives the language switcher's addresses.
    """

    article = None
    language = None
    url_for = None

    def get_object(self, queryset=None):
        return self.article or article_for_token(self.kwargs["token"])

    def attachment_url(self, article):
        """The preview's attachments are downloaded through the same signed token: the public
        address answers 404 until the article is published."""
        token = self.kwargs.get("token") or make_token(article)
        return lambda attachment: reverse("news:attachment-preview", kwargs={"token": token, "pk": attachment.pk})

    def get(self, request, *args, **kwargs):
        self.object = article = self.get_object()
        url_for = self.url_for or (lambda code: signed_url_for_token(self.kwargs["token"], code))
        with translation.override(self.language or translation.get_language()):
            response = self.render_article(request, article, url_for=url_for, preview=True)
            if hasattr(response, "render"):
                response.render()
        return private(response)


def render_preview(request, article, language, url_for):
    """The preview of ``article`` in ``language``, for the admin (see ``ArticlePreviewView``)."""
    return ArticlePreviewView.as_view(article=article, language=language, url_for=url_for)(request)


signed_preview = ArticlePreviewView.as_view()


def signed_url_for_token(token, language):
    with translation.override(language):
        return reverse("news:article-preview", kwargs={"token": token})


def attachment_preview(request, token, pk):
    """An attachment of the article a preview token names, public or not, never cached."""
    article = article_for_token(token)
    return private(download(get_object_or_404(Attachment, pk=pk, article=article)))
