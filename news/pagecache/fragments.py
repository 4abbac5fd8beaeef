"""Cards: one list item of an article or a project, rendered once per object, version and language.

A card shows only fields of its own object (title, summary, address, dates, code), so it is kept
under the object's primary key, the page's language and either a digest of what it shows (article
cards: the object is loaded anyway, and the card then follows a restore or an ``update()`` behind
the ORM) or its ``updated_at`` (``auto_now``: every save through the ORM moves it; project cards,
whose objects are loaded only for the cards not kept), in this process's ``template_fragments`` cache. Saving one
article makes only its own card render again: a list page rendered after an edit (every page is
a page-cache miss then, news/pagecache/version.py) writes the other 19 of its 20 items from
memory, and the project list reads only ``(id, updated_at)`` for the projects of kept cards.

A card template gets ``item`` and nothing else (no ``request``, no context processors), but for
the values of ``context`` a caller names (the same for every card of the call, and named in
``extra``): what it shows must follow from the object, those values and the active language alone.
Cards whose text depends on other rows (a project's sector names) pass ``extra``, a value that
changes whenever those rows do.

Article lists read only what a card shows (``CARD_FIELDS``) as ``CardRows``, and build articles for
the cards not kept; the ``{% cards %}`` and ``{% featured_cards %}`` tags (news/templatetags/portal.py)
render them.
"""

import functools
import hashlib

from django.core.cache import InvalidCacheBackendError, caches
from django.db.models.fields.files import FieldFile
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe

from ..i18n import all_columns_of, language_codes, localized
from ..models import Article

# Cards live as long as this at most; a changed object has another key at once.
CARD_SECONDS = 24 * 3600


def digest(values):
    return hashlib.blake2b(repr(values).encode(), digest_size=8).hexdigest()


def cards(items, template_name, extra="", load=None, shown=None, context=None):
    """The HTML of ``template_name`` rendered for each of ``items``, joined in their order;
    rendered anew only for those not kept yet (``card_list``)."""
    return mark_safe("".join(card_list(items, template_name, extra, load, shown, context)))  # noqa: S308 - see card_list


def card_list(items, template_name, extra="", load=None, shown=None, context=None):
    """The HTML of ``template_name`` rendered for each of ``items``, a list in their order;
    rendered anew only for those not kept yet.

    ``items``: objects with ``pk`` and ``updated_at``, or, with ``load``, ``(pk, updated_at)``
    rows (or ``(pk, digest)``, a string that changes whenever what the card shows does), and
    ``load(pks)`` returns ``{pk: object}`` for the cards not kept (so that a list whose
    cards are all kept reads two columns a row instead of building its objects).
    ``extra``: a short string added to every key (for parts that depend on other rows).
    ``shown(item)``: the values a card of a loaded item shows; the key then holds their digest
    instead of ``updated_at``, so the card follows its object however the row changed (a restore
    of a backup, an ``update()`` behind the ORM), not only through a save.
    ``context``: more template variables, the same for every card (their values in ``extra``).
    """
    if load is not None:
        rows = [(None, pk, stamp if isinstance(stamp, str) else stamp.timestamp()) for pk, stamp in items]
    elif shown is not None:
        rows = [(item, item.pk, digest(shown(item))) for item in items]
    else:
        rows = [(item, item.pk, item.updated_at.timestamp()) for item in items]
    if not rows:
        return []
    try:
        cache = caches["template_fragments"]
    except InvalidCacheBackendError:  # settings without it (as Django's {% cache %} tag falls back)
        cache = caches["default"]
    prefix = f"card:{template_name}:{translation.get_language()}:{extra}"
    keys = [f"{prefix}:{pk}:{stamp}" for _item, pk, stamp in rows]
    found = cache.get_many(keys)
    missing = [(key, item, pk) for key, (item, pk, _at) in zip(keys, rows, strict=True) if key not in found]
    if missing:
        loaded = load([pk for _key, _item, pk in missing]) if load is not None else {}
        template = get_template(template_name)
        context = context or {}
        rendered = {
            key: template.render({**context, "item": loaded[pk] if item is None else item}) for key, item, pk in missing
        }
        cache.set_many(rendered, CARD_SECONDS)
        found.update(rendered)
    return [mark_safe(found[key]) for key in keys]  # noqa: S308 - rendered by templates that escape


# What an article's card shows (includes/article_card*.html): its address, title, date and
# summary, the title and summary in every language (the card shows the page's).
CARD_FIELDS = ("slug", *all_columns_of("title"), "publish_at", *all_columns_of("summary"))


class ShownColumns:
    """What cards show (``fields``: ``CARD_FIELDS`` or ``FEATURED_CARD_FIELDS``) read without
    modeltranslation's rewriting, so that the query can be prepared (news/db/prepared.py):
    ``columns()`` names each translated field named without a language (``title``) by its column in
    the active language; ``rows(rows)`` turns the ``(pk, *columns())`` rows read into what
    modeltranslation's ``values_list("pk", *fields)`` gives (no fallback language is set): that
    column's value, or the field's default when it is empty."""

    def __init__(self, fields):
        self.fields = fields
        self.defaults = {
            position: Article._meta.get_field(name).get_default()
            for position, name in enumerate(fields)
            if localized(name, language_codes()[0]) in fields
        }

    def columns(self):
        code = translation.get_language()
        return [
            localized(name, code) if position in self.defaults else name for position, name in enumerate(self.fields)
        ]

    def rows(self, rows):
        """``(pk, *fields)`` tuples from the ``(pk, *columns())`` rows ``rows``."""
        found = []
        for row in rows:
            row = list(row)
            for position, default in self.defaults.items():
                if row[1 + position] is None or row[1 + position] == "":
                    row[1 + position] = default
            found.append(tuple(row))
        return found


class CardRows(list):
    """Rows ``(pk, *CARD_FIELDS)`` of a list page (``values_list("pk", *CARD_FIELDS)``): enough
    to find the kept cards without building an article per row. ``load(pks)``: ``{pk: article}``
    for the cards not kept (a page with several lists passes one that reads them all at once)."""

    def __init__(self, rows=(), load=None):
        super().__init__(rows)
        self.load = load or _listing_articles


class PageArticles:
    """``load`` for the lists of one page: the first call reads the articles of every one of
    ``pks`` (one query, however many lists miss cards), later calls take from them."""

    def __init__(self, pks):
        self.pks, self.found = pks, None

    def __call__(self, pks):
        if self.found is None:
            self.found = _listing_articles(self.pks)
        return {pk: self.found[pk] for pk in pks}


def article_card_values(article):
    """What ``article``'s card shows: its ``CARD_FIELDS`` values, a tuple in that order."""
    return tuple(getattr(article, name) for name in CARD_FIELDS)


def _listing_articles(pks):
    return {article.pk: article for article in Article.objects.for_listing().filter(pk__in=pks)}


# What a featured article's card shows (includes/featured_card.html): a card's, and its cover.
FEATURED_CARD_FIELDS = (*CARD_FIELDS, "cover_image", "cover_width", "cover_height", *all_columns_of("cover_alt"))


class FeaturedCardRows(CardRows):
    """Rows ``(pk, *FEATURED_CARD_FIELDS)`` of the home page's featured articles."""


# --- The article page's own parts -------------------------------------------------------------
#
# The article page (news/views/reader.py, templates/news/article_detail.html) keeps the parts of
# its content block around the read count and the policy-document section, each under a digest
# of everything those parts show (``article_page_digest``): the article's whole row, its column's
# and region's rows, its tags' and attachments' rows, the previous, next and related links, the
# language links, the site's name, the canonical address, the language, time zone and script
# prefix. Any change to any of them, by a save, a restore or an ``update()`` behind the ORM,
# gives another digest, so the parts render afresh; the content version is not in the key (an
# edit of something the page does not show leaves its parts kept). The home page keeps its featured
# and column blocks the same way, under a digest of their card and column rows (``HomeView.kept_key``).


@functools.cache
def _row_fields(model):
    """The attribute names of ``model``'s columns (its whole row)."""
    fields = model._meta.get_fields()
    return tuple(field.attname for field in fields if getattr(field, "concrete", False) and not field.many_to_many)


def row_values(instance):
    """``instance``'s row as loaded: the value of each of its columns, a tuple (None for None).

    Read from the instance's attributes as the database gave them (``vars()``), not through the
    field descriptors: modeltranslation's resolve each translated field for the active language,
    which costs more than the digest, and the per-language columns are in the row anyway.
    Long texts (bodies) are given as their length and ``hash()``: ``repr()`` of a body, as
    ``digest`` takes it, cost more than the rest of the key, and encoding it for ``blake2b`` as
    much. A ``str``'s ``hash()`` is SipHash under this process's random key (as good a 64-bit
    digest as ``digest``'s for values no one can choose to collide); the keys made of it differ
    from one process to another, so what one process keeps no other reads.

    ``ValueError`` for an instance loaded with deferred fields (``only()``, ``defer()``): a field
    not loaded is not in ``vars()`` and would leave its changes out of the key. Relies on Django
    (and modeltranslation) keeping each loaded field's value in the instance's ``__dict__`` under
    its ``attname`` (docs/upgrading.md)."""
    if instance is None:
        return None
    if instance.get_deferred_fields():
        raise ValueError(f"{type(instance).__name__} {instance.pk} was loaded without all its fields")
    loaded = vars(instance)
    return tuple([_short(loaded.get(name)) for name in _row_fields(type(instance))])


def _short(value):
    if type(value) is str:
        return (len(value), hash(value)) if len(value) > 64 else value
    if isinstance(value, FieldFile):
        # A file field's value is its name until first read through the field, then a FieldFile
        # (FileDescriptor): the same row either way, a long name shortened as its text would be.
        return _short(value.name)
    return value


# A part longer than this is not kept (a long policy document's body: up to 300,000 characters),
# so that an entry of the ``article_parts`` cache stays under ~100 KB (its parts, UTF-8, pickled).
# The home page's blocks take 100,000 (templates/news/home.html): ~12,000 on the harness's corpus,
# but summaries have no length limit, and there is one entry per language and state of the page.
KEPT_PART_MAX_CHARACTERS = 20_000


def kept_part(key, name, render, render_context, longest=KEPT_PART_MAX_CHARACTERS):
    """Part ``name`` of the parts kept under ``key`` (``None``: not kept), ``render()`` when it is not
    kept yet; a part longer than ``longest`` characters is rendered each time.

    The parts of one key are one entry of this process's fragments cache, a dict, read once per
    page (``render_context``, the template's per-render state, holds it for the next part)."""
    if key is None:
        return render()
    key = f"kept:{key}"
    parts = render_context.get(key)
    if parts is None:
        parts = render_context[key] = _parts_cache().get(key) or {}
    found = parts.get(name)
    if found is None:
        found = str(render())
        if len(found) <= longest:  # a long document's body is rendered each time
            parts[name] = found
            _parts_cache().set(key, parts, CARD_SECONDS)
    return mark_safe(found)  # noqa: S308 - rendered by a template that escapes


def kept_value(key):
    """A value ``keep_value`` kept under ``key`` in this process (a copy), or None."""
    return _parts_cache().get(key)


def keep_value(key, value):
    """Keep ``value`` (picklable) under ``key``, a digest of everything it follows from."""
    _parts_cache().set(key, value, CARD_SECONDS)


def _fragments_cache():
    try:
        return caches["template_fragments"]
    except InvalidCacheBackendError:  # settings without it (as Django's {% cache %} tag falls back)
        return caches["default"]


def _parts_cache():
    """The article pages' parts: a cache of their own (``article_parts``, portal/settings.py), so
    that a crawl of every article (some 10 KB of parts each) keeps a bounded number of them and
    does not push the cards out; the fragments cache in settings without it."""
    try:
        return caches["article_parts"]
    except InvalidCacheBackendError:
        return _fragments_cache()
