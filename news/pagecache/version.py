"""The content version: one value in the shared cache that every cached page is checked against.

Any save or delete of content writes a new one (the receiver is in ``news/signals.py``), so the
next request on every instance renders afresh.

**Invalidation cannot be lost.** The new version is written to the database too (one row,
``ContentVersion``, in the same transaction as the change), and each process compares the two
at most every ``PORTAL_CACHE_RECONCILE_SECONDS`` (one indexed query): when the cache's differs
(a write that failed during a cache outage, a Redis that restarted empty) it writes the
database's back, which makes every page rendered before the change out of date. A process
whose own write failed checks on its next request. So once the shared cache answers again,
content changed during its outage is public within ``PORTAL_CACHE_RETRY_SECONDS`` (the circuit
breaker, news/operations/sharedcache.py) plus ``PORTAL_CACHE_RECONCILE_SECONDS``: 10 s by
default, the bound stated in the README and held by tests/test_cache_outage.py. The editor who
saved is warned that the public site may lag. ``remembered`` keeps a value that many pages
share and that is costly to work out (a column's archive months and article count) under the
same rules as a page: per content version, never past the next scheduled change.
"""

import logging
import math
import secrets
import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..operations import sharedcache

logger = logging.getLogger("portal.cache")

VERSION_KEY = "content:version"


SCHEDULE_KEY = "content:schedule"


# The apps whose models are content (shown on reader pages), and those of their models that are
# not: saving the latter must not empty the page cache.
CONTENT_APPS = {"news", "investment", "policies"}
NOT_CONTENT_MODELS = {
    "policies.indexserial",
    "news.dailyvisits",
    "news.articledailyreads",
    "news.searchdocument",
    "news.contentversion",
    "investment.enquiry",
    "investment.enquiry_sectors",
    "investment.enquiryevent",
    "investment.serial",
    "investment.servicesearchdocument",
    "investment.workingday",
}


_last_check = time.monotonic()  # when this process last compared the cache's version with the database's


def new_version():
    # A fresh random token rather than an increment: writes from several processes never
    # collide into the same value, and no backend needs an atomic incr.
    return f"{time.time_ns():x}.{secrets.token_hex(4)}"


def bump_content_version(**kwargs):
    """Make every cached page out of date, on every instance. Safe to call at any time.

    Returns True when the shared cache has the new version; when it could not be written, the
    database has it, this process puts it in the cache on its next request (the others within
    ``PORTAL_CACHE_RECONCILE_SECONDS``), and the staff member whose request made the change is
    warned that the public site may lag.
    """
    global _last_check
    token = new_version()
    _store_in_database(token)
    if cache.set(VERSION_KEY, token, None):
        return True
    _last_check = float("-inf")
    _warn_staff()
    return False


def _store_in_database(token):
    from ..models import ContentVersion

    try:
        # A savepoint: a failure (the table not migrated yet) must not break the caller's transaction.
        with transaction.atomic():
            if not ContentVersion.objects.filter(pk=1).update(version=token, changed_at=timezone.now()):
                ContentVersion.objects.create(pk=1, version=token)
    except DatabaseError as error:
        if not _table_exists(ContentVersion):
            return  # saves made while migrating a new database, before the table is created: nothing to keep
        logger.warning("Could not write the content version to the database (%s).", type(error).__name__)


def _table_exists(model):
    try:
        with connection.cursor() as cursor:
            return model._meta.db_table in connection.introspection.table_names(cursor)
    except DatabaseError:
        return True  # the database itself failed: say so


def _warn_staff():
    from ..audit import current_request

    request = current_request()
    if request is None or getattr(request, "warned_of_public_lag", False):
        return
    request.warned_of_public_lag = True
    seconds = math.ceil(settings.PORTAL_CACHE_RETRY_SECONDS + settings.PORTAL_CACHE_RECONCILE_SECONDS)
    messages.warning(
        request,
        gettext(
            "Saved, but the shared cache could not be reached: the public site may show the earlier "
            "version for up to %(seconds)d seconds after the cache is back."
        )
        % {"seconds": seconds},
        fail_silently=True,
    )


def reconcile_due():
    """Whether this process should compare the cache's version with the database's now: every
    ``PORTAL_CACHE_RECONCILE_SECONDS``, and at once when the shared cache has just come back
    (it may hold the version and the pages of before a change made while it was away)."""
    return (
        time.monotonic() - _last_check >= settings.PORTAL_CACHE_RECONCILE_SECONDS
        or _last_check < sharedcache.last_recovery()
    )


def reconcile(current):
    """The version pages must carry, given the cache's (``current``, None when unreachable).

    The database's version, written to the cache when they differ; None when they differ and
    the cache cannot be written (nothing cached may be served or stored then, and while the
    cache still holds the other version, the next request checks again). ``current`` when the
    database cannot be read.
    """
    global _last_check
    _last_check = time.monotonic()
    stored = database_version()
    if stored is None or stored == current:
        return current
    if cache.set(VERSION_KEY, stored, None):
        logger.info("The content version in the cache was not the database's; written again.")
        return stored
    if current is not None:
        # The cache answers with a version it refuses to replace (a full disk, a read-only folder, a
        # Redis out of memory): compare on every request until it takes the database's, so that no
        # page of before the change is served meanwhile (the fast path defers to Django while a
        # check is due), not only on the one request every PORTAL_CACHE_RECONCILE_SECONDS.
        _last_check = float("-inf")
    return None


def database_version():
    """The content version the database holds (``ContentVersion``), or None when it has none yet
    or cannot be read."""
    from ..models import ContentVersion

    try:
        return ContentVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    except DatabaseError:
        return None


def content_version():
    """The current content version, created when missing; None when the cache is unreachable.

    A cache without one (new, emptied, restarted) gets the database's, so that the two agree
    and the next reconciliation has nothing to write: a new random one made every page a miss
    at that reconciliation, and none could be cached if the cache refused the write then (a
    full disk)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, database_version() or new_version(), None)
        version = cache.get(VERSION_KEY)
    return version


def next_schedule_change(version, after):
    """The next time (epoch seconds) a scheduled publish or unpublish, the end of a project's
    validity, a zone's scheduled change or a policy document's effective or expiry date changes
    what is public.

    Remembered in the shared cache for the content version; a new version or the time
    passing asks the database again (one query on indexed columns).
    """
    known = cache.get(SCHEDULE_KEY)
    if known and known[0] == version and known[1] <= after and (known[2] is None or after < known[2]):
        return known[2]
    from ..investment.models import DevelopmentZone, Project
    from ..models import Article
    from ..policies.models import DocumentMeta

    moment = datetime.fromtimestamp(after, tz=UTC)
    # Articles' publish and unpublish times, projects' with the end of their validity, zones', and
    # policy documents' effective and expiry dates, in one query (a second only on a site without
    # articles).
    zones = DevelopmentZone.objects.schedule_subqueries(moment)
    documents = DocumentMeta.objects.schedule_subqueries(moment)
    row = Article.objects.schedule_row(moment, **Project.objects.schedule_subqueries(moment), **zones, **documents)
    if row is None:
        changes = [Project.objects.next_schedule_change(moment)]
        zone_row = DevelopmentZone.objects.order_by().annotate(**zones).values(*zones)[:1]
        changes += [DevelopmentZone.objects.schedule_change(row) for row in zone_row]
        change = min(filter(None, changes), default=None)
    else:
        times = [
            row["next_publish"],
            row["next_unpublish"],
            Project.objects.schedule_change(row),
            DocumentMeta.objects.schedule_change(row),
            DevelopmentZone.objects.schedule_change(row),
        ]
        change = min(filter(None, times), default=None)
    change = change.timestamp() if change else None
    # Kept as long as what it bounds (with the page cache off, values ``remembered`` for pages).
    cache.set(SCHEDULE_KEY, (version, after, change), kept_seconds())
    return change


def kept_seconds():
    """How long a page, or a value ``remembered`` for pages, is kept at most: ``PORTAL_PAGE_CACHE_SECONDS``,
    or five minutes with the page cache off."""
    return settings.PORTAL_PAGE_CACHE_SECONDS or 300


def remembered(name, compute, seconds=None):
    """``compute()``, a value about public content that is the same for every reader, kept in
    the shared cache for the content version and never past the next scheduled change, as a
    page is. For parts shared by many pages that are costly to work out (a column's archive
    months read every article of the column): the first page to need them after an edit pays.
    ``seconds``: kept at most so long (for a value that also follows what is not content, such
    as reads), else as long as a page (``kept_seconds()``).
    """
    version = content_version()
    if version is None:
        return compute()
    key = f"remembered:{name}:{version}"
    at = now()
    found = cache.get(key)
    if found is not None and at < found[0]:
        return found[1]
    value = compute()
    valid_until = at + min(kept_seconds(), seconds or kept_seconds())
    change = next_schedule_change(version, at)
    if change is not None:
        valid_until = min(valid_until, change)
    if valid_until > at:
        cache.set(key, (valid_until, value), math.ceil(valid_until - at))
    return value


def now():
    """The current time in epoch seconds (``timezone.now()``, which tests may move)."""
    return timezone.now().timestamp()
