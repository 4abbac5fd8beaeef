"""Two health checks, for two readers (README, "Health"):

- ``/healthz``, **liveness**, for a load balancer: 200 whenever this process answers, whatever
  its database, cache or disk do. The portal degrades on its own when they fail (cached pages
  without the database, pages without the cache, pages on a full disk), so an instance that
  answers is one to keep sending readers to; taking every instance out of the balancer because
  Redis or the database is away would turn a degraded site into no site.
- ``/healthz/status``, **status**, for operators and monitoring: each dependency checked, 200
  when all answer, 503 with the failing ones marked when not. Never a balancer's health check.
"""

import logging
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .faults import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    ok = cache.get(key) == "ok"
    cache.delete(key)
    return ok


def _storage():
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        return default_storage.exists(name)
    finally:
        default_storage.delete(name)


CHECKS = {"database": _database, "cache": _cache, "storage": _storage}


@never_cache
def healthz(request):
    """Liveness: 200 ``{"status": "ok"}`` while this process answers requests; no dependency is checked."""
    return JsonResponse({"status": "ok"})


@never_cache
def status(request):
    """200 when every check passes, 503 otherwise; names and "ok"/"error" only, never details."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "error"
        except Exception as error:  # noqa: BLE001 - any failure of a dependency is a failed check
            # One line with the class: a load balancer polls this every few seconds during an outage.
            logger.warning("Health check %s failed (%s)", name, type(error).__name__)
            results[name] = "error"
    healthy = all(value == "ok" for value in results.values())
    response = JsonResponse({"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503)
    if not healthy:
        # As the reader pages say while the database is away (news/operations/faults.py).
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
