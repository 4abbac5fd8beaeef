"""Settings for the test suite: the project's settings with test-only storage.

Everything the tests write (media, the file cache) goes to a temporary folder, and no
collectstatic is needed. DATABASE_URL and REDIS_URL are honoured, so `.ci/run` runs the
same suite on PostgreSQL and Redis.
"""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("DJANGO_DATA_DIR", tempfile.mkdtemp(prefix="portal-tests-"))
os.environ.setdefault("DJANGO_CACHE_PREFIX", f"portal-tests-{os.getpid()}")
# The test client speaks plain HTTP; the HTTPS settings have tests of their own.
os.environ.setdefault("DJANGO_HTTPS", "false")

from portal.settings import *  # noqa: E402, F403
from portal.settings import STORAGES  # noqa: E402

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files straight from the source folders, as runserver does: no collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Visits are written by tests that ask for it (PORTAL_VISIT_FLUSH_SECONDS = 0 there); otherwise a
# long suite would flush in the middle of a test that counts pending visits.
PORTAL_VISIT_FLUSH_SECONDS = 3600
# Each process compares the content version in the cache with the database's every few seconds
# (news/pagecache/version.py): a query that would land in a random test's query count. The
# tests of that comparison set it to 0.
PORTAL_CACHE_RECONCILE_SECONDS = 3600
