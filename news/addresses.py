"""``reverse()`` remembered per process: a page names the same few dozen addresses (columns in
the menu, pages in the footer, the articles in its lists) on every request, and working one out
costs more than the rest of a list item (docs/benchmarks.md).

An address depends on the view's name and arguments, the language (the ``/en/`` prefix), the
script prefix and the URLconf: all are in the key. The cache is bounded, so a site with many
articles keeps the most recently named.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

CACHED_ADDRESSES = 20_000


def address(viewname, **kwargs):
    """``reverse(viewname, kwargs=kwargs)``, remembered."""
    return _reversed(
        viewname,
        tuple(kwargs.items()),
        translation.get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )


def address_in(language, viewname, **kwargs):
    """``address(viewname, **kwargs)`` in ``language`` (``translation.override(language)`` only to
    work it out the first time: a page's language switcher names its own address in each language)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(viewname, tuple(kwargs.items()), language, get_script_prefix(), urlconf)


@lru_cache(maxsize=CACHED_ADDRESSES)
def _reversed(viewname, kwargs, language, prefix, urlconf):
    with translation.override(language):
        return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


def forget():
    """Forget every remembered address (news/signals.py calls it when the URL settings change)."""
    _reversed.cache_clear()


reset = forget
