"""The policy library (政策文件库): the list with its facets and search, feeds per topic, and
index numbers as addresses."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .. import search
from ..context_processors import language_links
from ..models import Article
from ..views.reader import read_query
from .feeds import TopicFeed
from .filters import PolicyFilterForm, number_matches
from .models import DocumentMeta, TopicCategory

PER_PAGE = 20

# Topic addresses that migration 0006 renamed or removed (its docstring says why), each to the topic
# that holds its documents now: a subtopic that moved keeps its name under its new topic; one that
# does not exist in the State Council's list had its documents moved to its topic's 其他, or to the
# topic itself where that has no 其他. Old links and subscribed feeds follow them (301).
MOVED_TOPICS = {
    "energy-saving": "energy-saving-and-resource-use",
    "surveying": "meteorology-hydrology-surveying-seismology",
    "banking": "finance-other",
    "energy": "land-other",
    "industry": "industry-other",
    "transport": "industry-other",
    "services": "trade-other",
    "market-regulation": "market-other",
    "family-planning": "population-other",
    "foreign-affairs-general": "foreign-affairs-other",
    "ethnic-other": "ethnic-and-religious-affairs",
    "defence-other": "national-defence",
}


def moved_topic(request, slug, name, keyword):
    """A 301 to where the topic ``slug`` of before migration 0006 is now (``name``: the URL name,
    ``keyword``: its argument), keeping the parameters the library reads (its filters and the page)
    and no other, as every link of a cached page does; ``Http404`` for any other slug."""
    if slug not in MOVED_TOPICS:
        raise Http404
    kept = QueryDict(mutable=True)
    for key in [*PolicyFilterForm.base_fields, "page"]:
        if key != "topic" and key in request.GET:
            kept.setlist(key, request.GET.getlist(key))
    url = reverse(name, kwargs={keyword: MOVED_TOPICS[slug]})
    return HttpResponsePermanentRedirect(f"{url}?{kept.urlencode()}" if kept else url)


_topic_feed = TopicFeed.as_view()


def topic_feed(request, slug):
    """``/<lang>/policies/topic/<slug>/feed/``: the topic's feed (``TopicFeed``); a topic's old
    address redirects (``MOVED_TOPICS``)."""
    if slug in MOVED_TOPICS and not TopicCategory.objects.filter(slug=slug).exists():
        return moved_topic(request, slug, "policies:topic-feed", "slug")
    return _topic_feed(request, slug=slug)


def public_documents(now=None, language=None):
    """Metadata of the policy documents a reader of ``language`` (default: active) may see."""
    return DocumentMeta.objects.filter(article__in=Article.objects.public(language, now).values("pk"))


def library(request, topic=None):
    """``/<lang>/policies/`` (and ``/<lang>/policies/topic/<slug>/``): the library.

    With words in the search box, a document number typed any usual way (吉政发 2025 7,
    2025年7号) lists its document first, then the full-text matches, best first.
    """
    now = timezone.now()
    data = request.GET.copy()
    if topic is not None:
        found = TopicCategory.objects.filter(slug=topic).values_list("slug", flat=True).first()
        if found is None:
            return moved_topic(request, topic, "policies:topic", "topic")
        data["topic"] = found
    form = PolicyFilterForm(data)
    documents = form.filter(public_documents(now), now)
    query = (getattr(form, "cleaned_data", {}) or {}).get("q", "").strip()
    if query:
        first = []
        if typed := form.document_number():
            first = list(number_matches(documents, typed).values_list("article_id", flat=True))
        text = search.search(
            query, translation.get_language(), Article.objects.filter(pk__in=documents.values("article_id"))
        )
        ranked = first + [pk for pk in text.ids() if pk not in first]
        paginator = Paginator(ranked, PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        rows = documents.select_related("article", "lead_issuer", "topic").in_bulk(
            list(page.object_list), field_name="article_id"
        )
        items = [rows[pk] for pk in page.object_list if pk in rows]
    else:
        paginator = Paginator(documents.select_related("article", "lead_issuer", "topic"), PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        items = list(page.object_list)
    kept = read_query(request, (*PolicyFilterForm.base_fields, "page"))
    context = {
        "page_query": kept,
        "language_links": language_links(request, query=kept),
        "form": form,
        "page_obj": page,
        "paginator": paginator,
        "is_paginated": paginator.num_pages > 1,
        "documents": items,
        "topic": form.cleaned_data.get("topic") if topic else None,
        "meta": {"title": _("Policy library")},
    }
    return TemplateResponse(request, "policies/library.html", context)


def by_index_number(request, index_number):
    """``/<lang>/policies/index/<index number>/``: 301 to the document (people quote index numbers)."""
    meta = (
        public_documents(language=translation.get_language())
        .select_related("article")
        .filter(index_number=index_number)
        .first()
        or DocumentMeta.objects.filter(index_number=index_number, article__in=Article.objects.published().values("pk"))
        .select_related("article")
        .first()
    )
    if meta is None:
        raise Http404("No public document has this index number")
    return redirect(meta.article.get_absolute_url(), permanent=True)
