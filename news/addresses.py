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


@lru_cache(maxsize=CACHED_ADDRESSES)
def _reversed(viewname, kwargs, language, prefix, urlconf):
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


def forget():
    """Forget every remembered address (news/signals.py calls it when the URL settings change)."""
    _reversed.cache_clear()


reset = forget
