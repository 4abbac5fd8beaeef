"""WSGI entry point, used by gunicorn (`gunicorn portal.wsgi`).

Page-cache hits are answered in front of Django's handler (news/pagecache/wsgi.py); the worker
is warmed up before its first request (news/operations/warmup.py).
"""

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
