"""Search over projects and zones, in the page's language, beside the articles' full-text search.

Each project and zone has one ``ServiceSearchDocument`` per language it is written in: its name,
summary and prose segmented the way the article index segments them (``news.search.segment``:
NFKC, traditional to simplified, rjieba in search mode), English words stemmed, kept current on
every save. There are hundreds of projects and zones, not hundreds of thousands of articles, so
a document matches when it holds every word of the query (a LIKE per word over the language's
rows) instead of a second full-text engine. Results pass the records' own ``public()`` gates;
the search page shows them above the articles.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from ..i18n import language_codes, localized
from ..search import Query, _stem, highlight, segment
from ..text import plain_text
from .models import DevelopmentZone, Project
from .models.search import ServiceSearchDocument

Kind = ServiceSearchDocument.Kind
LIMIT = 5
PLAIN_TEXT_LENGTH = 4000
# What is indexed of each kind: (title field, other text fields).
FIELDS = {
    Kind.PROJECT: ("title", ("summary", "site", "body")),
    Kind.ZONE: ("name", ("short_name", "overview", "location_transport", "infrastructure", "land_and_space")),
}
# What the search page shows of each kind (templates/news/search.html), and what ranks it.
SHOWN = {
    Kind.PROJECT: ("code", "title", "slug", "publish_at", "region__name"),
    Kind.ZONE: ("name", "slug", "level", "publish_at", "region__name"),
}


def words(text):
    """`` word word … ``: the segmented, stemmed words of ``text`` framed by spaces."""
    return " " + " ".join(_stem(word) for word in segment(text)) + " "


def kind_of(obj):
    return Kind.PROJECT if isinstance(obj, Project) else Kind.ZONE


def document_values(obj, language):
    """The index row of ``obj`` (a project or zone) in ``language``, or None when not written in it."""
    if not obj.is_available_in(language):
        return None
    title_field, others = FIELDS[kind_of(obj)]
    title = getattr(obj, localized(title_field, language)) or ""
    text = " ".join(plain_text(getattr(obj, localized(name, language)) or "") for name in others).strip()
    return {"title_words": words(title), "words": words(f"{title} {text}"), "text": text[:PLAIN_TEXT_LENGTH]}


def index(obj):
    """Bring the search documents of ``obj`` up to date, one per language it is written in."""
    kind = kind_of(obj)
    with transaction.atomic():
        ServiceSearchDocument.objects.filter(kind=kind, object_id=obj.pk).delete()
        ServiceSearchDocument.objects.bulk_create(
            ServiceSearchDocument(kind=kind, object_id=obj.pk, language=language, **values)
            for language in language_codes()
            if (values := document_values(obj, language)) is not None
        )


def forget(obj):
    ServiceSearchDocument.objects.filter(kind=kind_of(obj), object_id=obj.pk).delete()


def index_saved(sender, instance, raw=False, **kwargs):
    """``post_save`` receiver (connected in ``InvestmentConfig.ready``); fixtures (``raw``) are left out."""
    if not raw:
        index(instance)


def forget_deleted(sender, instance, **kwargs):
    forget(instance)


def rebuild():
    """Index every project and zone again; returns how many records were indexed."""
    count = 0
    with transaction.atomic():
        ServiceSearchDocument.objects.all().delete()
        for model in (Project, DevelopmentZone):
            for obj in model.objects.order_by("pk").iterator():
                index(obj)
                count += 1
    return count


@dataclass
class ServiceHit:
    kind: str
    obj: object
    snippet: str


def find(raw_query, language, limit=LIMIT, now=None):
    """Public projects and zones in ``language`` holding every word of ``raw_query``: a list of
    ``ServiceHit``, zones first, then projects, at most ``limit`` of each; within each kind, those
    whose name holds more of the words first, then the newest.

    At most four small queries: the matching index rows of both kinds (their kind, id and name's
    words: how many of the words the name holds is counted here); for each kind with a match, its
    ``public()`` gate over the matching ids, ranked and limited in SQL, so that no number of
    matching drafts, expired or withdrawn records can push a public one out before the gate; the
    texts of the hits, for their excerpts. Only what the search page shows is loaded of a record.
    A search that matches nothing asks one."""
    query = raw_query if isinstance(raw_query, Query) else Query.parse(raw_query)
    if not query.terms:
        return []
    terms = [_stem(term) for term in query.terms]
    documents = ServiceSearchDocument.objects.filter(language=language)
    for term in terms:
        documents = documents.filter(words__contains=f" {term} ")
    in_title = {Kind.ZONE: {}, Kind.PROJECT: {}}
    for kind, object_id, title_words in documents.values_list("kind", "object_id", "title_words"):
        # Words are lower-cased on both sides, so this counts what SQL's LIKE would.
        in_title[kind][object_id] = sum(f" {term} " in title_words for term in terms)
    now = now or timezone.now()
    found = []
    for kind, model in ((Kind.ZONE, DevelopmentZone), (Kind.PROJECT, Project)):
        if not in_title[kind]:
            continue
        by_count = {}
        for object_id, count in in_title[kind].items():
            if count:
                by_count.setdefault(count, []).append(object_id)
        objects = (
            model.objects.public(language, now)
            .filter(pk__in=list(in_title[kind]))
            .select_related("region")
            .only(*SHOWN[kind])
        )
        order = ["-publish_at", "-pk"]
        if by_count:
            ranks = [When(pk__in=ids, then=Value(count)) for count, ids in sorted(by_count.items(), reverse=True)]
            objects = objects.alias(search_in_title=Case(*ranks, default=Value(0)))
            order.insert(0, "-search_in_title")
        found += [(kind, obj) for obj in objects.order_by(*order)[:limit]]
    if not found:
        return []
    wanted = Q()
    for kind in (Kind.ZONE, Kind.PROJECT):
        ids = [obj.pk for hit_kind, obj in found if hit_kind == kind]
        if ids:
            wanted |= Q(kind=kind, object_id__in=ids)
    texts = {
        (kind, object_id): text
        for kind, object_id, text in documents.filter(wanted).values_list("kind", "object_id", "text")
    }
    return [ServiceHit(kind, obj, highlight(texts[kind, obj.pk], query.terms)) for kind, obj in found]
