"""WSGI entry point, used by gunicorn (`gunicorn portal.wsgi`).

Page-cache hits are answered in front of Django's handler (news/pagecache/wsgi.py); the worker
is warmed up before its first request (news/operations/warmup.py).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

django_application = get_wsgi_application()

from news.operations.warmup import warm_up  # noqa: E402 - needs the apps loaded above
from news.pagecache.wsgi import PageCacheApplication  # noqa: E402

application = PageCacheApplication(django_application)

# Each worker imports this module before it accepts a request: the first reader does not wait for
# Django's lazy setting up (news/operations/warmup.py).
warm_up()

# What the worker has set up (~140,000 objects: modules, the URLconf, templates, catalogues) lives
# as long as it does: out of the cyclic garbage collector's sight (gc.freeze), so that its full
# collections stop walking all of it. In process, on a cold article: one full collection every
# ~2,000 requests, ~86 ms each on this machine (a pause in some reader's answer), is gone; 0.4 %
# fewer instructions a request (docs/benchmarks.md). Garbage is freed as before: by reference
# counts, and cycles made after this point by the collector.
gc.collect()
gc.freeze()
