"""WSGI entry point, used by gunicorn (`gunicorn portal.wsgi`).

Page-cache hits are answered in front of Django's handler (news/pagecache/wsgi.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

django_application = get_wsgi_application()

from news.pagecache.wsgi import PageCacheApplication  # noqa: E402 - needs the apps loaded above

application = PageCacheApplication(django_application)
