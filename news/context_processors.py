import logging
from functools import cache as remembered_forever
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from . import seo, visits
from .addresses import address_in
from .i18n import all_columns_of, bcp47
from .models import Column, Page, SiteSettings
from .pagecache.version import content_version

logger = logging.getLogger(__name__)


# Query parameters that the switcher leaves behind: the other language's list has its own pages.
NOT_CARRIED_OVER = ("page",)


def language_links(request, urls=None, fallbacks=None, query=None):
    """One entry per language for the switcher and the hreflang alternates.

    ``urls`` maps a language code to the page's address in that language; by default it is
    the current address with its language prefix swapped. A language without one leads the
    switcher to ``fallbacks[code]`` (the nearest page that exists, such as the column of an
    archive month written only in Chinese), or to nothing; such an entry is not an alternate.

    ``query`` holds the request's parameters that the view reads (``page_query``): the switcher
    keeps the reader's search and filters from it, never another parameter of the request (the
    page cache ignores some, and a link must not echo them), and never the page number.

    Each entry: ``code``, ``tag`` (BCP 47), ``name_local``, ``url`` (the switcher's link,
    with the reader's query and filters but not the page number), ``alternate`` (whether
    ``url`` is this page in that language: hreflang lists only those), ``absolute_url``
    (of an alternate) and ``is_current``.
    """
    current = translation.get_language()
    paged, carried = False, ""
    if query:
        query = query.copy()
        paged = any(query.pop(name, None) not in (None, ["1"]) for name in NOT_CARRIED_OVER)
        carried = f"?{query.urlencode()}" if query else ""
    fallbacks = fallbacks or {}
    links = []
    for code, _name in settings.LANGUAGES:
        url = _translated_path(request, code) if urls is None else urls.get(code)
        alternate = url is not None and not paged
        if url is not None:
            url += carried
        elif code in fallbacks:
            url = fallbacks[code]
        links.append(
            {
                "code": code,
                "tag": bcp47(code),
                "name_local": _name_local(code),
                "url": url,
                "alternate": alternate,
                "absolute_url": request.build_absolute_uri(url) if alternate else None,
                "is_current": code == current,
            }
        )
    return links


@remembered_forever
def _name_local(code):
    """The language's name in itself (Django's ``LANG_INFO``, which never changes)."""
    return translation.get_language_info(code)["name_local"]


def _translated_path(request, code):
    """``translate_url(request.path, code)`` from the match the request was resolved to (resolving
    the path again cost as much as reversing it), reversed through ``addresses.address_in``
    (remembered per process) when the route takes keyword arguments only."""
    match = request.resolver_match
    if match is None or request.path != request.path_info:  # an error page, or a script prefix
        return translate_url(request.path, code)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    try:
        if not match.args:
            return address_in(code, name, **match.kwargs)
        with translation.override(code):
            return reverse(name, args=match.args)
    except NoReverseMatch:
        return request.path


class Chrome(NamedTuple):
    """What every reader page's header and footer show."""

    site_settings: SiteSettings
    columns: list  # [Column], in menu order
    pages: dict  # {slug: Page}, without their bodies


def chrome():
    """``Chrome``: settings, columns and pages: read once per content version and kept in the shared cache,
    and in this process for as long as the version stays current.

    They change only when an editor saves something, which writes a new content version
    (news/pagecache/version.py), so every instance reads them afresh after any edit.
    """
    return _chrome(content_version())


def _chrome(version):
    """``chrome()`` for a version already read (None when the shared cache is away)."""
    if version and _chrome_memo[0] == version:
        return _chrome_memo[1]
    key = f"chrome:{version}"
    found = cache.get(key) if version else None
    if found is None:
        found = Chrome(
            SiteSettings.load(),
            list(Column.objects.all()),
            {page.slug: page for page in Page.objects.defer(*all_columns_of("body"))},
        )
        if version:
            cache.set(key, tuple(found), settings.PORTAL_PAGE_CACHE_SECONDS or 300)
    else:
        found = Chrome(*found)  # kept as a plain tuple: readable by any version of this module
    if version:
        _chrome_memo[:] = [version, found]
    return found


def reset():
    """Forget the chrome this process keeps (tests call it between cases)."""
    global _fragments
    _chrome_memo[:] = [None, None]
    _fragments = (None, {})


CHROME_FRAGMENT_SECONDS = 3600

# [content version, chrome]: the last chrome this process read.
_chrome_memo = [None, None]

# (content version, {key: fragment}): the parts of the chrome rendered for that version ({% chrome %}).
_fragments = (None, {})
# At most this many (a key names the part, the language and what else it varies on: the menu's
# current item); past it they are forgotten together and rendered again.
CHROME_FRAGMENTS_KEPT = 2000


def chrome_fragment(version, key, render):
    """The part of the chrome ``key`` for content version ``version``: ``render()`` the first time,
    then kept in this process while the version stays current (``{% chrome %}``, the portal tags).

    Kept as ``{% cache %}`` kept them in the local-memory cache, per content version, but in a dict:
    no key hashed, no lock, nothing pickled (12 µs a part with ``{% cache %}`` against 3 µs). A new
    version (any edit, on any instance) starts an empty dict, so nothing outlives the content it
    was rendered from.
    """
    global _fragments
    kept = _fragments
    if kept[0] != version:
        kept = _fragments = (version, {})
    found = kept[1].get(key)
    if found is None:
        found = render()
        if len(kept[1]) >= CHROME_FRAGMENTS_KEPT:
            kept[1].clear()
        kept[1][key] = found
    return found


def chrome_for(request):
    """``(content version, Chrome)`` for this request: read once, whoever asks first."""
    found = getattr(request, "_portal_chrome", None)
    if found is None:
        version = content_version()
        found = request._portal_chrome = (version, _chrome(version))
    return found


def site_settings_for(request):
    """The settings row, from the shared cache with the rest of the chrome."""
    return chrome_for(request)[1].site_settings


def site(request):
    """The site's chrome: settings for the footer, the columns for the menu, the pages."""
    try:
        version, (site_settings, columns, pages) = chrome_for(request)
        total_visits = visits.site_total()
    except DatabaseError:
        # The error pages must render even when the database is away.
        logger.warning("Database unavailable while rendering the site chrome.")
        site_settings, columns, pages, total_visits = SiteSettings(), [], {}, None
        version = None
    return {
        # {% chrome NAME … %} (header, menu, footer) and {% cache chrome_seconds NAME LANGUAGE_CODE
        # content_version … %} (breadcrumb, feed links): rendered once per content version; not
        # kept when it is unknown.
        "content_version": version,
        "chrome_seconds": CHROME_FRAGMENT_SECONDS if version else 0,
        "site_settings": site_settings,
        "nav_columns": columns,
        "site_pages": pages,
        "total_visits": total_visits,
        # Lazy: pages that name their own versions (articles) pass their links instead.
        "language_links": SimpleLazyObject(lambda: language_links(request)),
        "default_share_image": SimpleLazyObject(lambda: seo.share_image(request)),
    }
