"""Whole-page caching of reader pages, and the content version that invalidates it.

- ``version``: the content version (any content save writes a new one; every entry of an older
  one is out of date on every instance), the next scheduled change, and ``remembered()`` for
  costly values many pages share.
- ``middleware``: ``PageCacheMiddleware``, which stores and serves entries.
- ``live``: the parts of a cached page filled in when it is served (the visit total, read counts).
- ``wsgi``: ``PageCacheApplication``, which answers hits in front of Django's handler.
- ``checks``: the system check that keeps that fast path honest about the middlewares it skips.

**Where the cache answers.** ``PageCacheMiddleware`` sits right after WhiteNoise, before
sessions, locale, CSRF and authentication: a hit costs one ``get_many`` on the shared cache
and no session, no database query and no template (README, "Measured"). Under gunicorn most
hits are answered earlier still, in front of Django (``wsgi``), where a page the worker served
before costs one read of the content version (without Redis, a ``stat`` of its file:
``FILE_KEYS`` in news/operations/sharedcache.py): each worker keeps a copy of the entries it served,
used while their version is the shared cache's.

**What is cached.** GET answers (HEAD is served from them) to readers who carry no session,
CSRF or messages cookie and no ``Authorization`` header, outside the admin, static and media
addresses; only ``200`` answers without ``Set-Cookie``, not streamed, and whose
``Cache-Control`` does not say ``private``, ``no-store`` or ``no-cache`` (previews say so).
Each language has its own addresses (``/zh-hans/…``, ``/en/…``), so each its own entries.

**Invalidation.** Every entry records the *content version* it was rendered under. Saving or
deleting any content model writes a new version into the shared cache (``news/signals.py``), so
the next request on every instance and worker finds its entry out of date and renders afresh: no
key hunting. An entry is also valid only until the next scheduled publish or unpublish time
(``Article.objects.next_schedule_change``), found with one indexed query per content version.

**Visits.** ``VisitCounterMiddleware`` sits *outside* this middleware, so it sees cached and
fresh answers alike, with the headers the view set (an ``X-Article-Id`` stored with the entry
reaches it on a hit).
"""
